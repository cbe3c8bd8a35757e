/**
 * kubepath cluster model
 * ======================
 *
 * The indexed snapshot that rules and engines read. It settles, once, what the
 * snapshot leaves implicit:
 * - each pod's top controller (Pod → ReplicaSet → Deployment, Pod → Job → CronJob),
 *   following owner references through the objects present;
 * - manifest mode: a workload with no pods in the input stands in with one
 *   representative pod built from its template (`pod:<ns>/<workload-name>`);
 * - namespaces referenced but not declared, with the `kubernetes.io/metadata.name`
 *   label the control plane would set; each namespace's `default` service account;
 *   service accounts that pods name; pods without a node on `<unscheduled>`.
 */
import {objectKey, parseObjectKey, type Snapshot} from '../snapshot/snapshot.js';
import {
  isObjectName,
  type NamespaceObject,
  type NodeObject,
  type PodObject,
  type PodSpec,
  type ServiceAccountObject,
  type Subject,
  type WorkloadObject,
} from '../snapshot/schema.js';
import {groupBy} from '../util/group.js';
import {compareStrings} from '../util/order.js';
import {parseKubernetesVersion, type KubernetesVersion} from '../version/kubernetes.js';
import type {PodVulnerabilities} from './vulnerabilities.js';
import {groupId, podId, serviceAccountId, UNSCHEDULED, userId, workloadId} from './ids.js';

/** Controllers whose pods kubepath groups as one workload, in their order of precedence. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

const WORKLOAD_KEYS: Record<WorkloadKind, keyof Snapshot['objects']> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
  ReplicaSet: 'replicaSets',
  Job: 'jobs',
  CronJob: 'cronJobs',
  ReplicationController: 'replicationControllers',
};

export interface NamespaceInfo {
  name: string;
  /** False when only referenced by other objects. */
  declared: boolean;
  labels: Record<string, string>;
  object?: NamespaceObject;
}

export interface NodeInfo {
  name: string;
  declared: boolean;
  object?: NodeObject;
}

export interface WorkloadInfo {
  id: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  /** False when known only from an owner reference. */
  declared: boolean;
  object?: WorkloadObject;
  pods: PodInfo[];
}

export interface PodInfo {
  id: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  spec: PodSpec;
  nodeName: string;
  serviceAccount: string;
  /** True for a workload's stand-in built from its pod template. */
  representative: boolean;
  workload?: WorkloadInfo;
  /** The snapshot object holding this pod's spec, and the field path to that spec. */
  source: {object: string; specPath: string};
  object?: PodObject;
}

export interface ServiceAccountInfo {
  id: string;
  namespace: string;
  name: string;
  declared: boolean;
  object?: ServiceAccountObject;
}

export interface ClusterModel {
  snapshot: Snapshot;
  namespaces: Map<string, NamespaceInfo>;
  nodes: Map<string, NodeInfo>;
  workloads: WorkloadInfo[];
  pods: PodInfo[];
  podsByNamespace: Map<string, PodInfo[]>;
  podsById: Map<string, PodInfo>;
  /** Pods by the node they run on (`<unscheduled>` included). */
  podsByNode: Map<string, PodInfo[]>;
  serviceAccounts: Map<string, ServiceAccountInfo>;
  /** What image vulnerability reports say of pods' containers, by pod id (`--vulns`, src/vulns/match.ts); empty without one. */
  vulnerabilities: Map<string, PodVulnerabilities>;
  /** The control plane's Kubernetes version, when the API server told the collector (or `--kube-version` says; src/version). */
  kubernetesVersion?: KubernetesVersion;
}

interface OwnerReference {
  kind?: string | null | undefined;
  name?: string | null | undefined;
  controller?: boolean | null | undefined;
}

/**
 * The managing owner: the reference marked `controller`. Trimmed dumps often drop that
 * flag, so a lone or first reference stands in for it (netpol-analyzer reads them so too).
 */
function controllerOf(refs: readonly OwnerReference[] | null | undefined): OwnerReference | undefined {
  if (!refs || refs.length === 0) return undefined;
  return refs.find((ref) => ref.controller) ?? refs[0];
}

function isWorkloadKind(kind: string | null | undefined): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly (string | null | undefined)[]).includes(kind);
}

function templateOf(workload: WorkloadObject): {labels: Record<string, string>; spec: PodSpec; specPath: string} {
  const template = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;
  const specPath = workload.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
  return {labels: {...(template.metadata?.labels ?? {})}, spec: template.spec, specPath};
}

