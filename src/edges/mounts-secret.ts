/**
 * MOUNTS_SECRET: a pod's containers see a Secret's data, through a secret volume, a
 * projected secret source, `env[].valueFrom.secretKeyRef` or `envFrom[].secretRef`, in
 * any container, init container or ephemeral container. Secrets are always read from
 * the pod's own namespace. A secret the input lacks is still drawn (the graph holds it
 * as `declared: false`): a required one must exist for the pod to run; an optional one
 * is held only if it exists, so that edge is conditional. See docs/edges/MOUNTS_SECRET.md.
 */
import {secretId} from '../graph/ids.js';
import {objectKey} from '../snapshot/snapshot.js';
import {COST, type EdgeRule, type Fix} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {secretReferences} from '../graph/pod-spec.js';

export const mountsSecret: EdgeRule<'MOUNTS_SECRET'> = {
  id: 'MOUNTS_SECRET',
  type: 'MOUNTS_SECRET',
  family: 'identity',
  mitre: 'T1552.001',
  summary: "The pod's containers read a Secret: secret volume, projected secret source, secretKeyRef or envFrom secretRef",
  fixes({
    to,
    attributes: {
      evidence: [first],
    },
  }): Fix[] {
    return first
      ? [
          {
            id: `unmount:${first.object}:${to}`,
            action: `stop giving ${to} to ${first.object} (volume, env or envFrom)`,
            object: first.object,
          },
        ]
      : [];
  },
  build({model}) {
    const present = new Set(
      model.snapshot.objects.secrets.map((secret) => objectKey('Secret', secret.metadata.namespace, secret.metadata.name)),
    );
    const edges = new EdgeCollector(mountsSecret);
    for (const pod of model.pods) {
      for (const reference of secretReferences(pod)) {
        const known = present.has(objectKey('Secret', pod.namespace, reference.name));
        const evidence = known
          ? reference.evidence
          : reference.evidence.map((item, i) =>
              i > 0
                ? item
                : {
                    ...item,
                    note: `${item.note}; the Secret is not in the input: ${reference.optional ? 'optional, so the pod holds it only if it exists' : 'required, so it exists wherever the pod runs'}`,
                  },
            );
        edges.add(pod.id, secretId(pod.namespace, reference.name), {
          certainty: known || !reference.optional ? 'definite' : 'conditional',
          cost: COST.inHand,
          evidence,
        });
      }
    }
    return edges.list();
  },
};
