/** untrusted-registry: an image from outside the registries `--trusted-registries` names (hardening; only with that option). */
import {imageViolations, trustedBy} from './image-reference.js';
import type {PostureRule} from './rule.js';

export const untrustedRegistry: PostureRule = {
  id: 'untrusted-registry',
  title: 'image from an untrusted registry',
  level: 'hardening',
  why: "an image from outside the registries the organisation controls and scans is code nobody vetted, running with the pod's access",
  check: (pod, context) => {
    const trusted = context.trustedRegistries;
    if (trusted.length === 0) return [];
    return imageViolations(pod, (image, _written, fieldPath) =>
      trusted.some((entry) => trustedBy(image, entry))
        ? undefined
        : {
            note: `from ${image.registry}/${image.repository}, outside ${trusted.join(', ')}`,
            fix: `mirror the image into a trusted registry and point ${fieldPath} there`,
          },
    );
  },
};
