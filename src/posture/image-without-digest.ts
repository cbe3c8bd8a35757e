/** image-without-digest: an image by a tag alone, which can be moved (hardening); latest is image-latest's. */
import {imageViolations} from './image-reference.js';
import type {PostureRule} from './rule.js';

export const imageWithoutDigest: PostureRule = {
  id: 'image-without-digest',
  title: 'image without a digest',
  level: 'hardening',
  why: 'a tag can be pushed again: the registry, or whoever can push to it, decides what the next pod runs',
  check: (pod) =>
    imageViolations(pod, (image, written, fieldPath) =>
      image.digest || image.tag === undefined || image.tag === 'latest'
        ? undefined
        : {note: `tag ${image.tag}, no digest`, fix: `pin ${fieldPath} to its digest (${written}@sha256:...)`},
    ),
};
