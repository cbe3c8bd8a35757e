/**
 * kubepath graph build
 * ====================
 *
 * The cluster model as one graphology MultiDirectedGraph: the nodes of
 * docs/interface.md, the context edges that describe the cluster, then the attack
 * edges of every rule (identity membership, MEMBER_OF, is one: src/edges/member-of.ts).
 * Insertion follows the model's sorted order, so the graph is the same for the same
 * snapshot.
 */
import {MultiDirectedGraph} from 'graphology';
import {compileLabelMap, compileSelector} from '../engines/selectors.js';
import {RULES} from '../edges/index.js';
import {createRuleContext, type RuleContext} from '../engines/context.js';
import type {EdgeRule} from '../edges/rule.js';
import {secretReferences} from './pod-spec.js';
import {objectKey} from '../snapshot/snapshot.js';
import * as ids from './ids.js';
import {subjectIdentity, type ClusterModel, type PodInfo, type SubjectIdentity} from './model.js';
import type {ContextEdgeAttributes, ContextEdgeType, KubeGraph, NodeAttributes} from './types.js';
import {uniqueVulnerabilities, type PodVulnerabilities} from './vulnerabilities.js';

type Extra = Record<string, unknown>;

/** What names a node: the attributes every node has, its namespace when it has one. */
type NodeIdentity = Pick<NodeAttributes, 'id' | 'kind' | 'name' | 'namespace'>;
type NamespacedNode = NodeIdentity & {namespace: string};

/** Adds the node unless its id is taken. */
function addNode(graph: KubeGraph, {id, kind, name, namespace}: NodeIdentity, extra: Extra = {}): void {
  if (graph.hasNode(id)) return;
  const attributes: NodeAttributes = namespace === undefined ? {id, kind, name, ...extra} : {id, kind, name, namespace, ...extra};
  graph.addNode(id, attributes);
}

function addContextEdge(graph: KubeGraph, source: string, target: string, type: ContextEdgeType, extra: Extra = {}): void {
  const attributes: ContextEdgeAttributes = {type, attack: false, ...extra};
  graph.addEdge(source, target, attributes);
}

function addNamespaced(graph: KubeGraph, node: NamespacedNode, extra: Extra = {}): void {
  addNode(graph, node, extra);
  addContextEdge(graph, node.id, ids.namespaceId(node.namespace), 'IN_NAMESPACE');
}

/** The Internet, cluster-admin, the namespaces and the nodes: what the rest lives in. */
function addClusterNodes(graph: KubeGraph, model: ClusterModel): void {
  addNode(graph, {id: ids.INTERNET, kind: 'Internet', name: 'internet'});
  addNode(graph, {id: ids.CLUSTER_ADMIN, kind: 'ClusterAdmin', name: 'cluster-admin'});
  for (const ns of model.namespaces.values()) {
    addNode(graph, {id: ids.namespaceId(ns.name), kind: 'Namespace', name: ns.name}, {declared: ns.declared, labels: ns.labels});
  }
  for (const node of model.nodes.values())
    addNode(graph, {id: ids.nodeId(node.name), kind: 'Node', name: node.name}, {declared: node.declared});
}

function addWorkloads(graph: KubeGraph, model: ClusterModel): void {
  for (const workload of model.workloads) {
    addNamespaced(
      graph,
      {id: workload.id, kind: 'Workload', namespace: workload.namespace, name: workload.name},
      {workloadKind: workload.kind, declared: workload.declared},
    );
  }
}

function addServiceAccounts(graph: KubeGraph, model: ClusterModel): void {
  for (const sa of model.serviceAccounts.values()) {
    const extra: Extra = {declared: sa.declared};
    if (sa.object?.automountServiceAccountToken != null) extra.automountServiceAccountToken = sa.object.automountServiceAccountToken;
    addNamespaced(graph, {id: sa.id, kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name}, extra);
  }
}