function serviceAccountName(spec: PodSpec): string {
  // serviceAccount is the deprecated spelling; the API server copies it over when only it is set.
  return spec.serviceAccountName || spec.serviceAccount || 'default';
}

/**
 * A pod as the workload's template makes it: what a workload stands in with when its
 * pods are not in the input, and what posture checks read (a fix lands in the template).
 * `holder` is the controller whose template it is (the workload's own, or one below it).
 */
export function templatePod(workload: WorkloadInfo, holder: WorkloadObject, id = podId(workload.namespace, workload.name)): PodInfo {
  const template = templateOf(holder);
  return {
    id,
    namespace: workload.namespace,
    name: workload.name,
    labels: template.labels,
    spec: template.spec,
    nodeName: template.spec.nodeName || UNSCHEDULED,
    serviceAccount: serviceAccountName(template.spec),
    representative: true,
    workload,
    source: {object: objectKey(holder.kind, workload.namespace, holder.metadata.name), specPath: template.specPath},
  };
}

const byId = <T extends {id: string}>(a: T, b: T): number => compareStrings(a.id, b.id);

/** The controllers present in the input, by objectKey. */
function controllersOf(objects: Snapshot['objects']): Map<string, WorkloadObject> {
  const controllers = new Map<string, WorkloadObject>();
  for (const kind of WORKLOAD_KINDS) {
    for (const object of objects[WORKLOAD_KEYS[kind]] as WorkloadObject[]) {
      controllers.set(objectKey(kind, object.metadata.namespace, object.metadata.name), object);
    }
  }
  return controllers;
}

interface ControllerRef {
  kind: WorkloadKind;
  name: string;
}

/** The workloads pods belong to: the top of each chain of controllers, followed through the objects present. */
class Workloads {
  readonly byId = new Map<string, WorkloadInfo>();
  /** The top of each controller chain, by controller key: computed once, safe against owner cycles. */
  private readonly topOf = new Map<string, ControllerRef | undefined>();

  constructor(readonly controllers: ReadonlyMap<string, WorkloadObject>) {}

  /** The workload at the top of the chain that starts at `first`, if it names a controller. */
  topController(namespace: string, first: OwnerReference | undefined): WorkloadInfo | undefined {
    let top: ControllerRef | undefined;
    const chain: string[] = [];
    let ref = first;
    while (ref && isWorkloadKind(ref.kind) && ref.name) {
      const key = objectKey(ref.kind, namespace, ref.name);
      if (this.topOf.has(key)) {
        top = this.topOf.get(key) ?? top;
        break;
      }
      if (chain.includes(key)) break; // an owner cycle: the chain so far decides
      chain.push(key);
      top = {kind: ref.kind, name: ref.name};
      const object = this.controllers.get(key);
      ref = object ? controllerOf(object.metadata.ownerReferences) : this.impliedOwner(namespace, top);
    }
    for (const key of chain) this.topOf.set(key, top);
    return top ? this.workloadFor(top.kind, namespace, top.name) : undefined;
  }

  private workloadFor(kind: WorkloadKind, namespace: string, name: string): WorkloadInfo {
    const id = workloadId(namespace, kind, name);
    let info = this.byId.get(id);
    if (!info) {
      const object = this.controllers.get(objectKey(kind, namespace, name));
      info = {id, kind, namespace, name, declared: object !== undefined, pods: []};
      if (object) info.object = object;
      this.byId.set(id, info);
    }
    return info;
  }

  /**
   * The owner a controller missing from the input stands for, when its name says so
   * and that owner is present: a ReplicaSet `web-5d8f9` of Deployment `web`, a Job
   * `report-28301` of CronJob `report` (`kubectl get pods,deploy` lists no ReplicaSets).
   */
  private impliedOwner(namespace: string, ref: ControllerRef): OwnerReference | undefined {
    const [ownerKind, suffix] =
      ref.kind === 'ReplicaSet'
        ? (['Deployment', /^(.+)-[a-z0-9]{1,10}$/] as const)
        : ref.kind === 'Job'
          ? (['CronJob', /^(.+)-\d+$/] as const)
          : [];
    const owner = ownerKind && suffix.exec(ref.name)?.[1];
    return owner && this.controllers.has(objectKey(ownerKind, namespace, owner)) ? {kind: ownerKind, name: owner} : undefined;
  }
}

