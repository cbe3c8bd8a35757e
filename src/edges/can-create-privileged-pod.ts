/**
 * CAN_CREATE_PRIVILEGED_POD: an identity that can run a pod of its design in a
 * namespace (pod-creation.ts) whose Pod Security admission allows privileged pods
 * (`pod-security.kubernetes.io/enforce` is `privileged`, or absent: the cluster
 * default, privileged unless the AdmissionConfiguration says otherwise) runs a
 * privileged, hostPID pod on any node it likes (`spec.nodeName` bypasses the
 * scheduler, taints included): root on every node. Asked per identity
 * (grant-groups.ts). See
 * docs/edges/CAN_CREATE_PRIVILEGED_POD.md.
 */
import {nodeId} from '../graph/ids.js';
import type {NodeInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import {objectKey} from '../snapshot/snapshot.js';
import type {EdgeRule, RuleContext} from './rule.js';
import {uniqueEvidence} from './edge-collector.js';
import {grantEdges, type Found, type GrantFacet} from './grant-groups.js';
import {podCreators} from './pod-creation.js';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const RULE = {id: 'CAN_CREATE_PRIVILEGED_POD', type: 'CAN_CREATE_PRIVILEGED_POD', mitre: 'T1611'} as const;

/** One group, every node: per source, the routes of every admitting namespace (nodeName reaches any node). */
function admittingFacet(context: RuleContext): GrantFacet<NodeInfo> {
  return {
    group: () => '',
    answer() {
      const {model} = context;
      const creators = podCreators(context);
      const bySource = new Map<string, Found>();
      for (const namespace of model.namespaces.values()) {
        const level = namespace.labels[ENFORCE_LABEL];
        if (level !== undefined && level !== 'privileged') continue;
        const admission: Evidence | undefined = namespace.declared
          ? level
            ? {object: objectKey('Namespace', undefined, namespace.name), field: `metadata.labels["${ENFORCE_LABEL}"]`, value: level, note: 'Pod Security admits privileged pods'}
            : {object: objectKey('Namespace', undefined, namespace.name), field: 'metadata.labels', note: `no ${ENFORCE_LABEL} label: the cluster default applies, privileged unless the API server's AdmissionConfiguration sets another`}
          : undefined;
        for (const [source, {certainty, evidence, escalated}] of creators(namespace.name)) {
          const withAdmission = admission
            ? [...evidence, admission]
            : evidence.map((item, i) => (i === 0 ? {...item, note: `${item.note}; namespace ${namespace.name} is not in the input, so its Pod Security labels are unknown (assumed unset: privileged)`} : item));
          const found = bySource.get(source);
          const sure = admission ? certainty : 'conditional';
          if (!found) bySource.set(source, escalated ? {certainty: sure, evidence: withAdmission, escalated} : {certainty: sure, evidence: withAdmission});
          else {
            found.evidence.push(...withAdmission);
            if (sure === 'definite') found.certainty = 'definite';
            if (!escalated) delete found.escalated;
          }
        }
      }
      for (const found of bySource.values()) found.evidence = uniqueEvidence(found.evidence);
      return bySource;
    },
  };
}

export const canCreatePrivilegedPod: EdgeRule = {
  ...RULE,
  summary: 'Can run a pod of its design in a namespace whose Pod Security enforce level is privileged (or unset): a privileged pod on any node',
  ...grantEdges<NodeInfo>({rule: RULE, cost: 2, targets: ({model}) => [...model.nodes.values()], id: (node) => nodeId(node.name), facets: (context) => [admittingFacet(context)]}),
};
