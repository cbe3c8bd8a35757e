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
import {objectKey, type Snapshot} from '../snapshot/snapshot.js';
import type {NamespaceObject, NodeObject, PodObject, PodSpec, ServiceAccountObject, WorkloadObject} from '../snapshot/schema.js';
import {podId, serviceAccountId, UNSCHEDULED, workloadId} from './ids.js';

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
  serviceAccounts: Map<string, ServiceAccountInfo>;
}

interface OwnerReference {
  kind?: string | undefined;
  name?: string | undefined;
  controller?: boolean | undefined;
}

function controllerOf(refs: readonly OwnerReference[] | null | undefined): OwnerReference | undefined {
  if (!refs || refs.length === 0) return undefined;
  return refs.find((ref) => ref.controller) ?? refs[0];
}

function isWorkloadKind(kind: string | undefined): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly (string | undefined)[]).includes(kind);
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

const byId = <T extends {id: string}>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function buildModel(snapshot: Snapshot): ClusterModel {
  const objects = snapshot.objects;

  // Controllers present in the input, by objectKey.
  const controllers = new Map<string, WorkloadObject>();
  for (const kind of WORKLOAD_KINDS) {
    for (const object of objects[WORKLOAD_KEYS[kind]] as WorkloadObject[]) {
      controllers.set(objectKey(kind, object.metadata.namespace, object.metadata.name), object);
    }
  }

  const workloads = new Map<string, WorkloadInfo>();
  const workloadFor = (kind: WorkloadKind, namespace: string, name: string): WorkloadInfo => {
    const id = workloadId(namespace, kind, name);
    let info = workloads.get(id);
    if (!info) {
      const object = controllers.get(objectKey(kind, namespace, name));
      info = {id, kind, namespace, name, declared: object !== undefined, pods: []};
      if (object) info.object = object;
      workloads.set(id, info);
    }
    return info;
  };

  /** Follows controller references up through the controllers present; bounded by their count. */
  const topController = (namespace: string, first: OwnerReference | undefined): WorkloadInfo | undefined => {
    let top: OwnerReference | undefined;
    let ref = first;
    for (let hops = 0; ref && isWorkloadKind(ref.kind) && ref.name && hops <= controllers.size; hops++) {
      top = ref;
      ref = controllerOf(controllers.get(objectKey(ref.kind, namespace, ref.name))?.metadata.ownerReferences);
    }
    return top ? workloadFor(top.kind as WorkloadKind, namespace, top.name!) : undefined;
  };

  const pods: PodInfo[] = [];
  for (const pod of objects.pods) {
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
    const workload = topController(namespace, controllerOf(pod.metadata.ownerReferences));
    if (workload) {
      info.workload = workload;
      workload.pods.push(info);
    }
    pods.push(info);
  }

  // Top-level controllers in the input: those not controlled by another workload kind.
  const podIds = new Set(pods.map((pod) => pod.id));
  for (const [key, object] of [...controllers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const owner = controllerOf(object.metadata.ownerReferences);
    if (owner && isWorkloadKind(owner.kind)) continue;
    const kind = key.slice(0, key.indexOf('/')) as WorkloadKind;
    const namespace = object.metadata.namespace!;
    const workload = workloadFor(kind, namespace, object.metadata.name);
    if (workload.pods.length > 0) continue;
    const template = templateOf(object);
    // Two workloads of one name (a Deployment and a StatefulSet `web`) cannot share an id.
    let id = podId(namespace, object.metadata.name);
    if (podIds.has(id)) id = podId(namespace, `${object.metadata.name}.${kind.toLowerCase()}`);
    podIds.add(id);
    const representative: PodInfo = {
      id,
      namespace,
      name: object.metadata.name,
      labels: template.labels,
      spec: template.spec,
      nodeName: template.spec.nodeName || UNSCHEDULED,
      serviceAccount: serviceAccountName(template.spec),
      representative: true,
      workload,
      source: {object: key, specPath: template.specPath},
    };
    workload.pods.push(representative);
    pods.push(representative);
  }
  pods.sort(byId);

  const podsByNamespace = new Map<string, PodInfo[]>();
  for (const pod of pods) {
    let list = podsByNamespace.get(pod.namespace);
    if (!list) podsByNamespace.set(pod.namespace, (list = []));
    list.push(pod);
  }

  const namespaces = collectNamespaces(snapshot);
  const nodes = new Map<string, NodeInfo>();
  for (const node of objects.nodes) nodes.set(node.metadata.name, {name: node.metadata.name, declared: true, object: node});
  for (const pod of pods) {
    if (!nodes.has(pod.nodeName)) nodes.set(pod.nodeName, {name: pod.nodeName, declared: false});
  }

  const serviceAccounts = new Map<string, ServiceAccountInfo>();
  const addServiceAccount = (namespace: string, name: string, object?: ServiceAccountObject): void => {
    const id = serviceAccountId(namespace, name);
    if (serviceAccounts.has(id) && !object) return;
    serviceAccounts.set(id, object ? {id, namespace, name, declared: true, object} : {id, namespace, name, declared: false});
  };
  for (const sa of objects.serviceAccounts) addServiceAccount(sa.metadata.namespace!, sa.metadata.name, sa);
  for (const namespace of namespaces.keys()) addServiceAccount(namespace, 'default');
  for (const pod of pods) addServiceAccount(pod.namespace, pod.serviceAccount);
  for (const binding of [...objects.roleBindings, ...objects.clusterRoleBindings]) {
    for (const subject of binding.subjects ?? []) {
      const namespace = subject.namespace || binding.metadata.namespace;
      if (subject.kind === 'ServiceAccount' && namespace && subject.name) addServiceAccount(namespace, subject.name);
    }
  }

  return {
    snapshot,
    namespaces: sortedMap(namespaces),
    nodes: sortedMap(nodes),
    workloads: [...workloads.values()].sort(byId),
    pods,
    podsByNamespace,
    serviceAccounts: sortedMap(serviceAccounts),
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
    for (const subject of binding.subjects ?? []) if (subject.kind === 'ServiceAccount' && subject.namespace) add(subject.namespace);
  }
  return namespaces;
}

function sortedMap<V>(map: Map<string, V>): Map<string, V> {
  return new Map([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
