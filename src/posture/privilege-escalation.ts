/** privilege-escalation: `allowPrivilegeEscalation` not false (PSS restricted). */
import {containersOf} from '../graph/pod-spec.js';
import type {PostureRule} from './rule.js';

export const privilegeEscalation: PostureRule = {
  id: 'privilege-escalation',
  title: 'privilege escalation allowed',
  level: 'restricted',
  why: 'without no_new_privs a setuid binary in the image regains root, which every escape then uses',
  check: (pod) =>
    containersOf(pod).flatMap((ref) => {
      const value = ref.container.securityContext?.allowPrivilegeEscalation;
      if (value === false) return [];
      const fieldPath = `${ref.path}.securityContext.allowPrivilegeEscalation`;
      return [
        {
          evidence: {
            object: pod.source.object,
            field: fieldPath,
            value: value ?? 'unset',
            note: value === true ? 'allowed' : 'not set: allowed by default',
          },
          fix: `set ${fieldPath}: false`,
        },
      ];
    }),
};
