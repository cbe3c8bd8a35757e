/**
 * CAN_PATCH: an identity changes what runs in an existing pod: `patch`/`update` on
 * the pod (a running pod's container images are mutable: the new image runs with the
 * pod's account, mounts and host access), or on the workload that controls it (a new
 * template replaces the pod; see pod-creation.ts for which kinds count), in the pod's
 * namespace, resourceNames honoured (a representative pod has no known name, so only
 * rules without resourceNames reach it as a pod). Asked per identity (grant-groups.ts).
 * See docs/edges/CAN_PATCH.md.
 */
import type {PodInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import {grantEdges, type GrantFacet} from './grant-groups.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {bindingFixes, foundGrants, namedGrants} from './rbac-grants.js';
import {KINDS, kindRequest, retemplating} from './pod-creation.js';

const VERBS = ['patch', 'update'];
const RULE = {id: 'CAN_PATCH', type: 'CAN_PATCH', mitre: 'T1610'} as const;
const POD_WHAT = "the pod: its containers' images are mutable, the new image runs with the pod's account and mounts";

/**
 * Why a pod follows its controller, where the graph cannot show it: a controller the
 * input lacks, named only by the pod's owner references (one item per pod, shared by
 * both verbs and every source). A controller the input holds is the pod's `workload`
 * and its CONTROLS edge, and the grant's note names its kind.
 */
function controllerEvidence(): (pod: PodInfo) => Evidence | undefined {
  const memo = new Map<string, Evidence>();
  return (pod) => {
    const {kind, name, declared} = pod.workload!;
    if (declared) return undefined;
    let evidence = memo.get(pod.id);
    if (!evidence)
      memo.set(
        pod.id,
        (evidence = {
          object: pod.source.object,
          field: 'metadata.ownerReferences',
          note: `the pod's top controller is ${kind}/${name}, which the input does not hold`,
        }),
      );
    return evidence;
  };
}

/**
 * Per verb, the pod itself (grouped by namespace, and name where named) and its
 * controller (grouped by namespace and kind, and name where named: rules without
 * resourceNames reach every workload of the kind).
 */
function patchFacets(context: RuleContext): Array<GrantFacet<PodInfo>> {
  const controlledBy = controllerEvidence();
  // A representative pod of a workload has no known name; a Job's template is immutable.
  const podName = (pod: PodInfo): string => (pod.representative ? '' : pod.name);
  const controller = (pod: PodInfo) => (pod.workload && pod.workload.kind !== 'Job' ? pod.workload : undefined);
  return VERBS.flatMap((verb): Array<GrantFacet<PodInfo>> => {
    const onPod = namedGrants(context, kindRequest(verb, 'Pod'));
    const onWorkload = new Map(
      (Object.keys(KINDS) as Array<keyof typeof KINDS>).map((kind) => [kind, namedGrants(context, kindRequest(verb, kind))]),
    );
    return [
      {
        group: (pod) => onPod.group(pod.namespace, podName(pod)),
        answer: (pod) => foundGrants(context, onPod(pod.namespace, podName(pod)), 'definite', () => `${verb} pods on ${POD_WHAT}`),
      },
      {
        group(pod) {
          const workload = controller(pod);
          return workload && `${workload.kind}\u0000${onWorkload.get(workload.kind)!.group(pod.namespace, workload.name)}`;
        },
        answer(pod) {
          const workload = controller(pod)!;
          const {certainty, when} = retemplating(workload.kind);
          const what = `${verb} ${KINDS[workload.kind].resource} on the pod's controlling ${workload.kind}: ${when}`;
          return foundGrants(context, onWorkload.get(workload.kind)!(pod.namespace, workload.name), certainty, () => what);
        },
        targetEvidence: controlledBy,
      },
    ];
  });
}

export const canPatch: EdgeRule = {
  ...RULE,
  family: 'rbac',
  fixes: bindingFixes,
  summary: "patch/update on the pod (its images), or on the workload controlling it (its template), in the pod's namespace",
  ...grantEdges<PodInfo>({rule: RULE, cost: COST.deliberate, targets: ({model}) => model.pods, id: (pod) => pod.id, facets: patchFacets}),
};
