/** seccomp-missing: no seccomp profile set for a container (PSS restricted). */
import {containersOf} from '../graph/pod-spec.js';
import type {PostureRule, Violation} from './rule.js';
import {at, containerName, effective} from './security-context.js';

export const seccompMissing: PostureRule = {
  id: 'seccomp-missing',
  title: 'no seccomp profile',
  level: 'restricted',
  why: "with no profile set, the kubelet runs the container Unconfined unless the node's default says otherwise",
  check: (pod) => {
    // Set at the pod level, one field covers every container: one violation names them all.
    const unset = containersOf(pod).filter((ref) => !effective(pod, ref, 'seccompProfile', 'type').set);
    if (unset.length === 0) return [];
    const fieldPath = `${pod.source.specPath}.securityContext.seccompProfile.type`;
    const violation: Violation = {
      evidence: at(pod, {value: undefined, field: fieldPath, set: false}, `no seccomp profile for ${unset.map(containerName).join(', ')}`),
      fix: `set ${fieldPath}: RuntimeDefault`,
    };
    return [violation];
  },
};