/** What `--vulns` reports say of a pod: how many vulnerabilities its images have, and the ids of those that let an attacker in, gravest first. */
function vulnerabilityAttributes(scanned: PodVulnerabilities): Extra {
  const extra: Extra = {
    vulnerabilities: uniqueVulnerabilities(scanned.containers.flatMap((container) => container.vulnerabilities)).length,
  };
  const exploitable = [
    ...new Set(
      uniqueVulnerabilities(scanned.containers.flatMap((container) => container.exploitable)).map((vulnerability) => vulnerability.id),
    ),
  ];
  if (exploitable.length > 0) extra.exploitableVulnerabilities = exploitable;
  return extra;
}

function podAttributes(pod: PodInfo, scanned: PodVulnerabilities | undefined): Extra {
  const extra: Extra = {
    representative: pod.representative,
    nodeName: pod.nodeName,
    serviceAccount: pod.serviceAccount,
    labels: pod.labels,
    images: pod.spec.containers.map((c) => c.image ?? ''),
  };
  if (pod.workload) extra.workload = pod.workload.id;
  return scanned ? {...extra, ...vulnerabilityAttributes(scanned)} : extra;
}

/** Each pod, the node it runs on and the workload that controls it. */
function addPods(graph: KubeGraph, model: ClusterModel): void {
  for (const pod of model.pods) {
    addNamespaced(
      graph,
      {id: pod.id, kind: 'Pod', namespace: pod.namespace, name: pod.name},
      podAttributes(pod, model.vulnerabilities.get(pod.id)),
    );
    addContextEdge(graph, pod.id, ids.nodeId(pod.nodeName), 'RUNS_ON', {field: `${pod.source.specPath}.nodeName`});
    if (pod.workload) addContextEdge(graph, pod.workload.id, pod.id, 'CONTROLS', {representative: pod.representative});
  }
}

/** Each service, and the pods of its namespace it selects. */
function addServices(graph: KubeGraph, model: ClusterModel): void {
  for (const svc of model.snapshot.objects.services) {
    const namespace = svc.metadata.namespace!;
    const id = ids.serviceId(namespace, svc.metadata.name);
    addNamespaced(graph, {id, kind: 'Service', namespace, name: svc.metadata.name}, {serviceType: svc.spec?.type ?? 'ClusterIP'});
    // An ExternalName Service is a DNS alias: it has no endpoints, whatever its selector says.
    const selects = compileLabelMap(svc.spec?.type === 'ExternalName' ? undefined : svc.spec?.selector);
    for (const pod of model.podsByNamespace.get(namespace) ?? []) {
      if (selects(pod.labels)) addContextEdge(graph, id, pod.id, 'SELECTS');
    }
  }
}

function addSecrets(graph: KubeGraph, model: ClusterModel): void {
  for (const secret of model.snapshot.objects.secrets) {
    const namespace = secret.metadata.namespace!;
    addNamespaced(
      graph,
      {id: ids.secretId(namespace, secret.metadata.name), kind: 'Secret', namespace, name: secret.metadata.name},
      {secretType: secret.type ?? 'Opaque', declared: true},
    );
  }
  // Secrets pods consume that the input lacks (manifests rarely carry them): MOUNTS_SECRET draws to these.
  for (const pod of model.pods) {
    for (const {name} of secretReferences(pod)) {
      const id = ids.secretId(pod.namespace, name);
      if (!graph.hasNode(id)) addNamespaced(graph, {id, kind: 'Secret', namespace: pod.namespace, name}, {declared: false});
    }
  }
}

/** Each network policy, and the pods of its namespace it applies to. */
function addNetworkPolicies(graph: KubeGraph, model: ClusterModel): void {
  for (const policy of model.snapshot.objects.networkPolicies) {
    const namespace = policy.metadata.namespace!;
    const id = ids.networkPolicyId(namespace, policy.metadata.name);
    addNamespaced(graph, {id, kind: 'NetworkPolicy', namespace, name: policy.metadata.name});
    // An absent podSelector is treated as the empty one: every pod of the namespace.
    const applies = compileSelector(policy.spec?.podSelector ?? {});
    for (const pod of model.podsByNamespace.get(namespace) ?? []) {
      if (applies(pod.labels)) addContextEdge(graph, id, pod.id, 'APPLIES_TO');
    }
  }
}

