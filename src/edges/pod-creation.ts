/**
 * kubepath pod creation through RBAC
 * ==================================
 *
 * Who can get a pod of their own design running in a namespace, shared by
 * CAN_CREATE_POD_AS (the pod names any service account of the namespace) and
 * CAN_CREATE_PRIVILEGED_POD (the pod is privileged, where admission allows):
 * - `create` on pods or on any of the seven workload kinds (the controller creates
 *   the pods, so the creator needs no pod rights);
 * - `patch`/`update` on an existing workload, by its name: a new pod template rolls
 *   out (Deployment, StatefulSet, DaemonSet), or applies to the next pods a
 *   ReplicaSet or ReplicationController creates (the same rights scale it up), or to
 *   a CronJob's next run (conditional: the schedule, or `suspend`, decides when). A
 *   Job's template is immutable, so patching a Job gives nothing.
 */
import type {ResourceRequest} from '../engines/rbac/request.js';
import type {WorkloadInfo, WorkloadKind} from '../graph/model.js';
import type {Certainty, Evidence} from '../graph/types.js';
import type {RuleContext} from '../engines/context.js';
import {grantsEvidence, isEscalation, namedGrants, type GrantsBySource} from './rbac-grants.js';
import {pushTo} from '../util/group.js';

/** The API group and resource of pods and of each workload kind. */
export const KINDS: Record<WorkloadKind | 'Pod', {group: string; resource: string}> = {
  Pod: {group: '', resource: 'pods'},
  Deployment: {group: 'apps', resource: 'deployments'},
  StatefulSet: {group: 'apps', resource: 'statefulsets'},
  DaemonSet: {group: 'apps', resource: 'daemonsets'},
  ReplicaSet: {group: 'apps', resource: 'replicasets'},
  ReplicationController: {group: '', resource: 'replicationcontrollers'},
  Job: {group: 'batch', resource: 'jobs'},
  CronJob: {group: 'batch', resource: 'cronjobs'},
};

/** One identity's ways to run a pod of its design in a namespace. */
export interface PodCreator {
  certainty: Certainty;
  evidence: Evidence[];
  /** Every way needs a binding the identity writes for itself first. */
  escalated?: boolean;
}

export const kindRequest =
  (verb: string, kind: keyof typeof KINDS) =>
  (namespace: string, name?: string): ResourceRequest => ({
    verb,
    ...KINDS[kind],
    namespace,
    ...(name ? {name} : {}),
  });

/** What a new pod template of a workload does (a Job's is immutable: not asked). */
export function retemplating(kind: WorkloadKind): {certainty: Certainty; when: string} {
  if (kind === 'CronJob') return {certainty: 'conditional', when: 'its next scheduled run creates the pod'};
  if (kind === 'ReplicaSet' || kind === 'ReplicationController')
    return {certainty: 'definite', when: 'its next pods (scale it up) use the new template'};
  return {certainty: 'definite', when: 'the new template rolls out'};
}

const creatorsByContext = new WeakMap<RuleContext, (namespace: string) => ReadonlyMap<string, PodCreator>>();

/**
 * Who can run a pod of their design in a namespace, by source identity; memoised per
 * namespace and shared by the rules of a context. Re-templating is asked once per
 * workload kind of the namespace (rules without resourceNames reach every workload of
 * the kind, so the evidence names one and counts the rest), and by name only for
 * workloads some resourceNames list names.
 */
export function podCreators(context: RuleContext): (namespace: string) => ReadonlyMap<string, PodCreator> {
  const known = creatorsByContext.get(context);
  if (known) return known;
  const kinds = Object.keys(KINDS) as Array<keyof typeof KINDS>;
  const creates = kinds.map((kind) => ({kind, ask: namedGrants(context, kindRequest('create', kind))}));
  const writes = new Map(
    kinds.map((kind) => [kind, ['patch', 'update'].map((verb) => ({verb, ask: namedGrants(context, kindRequest(verb, kind))}))]),
  );
  const workloads = new Map<string, Map<WorkloadKind, WorkloadInfo[]>>();
  for (const workload of context.model.workloads) {
    if (workload.kind === 'Job') continue;
    let byKind = workloads.get(workload.namespace);
    if (!byKind) workloads.set(workload.namespace, (byKind = new Map()));
    pushTo(byKind, workload.kind, workload);
  }
  const cache = new Map<string, Map<string, PodCreator>>();
  const creatorsOf = (namespace: string): ReadonlyMap<string, PodCreator> => {
    let creators = cache.get(namespace);
    if (creators) return creators;
    const found = (creators = new Map<string, PodCreator>());
    const add = (answer: GrantsBySource, certainty: Certainty, what: string): void => {
      for (const [source, grants] of answer) {
        const evidence = grantsEvidence(context, grants, () => what);
        if (evidence.length === 0) continue;
        const escalated = grants.every(isEscalation);
        const creator = found.get(source);
        if (!creator) found.set(source, escalated ? {certainty, evidence, escalated} : {certainty, evidence});
        else {
          creator.evidence.push(...evidence);
          if (certainty === 'definite') creator.certainty = 'definite';
          if (!escalated) delete creator.escalated;
        }
      }
    };
    for (const {kind, ask} of creates)
      add(ask(namespace, ''), 'definite', `create ${KINDS[kind].resource}: a new ${kind} with any pod template`);
    for (const [kind, list] of workloads.get(namespace) ?? []) {
      const {certainty, when} = retemplating(kind);
      const others = list.length > 1 ? ` (or any other of the ${list.length} ${KINDS[kind].resource} of the namespace)` : '';
      for (const {verb, ask} of writes.get(kind)!) {
        add(ask(namespace, ''), certainty, `${verb} ${KINDS[kind].resource} on the existing ${kind}/${list[0]!.name}${others}: ${when}`);
        for (const workload of list) {
          if (ask.group(namespace, workload.name) === ask.group(namespace, '')) continue;
          const byName = new Map([...ask(namespace, workload.name)].filter(([source]) => !ask(namespace, '').has(source)));
          add(byName, certainty, `${verb} ${KINDS[kind].resource} on the existing ${kind}/${workload.name}: ${when}`);
        }
      }
    }
    cache.set(namespace, creators);
    // Creators are kept by namespace: the answers behind them (every grant to every identity, per request) are not asked again.
    for (const {ask} of [...creates, ...[...writes.values()].flat()]) ask.clear();
    return creators;
  };
  creatorsByContext.set(context, creatorsOf);
  return creatorsOf;
}
