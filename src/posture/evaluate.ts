/**
 * kubepath posture findings
 * =========================
 *
 * Every posture rule over every pod spec the cluster runs, once per spec: a
 * workload's template (where the fix lands; its pods follow it), or a pod no workload
 * owns; a workload the input knows only from its pods' owner references is judged by
 * its first pod. Each finding names the team that owns the workload, from the first
 * of the team keys found on the workload, its pod template, or its namespace.
 */
import {templatePod, type ClusterModel, type PodInfo, type WorkloadInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import type {RuleContext} from '../engines/context.js';
import {podAnnotations} from '../graph/pod-spec.js';
import {compareStrings} from '../util/order.js';
import {POSTURE_RULES} from './index.js';
import {POSTURE_LEVELS, type PostureContext, type PostureLevel} from './rule.js';

/** Where owners are named by default: the labels or annotations `team` and `owner` (or `<prefix>/team`, `<prefix>/owner`). */
export const DEFAULT_TEAM_KEYS = ['team', 'owner'] as const;

export interface Ownership {
  team: string;
  /** Where it was found: `label team of Deployment shop/web`. */
  from: string;
}

export interface PostureFinding {
  /** `<rule>/<subject>`: stable for the same input. */
  id: string;
  rule: string;
  title: string;
  level: PostureLevel;
  /** The workload (`workload:<ns>/<Kind>/<name>`) or bare pod (`pod:<ns>/<name>`) judged. */
  subject: string;
  namespace: string;
  owner?: Ownership;
  evidence: Evidence[];
  fixes: string[];
}

/** The pod spec each subject is judged by. */
function subjects(model: ClusterModel): Array<{id: string; pod: PodInfo; workload?: WorkloadInfo}> {
  const found: Array<{id: string; pod: PodInfo; workload?: WorkloadInfo}> = [];
  for (const workload of model.workloads) {
    const pod = workload.object ? templatePod(workload, workload.object) : workload.pods[0];
    if (pod) found.push({id: workload.id, pod, workload});
  }
  for (const pod of model.pods) if (!pod.workload) found.push({id: pod.id, pod});
  return found.sort((a, b) => compareStrings(a.id, b.id));
}

/** A key's value in a label or annotation map: `team` is `team` itself, else any prefixed `<prefix>/team` (the first by name). */
function lookup(map: Record<string, string> | null | undefined, key: string): {key: string; value: string} | undefined {
  if (!map) return undefined;
  if (map[key]) return {key, value: map[key]};
  const prefixed = Object.keys(map)
    .filter((name) => name.endsWith(`/${key}`) && map[name])
    .sort(compareStrings)[0];
  return prefixed === undefined ? undefined : {key: prefixed, value: map[prefixed]!};
}

/** The team its namespace names, by label then annotation. */
function namespaceOwner(model: ClusterModel, namespace: string, keys: readonly string[]): Ownership | undefined {
  const info = model.namespaces.get(namespace);
  return firstKey(
    [
      [`label %s of namespace ${namespace}`, info?.labels],
      [`annotation %s of namespace ${namespace}`, info?.object?.metadata.annotations],
    ],
    keys,
  );
}

function firstKey(places: Array<[string, Record<string, string> | null | undefined]>, keys: readonly string[]): Ownership | undefined {
  for (const [from, map] of places) {
    for (const key of keys) {
      const found = lookup(map, key);
      if (found) return {team: found.value, from: from.replace('%s', found.key)};
    }
  }
  return undefined;
}

/** The owning team: the first key found, on the workload, then its pods' template or the pod, then the namespace. */
export function ownerOf(model: ClusterModel, pod: PodInfo, keys: readonly string[]): Ownership | undefined {
  const workload = pod.workload?.object;
  const where = pod.representative ? 'its pod template' : `pod ${pod.namespace}/${pod.name}`;
  const places: Array<[string, Record<string, string> | null | undefined]> = [
    ...(workload
      ? ([
          [`label %s of ${workload.kind} ${pod.namespace}/${workload.metadata.name}`, workload.metadata.labels],
          [`annotation %s of ${workload.kind} ${pod.namespace}/${workload.metadata.name}`, workload.metadata.annotations],
        ] as Array<[string, Record<string, string> | null | undefined]>)
      : []),
    [`label %s of ${where}`, pod.labels],
    [`annotation %s of ${where}`, podAnnotations(pod)],
  ];
  return firstKey(places, keys) ?? namespaceOwner(model, pod.namespace, keys);
}

/**
 * Who owns an attack path, to route its finding: the owner of the first pod on it that
 * names one (where the attacker lands, or the breached pod, when its team is named),
 * else of the first namespace on it that names a team.
 */
export function pathOwner(
  model: ClusterModel,
  nodes: readonly string[],
  namespaceOf: (id: string) => string | undefined,
  keys: readonly string[],
): Ownership | undefined {
  for (const id of nodes) {
    const pod = model.podsById.get(id);
    const owner = pod && ownerOf(model, pod, keys);
    if (owner) return owner;
  }
  for (const id of nodes) {
    const namespace = namespaceOf(id);
    const owner = namespace === undefined ? undefined : namespaceOwner(model, namespace, keys);
    if (owner) return owner;
  }
  return undefined;
}

export interface PostureOptions {
  teamKeys?: readonly string[];
  trustedRegistries?: readonly string[];
}

export function postureFindings(ruleContext: RuleContext, options: PostureOptions = {}): PostureFinding[] {
  const teamKeys = options.teamKeys ?? DEFAULT_TEAM_KEYS;
  const context: PostureContext = Object.assign(Object.create(ruleContext) as RuleContext, {
    trustedRegistries: options.trustedRegistries ?? [],
  });
  const findings: PostureFinding[] = [];
  for (const subject of subjects(context.model)) {
    const owner = ownerOf(context.model, subject.pod, teamKeys);
    for (const rule of POSTURE_RULES) {
      const violations = rule.check(subject.pod, context);
      if (violations.length === 0) continue;
      findings.push({
        id: `${rule.id}/${subject.id}`,
        rule: rule.id,
        title: rule.title,
        level: rule.level,
        subject: subject.id,
        namespace: subject.pod.namespace,
        ...(owner ? {owner} : {}),
        evidence: violations.map((v) => v.evidence),
        fixes: [...new Set(violations.map((v) => v.fix))],
      });
    }
  }
  const ruleOrder = new Map(POSTURE_RULES.map((rule, index) => [rule.id, index]));
  // By team (the unowned last), then level, rule and subject: what a team reads is together.
  return findings.sort(
    (a, b) =>
      (a.owner ? 0 : 1) - (b.owner ? 0 : 1) ||
      compareStrings(a.owner?.team ?? '', b.owner?.team ?? '') ||
      POSTURE_LEVELS.indexOf(a.level) - POSTURE_LEVELS.indexOf(b.level) ||
      ruleOrder.get(a.rule)! - ruleOrder.get(b.rule)! ||
      compareStrings(a.subject, b.subject),
  );
}
