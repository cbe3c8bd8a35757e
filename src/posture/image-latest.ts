/** image-latest: an image by the `latest` tag, or by no tag, which means latest (hardening: the checklist's build phase). */
import {imageViolations} from './image-reference.js';
import type {PostureRule} from './rule.js';

export const imageLatest: PostureRule = {
  id: 'image-latest',
  title: 'image by the latest tag',
  level: 'hardening',
  why: 'what latest means changes under the workload: whoever can push the tag decides what runs next, and nobody can say what runs now',
  check: (pod) =>
    imageViolations(pod, (image, _written, fieldPath) =>
      image.digest || (image.tag !== undefined && image.tag !== 'latest')
        ? undefined
        : {
            note: image.tag ? 'the latest tag' : 'no tag: latest',
            fix: `pin ${fieldPath} to a version and its digest (${image.registry}/${image.repository}:<version>@sha256:...)`,
          },
    ),
};
