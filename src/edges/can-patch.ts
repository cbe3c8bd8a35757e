/**
 * CAN_PATCH: an identity changes what runs in an existing pod: `patch`/`update` on
 * the pod (a running pod's container images are mutable: the new image runs with the
 * pod's account, mounts and host access), or on the workload that controls it (a new
 * template replaces the pod; see pod-creation.ts for which kinds count), in the pod's
 * namespace, resourceNames honoured (a representative pod has no known name, so only
 * rules without resourceNames reach it as a pod). See docs/edges/CAN_PATCH.md.
 */
import type {Certainty} from '../graph/types.js';
import type {EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {grantsEvidence, namedGrants} from './rbac-grants.js';
import {KINDS, kindRequest, retemplating} from './pod-creation.js';

const VERBS = ['patch', 'update'];

export const canPatch: EdgeRule = {
  id: 'CAN_PATCH',
  type: 'CAN_PATCH',
  mitre: 'T1610',
  summary: "patch/update on the pod (its images), or on the workload controlling it (its template), in the pod's namespace",
  build(context) {
    const kinds = Object.keys(KINDS) as Array<keyof typeof KINDS>;
    const asks = new Map(kinds.map((kind) => [kind, VERBS.map((verb) => ({verb, ask: namedGrants(context, kindRequest(verb, kind))}))]));
    const edges = new EdgeCollector(canPatch);
    for (const pod of context.model.pods) {
      const targets: Array<{kind: keyof typeof KINDS; name: string; certainty: Certainty; what: string}> = [
        {kind: 'Pod', name: pod.representative ? '' : pod.name, certainty: 'definite', what: "the pod: its containers' images are mutable, the new image runs with the pod's account and mounts"},
      ];
      const workload = pod.workload;
      if (workload && workload.kind !== 'Job') {
        const {certainty, when} = retemplating(workload.kind);
        targets.push({kind: workload.kind, name: workload.name, certainty, what: `its controller ${workload.kind}/${workload.name}: ${when}`});
      }
      for (const {kind, name, certainty, what} of targets) {
        for (const {verb, ask} of asks.get(kind)!) {
          for (const [source, grants] of ask(pod.namespace, name)) {
            const evidence = grantsEvidence(context, grants, () => `${verb} ${KINDS[kind].resource} on ${what}`);
            if (evidence.length > 0) edges.add(source, pod.id, certainty, 2, evidence);
          }
        }
      }
    }
    return edges.list();
  },
};