/** The input's pods, each joined to its workload. */
function inputPods(objects: Snapshot['objects'], workloads: Workloads): PodInfo[] {
  return objects.pods.map((pod) => {
    const namespace = pod.metadata.namespace!;
    const info: PodInfo = {
      id: podId(namespace, pod.metadata.name),
      namespace,
      name: pod.metadata.name,
      labels: {...(pod.metadata.labels ?? {})},
      spec: pod.spec,
      nodeName: pod.spec.nodeName || UNSCHEDULED,
      serviceAccount: serviceAccountName(pod.spec),
      representative: false,
      source: {object: objectKey('Pod', namespace, pod.metadata.name), specPath: 'spec'},
      object: pod,
    };
    const workload = workloads.topController(namespace, controllerOf(pod.metadata.ownerReferences));
    if (workload) {
      info.workload = workload;
      workload.pods.push(info);
    }
    return info;
  });
}

/**
 * Stand-in pods for the workloads with no pods in the input, from their template: the
 * top controller's when it is present, else that of the controller found below it.
 */
function representativePods(workloads: Workloads, inputIds: Iterable<string>): PodInfo[] {
  const podIds = new Set(inputIds);
  const representatives: PodInfo[] = [];
  for (const [key, object] of [...workloads.controllers.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    const kind = parseObjectKey(key).kind as WorkloadKind;
    const namespace = object.metadata.namespace!;
    const workload = workloads.topController(namespace, {kind, name: object.metadata.name})!;
    if (workload.pods.length > 0) continue;
    // Ids must stay unique: a Deployment and a StatefulSet `web`, or a real pod named like a stand-in.
    let id = podId(namespace, workload.name);
    for (let n = 1; podIds.has(id); n++) id = podId(namespace, `${workload.name}.${workload.kind.toLowerCase()}${n > 1 ? `.${n}` : ''}`);
    podIds.add(id);
    const representative = templatePod(workload, workload.object ?? object, id);
    workload.pods.push(representative);
    representatives.push(representative);
  }
  return representatives;
}

/** Declared nodes, plus every node a pod names. */
function collectNodes(snapshot: Snapshot, pods: readonly PodInfo[]): Map<string, NodeInfo> {
  const nodes = new Map<string, NodeInfo>();
  for (const node of snapshot.objects.nodes) nodes.set(node.metadata.name, {name: node.metadata.name, declared: true, object: node});
  for (const pod of pods) {
    if (!nodes.has(pod.nodeName)) nodes.set(pod.nodeName, {name: pod.nodeName, declared: false});
  }
  return nodes;
}

/** Declared service accounts, plus each namespace's `default` and every one a pod or a binding names. */
function collectServiceAccounts(
  snapshot: Snapshot,
  namespaces: Iterable<string>,
  pods: readonly PodInfo[],
): Map<string, ServiceAccountInfo> {
  const serviceAccounts = new Map<string, ServiceAccountInfo>();
  const add = (namespace: string, name: string, object?: ServiceAccountObject): void => {
    const id = serviceAccountId(namespace, name);
    if (serviceAccounts.has(id) && !object) return;
    serviceAccounts.set(id, object ? {id, namespace, name, declared: true, object} : {id, namespace, name, declared: false});
  };
  const {objects} = snapshot;
  for (const sa of objects.serviceAccounts) add(sa.metadata.namespace!, sa.metadata.name, sa);
  for (const namespace of namespaces) add(namespace, 'default');
  for (const pod of pods) add(pod.namespace, pod.serviceAccount);
  for (const binding of [...objects.roleBindings, ...objects.clusterRoleBindings]) {
    for (const subject of binding.subjects ?? []) {
      const account = subjectServiceAccount(subject, binding.metadata.namespace);
      if (account) add(account.namespace, account.name);
    }
  }
  return serviceAccounts;
}

export function buildModel(snapshot: Snapshot): ClusterModel {
  const workloads = new Workloads(controllersOf(snapshot.objects));
  const podsFound = inputPods(snapshot.objects, workloads);
  const pods = [
    ...podsFound,
    ...representativePods(
      workloads,
      podsFound.map((pod) => pod.id),
    ),
  ].sort(byId);
  const namespaces = collectNamespaces(snapshot);
  const serverVersion = snapshot.source.serverVersion ? parseKubernetesVersion(snapshot.source.serverVersion, 'the API server') : undefined;
  return {
    snapshot,
    namespaces: sortedMap(namespaces),
    nodes: sortedMap(collectNodes(snapshot, pods)),
    workloads: [...workloads.byId.values()].sort(byId),
    pods,
    podsByNamespace: groupBy(pods, (pod) => pod.namespace),
    podsById: new Map(pods.map((pod) => [pod.id, pod])),
    podsByNode: groupBy(pods, (pod) => pod.nodeName),
    serviceAccounts: sortedMap(collectServiceAccounts(snapshot, namespaces.keys(), pods)),
    vulnerabilities: new Map(),
    ...(serverVersion ? {kubernetesVersion: serverVersion} : {}),
  };
}

/** Declared namespaces, plus every namespace another object names. */
function collectNamespaces(snapshot: Snapshot): Map<string, NamespaceInfo> {
  const namespaces = new Map<string, NamespaceInfo>();
  const add = (name: string, object?: NamespaceObject): void => {
    if (namespaces.has(name) && !object) return;
    // The control plane sets this immutable label on every namespace; selectors rely on it.
    const labels = {...(object?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name};
    namespaces.set(name, object ? {name, declared: true, labels, object} : {name, declared: false, labels});
  };
  for (const ns of snapshot.objects.namespaces) add(ns.metadata.name, ns);
  for (const list of Object.values(snapshot.objects) as Array<Array<{metadata: {namespace?: string}}>>) {
    for (const object of list) if (object.metadata.namespace) add(object.metadata.namespace);
  }
  for (const binding of [...snapshot.objects.roleBindings, ...snapshot.objects.clusterRoleBindings]) {
    for (const subject of binding.subjects ?? []) {
      const account = subjectServiceAccount(subject, binding.metadata.namespace);
      if (account) add(account.namespace);
    }
  }
  return namespaces;
}

function sortedMap<V>(map: Map<string, V>): Map<string, V> {
  return new Map([...map.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

/**
 * The service account a user name is, as the RBAC authorizer matches them
 * (`serviceaccount.MatchesUsername`: `system:serviceaccount:` + namespace + `:` + name,
 * compared as one string). A service account's name has no `:`, so the name follows the
 * last one. Namespace and name must be names a snapshot's objects can have: no service
 * account authenticates as `system:serviceaccount:a/b:c`, so that is a plain user name.
 */
export function serviceAccountOfUser(username: string): {namespace: string; name: string} | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return undefined;
  const colon = username.lastIndexOf(':');
  const [namespace, name] = [username.slice(SERVICE_ACCOUNT_USER_PREFIX.length, colon), username.slice(colon + 1)];
  return isObjectName(namespace) && isObjectName(name) ? {namespace, name} : undefined;
}

/**
 * The service account a binding subject names, if any: a ServiceAccount subject (a
 * RoleBinding's may omit its namespace, a ClusterRoleBinding's may not), or a User
 * named `system:serviceaccount:<ns>:<name>`, which is how that account's token
 * authenticates. The API server does not check a ServiceAccount subject's namespace:
 * one no namespace can have (`a/b`) names the user `system:serviceaccount:a/b:<name>`
 * (subjectIdentity), which no service account is.
 */
export function subjectServiceAccount(
  subject: Subject,
  bindingNamespace: string | undefined,
): {namespace: string; name: string} | undefined {
  if (subject.kind === 'ServiceAccount') {
    const namespace = subject.namespace || bindingNamespace;
    return namespace && isObjectName(namespace) ? {namespace, name: subject.name} : undefined;
  }
  return subject.kind === 'User' ? serviceAccountOfUser(subject.name) : undefined;
}

/** A User, Group or ServiceAccount a binding subject names, with its graph id. */
export interface SubjectIdentity {
  id: string;
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  /** A service account's. */
  namespace?: string;
}

/** The identity a binding subject names, as the authorizer matches it (User and Group by exact name); undefined for a subject that matches nobody. */
export function subjectIdentity(subject: Subject, bindingNamespace: string | undefined): SubjectIdentity | undefined {
  const account = subjectServiceAccount(subject, bindingNamespace);
  if (account) return {id: serviceAccountId(account.namespace, account.name), kind: 'ServiceAccount', ...account};
  if (subject.kind === 'Group') return {id: groupId(subject.name), kind: 'Group', name: subject.name};
  if (subject.kind === 'User') return {id: userId(subject.name), kind: 'User', name: subject.name};
  // A ServiceAccount subject in a namespace none can have matches only the user of that name; a
  // ClusterRoleBinding's without a namespace matches nothing.
  const namespace = subject.namespace || bindingNamespace;
  if (!namespace) return undefined;
  const username = `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${subject.name}`;
  return {id: userId(username), kind: 'User', name: username};
}