/** The role a binding grants, added undeclared when the input lacks it; none for a ClusterRoleBinding that names a Role. */
function addRoleRef(graph: KubeGraph, ref: {kind: string; name: string}, namespace: string | undefined): string | undefined {
  if (ref.kind === 'Role') {
    // A Role is looked up in the binding's own namespace only; a ClusterRoleBinding cannot name one.
    if (!namespace) return undefined;
    const target = ids.roleId(namespace, ref.name);
    if (!graph.hasNode(target)) addNamespaced(graph, {id: target, kind: 'Role', namespace, name: ref.name}, {declared: false});
    return target;
  }
  const target = ids.clusterRoleId(ref.name);
  addNode(graph, {id: target, kind: 'ClusterRole', name: ref.name}, {declared: false});
  return target;
}

/** A binding's subject, added undeclared when the input lacks it. */
function addSubject(graph: KubeGraph, node: SubjectIdentity): void {
  const {namespace} = node;
  if (namespace === undefined) addNode(graph, node);
  else if (!graph.hasNode(node.id)) addNamespaced(graph, {...node, namespace}, {declared: false});
}

/** The roles, and what each binding grants to whom (HAS_ROLE). */
function addRbac(graph: KubeGraph, model: ClusterModel): void {
  const objects = model.snapshot.objects;
  for (const role of objects.roles) {
    const namespace = role.metadata.namespace!;
    addNamespaced(
      graph,
      {id: ids.roleId(namespace, role.metadata.name), kind: 'Role', namespace, name: role.metadata.name},
      {declared: true},
    );
  }
  for (const role of objects.clusterRoles) {
    addNode(graph, {id: ids.clusterRoleId(role.metadata.name), kind: 'ClusterRole', name: role.metadata.name}, {declared: true});
  }
  const bindings = [
    ...objects.clusterRoleBindings.map((binding) => ({binding, kind: 'ClusterRoleBinding', namespace: undefined})),
    ...objects.roleBindings.map((binding) => ({binding, kind: 'RoleBinding', namespace: binding.metadata.namespace})),
  ];
  for (const {binding, kind, namespace} of bindings) {
    const target = addRoleRef(graph, binding.roleRef, namespace);
    if (target === undefined) continue;
    const bindingKey = objectKey(kind, namespace, binding.metadata.name);
    (binding.subjects ?? []).forEach((subject, index) => {
      const node = subjectIdentity(subject, namespace);
      if (!node) return;
      addSubject(graph, node);
      addContextEdge(graph, node.id, target, 'HAS_ROLE', {binding: bindingKey, subject: index, scope: namespace ?? 'cluster'});
    });
  }
}

/** Draws one rule's edges, both ends of each already in the graph; how many it drew. */
function addRuleEdges(graph: KubeGraph, rule: EdgeRule, context: RuleContext): number {
  const edges = rule.build(context);
  for (const edge of edges) {
    if (!graph.hasNode(edge.source) || !graph.hasNode(edge.target)) {
      throw new Error(`rule ${rule.id} drew an edge between unknown nodes ${edge.source} -> ${edge.target}`);
    }
    graph.addEdge(edge.source, edge.target, edge.attributes);
  }
  return edges.length;
}

/** Called after each rule with the time it took (engines it built first included) and the edges it drew: for `npm run bench`. */
export type RuleTimer = (rule: string, seconds: number, edges: number) => void;

export function buildGraph(
  model: ClusterModel,
  rules: readonly EdgeRule[] = RULES,
  context: RuleContext = createRuleContext(model),
  onRule?: RuleTimer,
): KubeGraph {
  const graph: KubeGraph = new MultiDirectedGraph();
  addClusterNodes(graph, model);
  addWorkloads(graph, model);
  addServiceAccounts(graph, model);
  addPods(graph, model);
  addServices(graph, model);
  addSecrets(graph, model);
  addNetworkPolicies(graph, model);
  addRbac(graph, model);
  for (const rule of rules) {
    const started = performance.now();
    const drawn = addRuleEdges(graph, rule, context);
    onRule?.(rule.id, (performance.now() - started) / 1000, drawn);
  }
  return graph;
}
