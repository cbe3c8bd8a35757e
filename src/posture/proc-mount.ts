/** proc-mount: `procMount: Unmasked` (PSS baseline). */
import {containersOf} from '../graph/pod-spec.js';
import type {PostureRule} from './rule.js';

export const procMount: PostureRule = {
  id: 'proc-mount',
  title: 'unmasked /proc',
  level: 'baseline',
  why: "an unmasked /proc exposes the kernel's sensitive /proc files that the runtime otherwise hides or makes read-only",
  check: (pod) =>
    containersOf(pod).flatMap((ref) => {
      const value = ref.container.securityContext?.procMount;
      if (value === undefined || value === null || value === 'Default') return [];
      const fieldPath = `${ref.path}.securityContext.procMount`;
      return [
        {
          evidence: {object: pod.source.object, field: fieldPath, value, note: '/proc is not masked'},
          fix: `remove ${fieldPath} (or set it to Default)`,
        },
      ];
    }),
};
