/** image-without-digest: an image by a tag alone, which can be moved (hardening); latest is image-latest's. */
import {containersOf} from '../edges/pod-spec.js';
import {parseImage} from './image-reference.js';
import type {PostureRule} from './rule.js';

export const imageWithoutDigest: PostureRule = {
  id: 'image-without-digest',
  title: 'image without a digest',
  level: 'hardening',
  why: 'a tag can be pushed again: the registry, or whoever can push to it, decides what the next pod runs',
  check: (pod) =>
    containersOf(pod).flatMap((ref) => {
      const image = ref.container.image;
      if (!image) return [];
      const parsed = parseImage(image);
      if (parsed.digest || parsed.tag === undefined || parsed.tag === 'latest') return [];
      const fieldPath = `${ref.path}.image`;
      return [{evidence: {object: pod.source.object, field: fieldPath, value: image, note: `tag ${parsed.tag}, no digest`}, fix: `pin ${fieldPath} to its digest (${image}@sha256:...)`}];
    }),
};
