/** seccomp-unconfined: a seccomp profile explicitly Unconfined (PSS baseline). */
import {containersOf} from '../graph/pod-spec.js';
import type {PostureRule, Violation} from './rule.js';
import {at, effective} from './security-context.js';

export const seccompUnconfined: PostureRule = {
  id: 'seccomp-unconfined',
  title: 'seccomp turned off',
  level: 'baseline',
  why: 'without seccomp every system call is open, the ones container escapes use included',
  check: (pod) => {
    const violations = new Map<string, Violation>();
    for (const ref of containersOf(pod)) {
      const type = effective(pod, ref, 'seccompProfile', 'type');
      if (type.value !== 'Unconfined' || violations.has(type.field)) continue;
      violations.set(type.field, {evidence: at(pod, type, 'seccomp is off'), fix: `set ${type.field} to RuntimeDefault`});
    }
    return [...violations.values()];
  },
};
