/** image-latest: an image by the `latest` tag, or by no tag, which means latest (hardening: the checklist's build phase). */
import {containersOf} from '../edges/pod-spec.js';
import {parseImage} from './image-reference.js';
import type {PostureRule} from './rule.js';

export const imageLatest: PostureRule = {
  id: 'image-latest',
  title: 'image by the latest tag',
  level: 'hardening',
  why: 'what latest means changes under the workload: whoever can push the tag decides what runs next, and nobody can say what runs now',
  check: (pod) =>
    containersOf(pod).flatMap((ref) => {
      const image = ref.container.image;
      if (!image) return [];
      const parsed = parseImage(image);
      if (parsed.digest || (parsed.tag !== undefined && parsed.tag !== 'latest')) return [];
      const fieldPath = `${ref.path}.image`;
      return [{evidence: {object: pod.source.object, field: fieldPath, value: image, note: parsed.tag ? 'the latest tag' : 'no tag: latest'}, fix: `pin ${fieldPath} to a version and its digest (${parsed.registry}/${parsed.repository}:<version>@sha256:...)`}];
    }),
};
