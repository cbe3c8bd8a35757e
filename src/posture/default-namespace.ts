/** default-namespace: workloads in `default` (hardening). */
import type {PostureRule} from './rule.js';

export const defaultNamespace: PostureRule = {
  id: 'default-namespace',
  title: 'runs in the default namespace',
  level: 'hardening',
  why: 'default is where everything lands unnamed: its service account, policies and RBAC are rarely scoped to one application',
  check: (pod) =>
    pod.namespace === 'default'
      ? [
          {
            evidence: {object: pod.source.object, field: 'metadata.namespace', value: 'default', note: 'in the default namespace'},
            fix: 'move it into a namespace of its own, with its own service account and policies',
          },
        ]
      : [],
};
