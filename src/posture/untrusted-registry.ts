/** untrusted-registry: an image from outside the registries `--trusted-registries` names (hardening; only with that option). */
import {containersOf} from '../edges/pod-spec.js';
import {parseImage, trustedBy} from './image-reference.js';
import type {PostureRule} from './rule.js';

export const untrustedRegistry: PostureRule = {
  id: 'untrusted-registry',
  title: 'image from an untrusted registry',
  level: 'hardening',
  why: "an image from outside the registries the organisation controls and scans is code nobody vetted, running with the pod's access",
  check: (pod, context) => {
    if (context.trustedRegistries.length === 0) return [];
    return containersOf(pod).flatMap((ref) => {
      const image = ref.container.image;
      if (!image) return [];
      const parsed = parseImage(image);
      if (context.trustedRegistries.some((entry) => trustedBy(parsed, entry))) return [];
      const fieldPath = `${ref.path}.image`;
      return [{evidence: {object: pod.source.object, field: fieldPath, value: image, note: `from ${parsed.registry}/${parsed.repository}, outside ${context.trustedRegistries.join(', ')}`}, fix: `mirror the image into a trusted registry and point ${fieldPath} there`}];
    });
  },
};
