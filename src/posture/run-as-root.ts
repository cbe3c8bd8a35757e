/** run-as-root: no `runAsNonRoot: true`, or `runAsUser: 0` (PSS restricted). */
import {containersOf} from '../graph/pod-spec.js';
import type {PostureRule, Violation} from './rule.js';
import {at, containerName, effective} from './security-context.js';

export const runAsRoot: PostureRule = {
  id: 'run-as-root',
  title: 'may run as root',
  level: 'restricted',
  why: "root in the container is one kernel bug, writable host path or capability away from root on the node, and most images' default user is root",
  check: (pod) => {
    const violations = new Map<string, Violation>();
    for (const ref of containersOf(pod)) {
      const user = effective(pod, ref, 'runAsUser');
      if (user.value === 0 && !violations.has(user.field)) {
        violations.set(user.field, {evidence: at(pod, user, 'runs as UID 0'), fix: `set ${user.field} to a non-zero UID`});
      }
      const nonRoot = effective(pod, ref, 'runAsNonRoot');
      if (nonRoot.value === true) continue;
      // Unset everywhere: one fix at the pod level covers every container.
      const where = nonRoot.set ? nonRoot : {...nonRoot, field: `${pod.source.specPath}.securityContext.runAsNonRoot`};
      const note = nonRoot.set
        ? `runAsNonRoot is false for ${containerName(ref)}`
        : `runAsNonRoot is not set for ${containerName(ref)}: the image's user decides`;
      if (!violations.has(where.field)) violations.set(where.field, {evidence: at(pod, where, note), fix: `set ${where.field}: true`});
    }
    return [...violations.values()];
  },
};
