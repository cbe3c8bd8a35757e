/** host-ports: containers bound to a port of the node (PSS baseline). */
import {containersOf} from '../graph/pod-spec.js';
import type {PostureRule} from './rule.js';

export const hostPorts: PostureRule = {
  id: 'host-ports',
  title: 'host port',
  level: 'baseline',
  why: "a host port serves on the node's own address, beside NetworkPolicies and the service's exposure",
  check: (pod) =>
    containersOf(pod).flatMap((ref) =>
      (ref.container.ports ?? []).flatMap((port, index) => {
        if (!port.hostPort) return [];
        const fieldPath = `${ref.path}.ports[${index}].hostPort`;
        return [
          {
            evidence: {object: pod.source.object, field: fieldPath, value: port.hostPort, note: "listens on the node's address"},
            fix: `remove ${fieldPath}; expose the port through a Service`,
          },
        ];
      }),
    ),
};
