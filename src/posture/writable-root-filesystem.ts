/** writable-root-filesystem: `readOnlyRootFilesystem` not true (hardening, beyond PSS). */
import {containersOf} from '../graph/pod-spec.js';
import type {PostureRule} from './rule.js';

export const writableRootFilesystem: PostureRule = {
  id: 'writable-root-filesystem',
  title: 'writable root filesystem',
  level: 'hardening',
  why: 'an attacker in a writable container drops tools and persists; a read-only root with emptyDir for scratch space stops both',
  check: (pod) =>
    containersOf(pod).flatMap((ref) => {
      const value = ref.container.securityContext?.readOnlyRootFilesystem;
      if (value === true) return [];
      const fieldPath = `${ref.path}.securityContext.readOnlyRootFilesystem`;
      return [
        {
          evidence: {object: pod.source.object, field: fieldPath, value: value ?? 'unset', note: 'the root filesystem is writable'},
          fix: `set ${fieldPath}: true (mount an emptyDir where the program writes)`,
        },
      ];
    }),
};
