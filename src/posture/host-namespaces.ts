/** host-namespaces: hostNetwork, hostPID, hostIPC (PSS baseline). */
import type {PostureRule, Violation} from './rule.js';

const WHAT = {
  hostNetwork: "shares the node's network: its interfaces, localhost services and the kubelet's port, past every NetworkPolicy",
  hostPID: 'sees every process on the node: their environments and open files; with ptrace, their memory',
  hostIPC: "shares the node's IPC namespace: other processes' shared memory",
} as const;

export const hostNamespaces: PostureRule = {
  id: 'host-namespaces',
  title: 'host network, PID or IPC namespace',
  level: 'baseline',
  why: "a pod in the node's namespaces sees and reaches what belongs to the node and to every other pod on it",
  check: (pod) => {
    const violations: Violation[] = [];
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (pod.spec[key] !== true) continue;
      const fieldPath = `${pod.source.specPath}.${key}`;
      violations.push({
        evidence: {object: pod.source.object, field: fieldPath, value: true, note: WHAT[key]},
        fix: `remove ${fieldPath} (or set it to false)`,
      });
    }
    return violations;
  },
};
