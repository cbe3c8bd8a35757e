/**
 * CAN_CREATE_POD_AS: an identity that can run a pod of its design in a namespace
 * (create pods or any workload, or re-template an existing workload: see
 * pod-creation.ts) runs it as any service account of that namespace, since
 * `spec.serviceAccountName` may name any of them, and so holds that account's token,
 * plus whatever secrets it mounts. See docs/edges/CAN_CREATE_POD_AS.md.
 */
import type {EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {podCreators} from './pod-creation.js';

export const canCreatePodAs: EdgeRule = {
  id: 'CAN_CREATE_POD_AS',
  type: 'CAN_CREATE_POD_AS',
  mitre: 'T1610',
  summary: "create pods or any workload kind, or patch/update an existing workload, in the service account's namespace",
  build(context) {
    const creators = podCreators(context);
    const edges = new EdgeCollector(canCreatePodAs);
    for (const account of context.model.serviceAccounts.values()) {
      for (const [source, {certainty, evidence}] of creators(account.namespace)) {
        if (source === account.id) continue; // running as itself gains nothing
        const note = `a pod spec may name any service account of ${account.namespace}: serviceAccountName: ${account.name}`;
        edges.add(source, account.id, certainty, 2, evidence.map((item, i) => (i === 0 ? {...item, note: `${item.note}; ${note}`} : item)));
      }
    }
    return edges.list();
  },
};
