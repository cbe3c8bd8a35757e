/**
 * kubepath graph build
 * ====================
 *
 * The cluster model as one graphology MultiDirectedGraph: the nodes of docs/interface.md, the context
 * edges that describe the cluster, then the attack edges of every rule (identity
 * membership, MEMBER_OF, is one: src/edges/member-of.ts). Insertion follows the
 * model's sorted order, so the graph is the same for the same snapshot.
 */
import {MultiDirectedGraph} from 'graphology';
import {compileLabelMap, compileSelector} from '../engines/selectors.js';
import {RULES} from '../edges/index.js';
import {createRuleContext, type RuleContext} from '../engines/context.js';
import type {EdgeRule} from '../edges/rule.js';
import {secretReferences} from './pod-spec.js';
import {objectKey} from '../snapshot/snapshot.js';
import * as ids from './ids.js';
import {subjectIdentity, type ClusterModel} from './model.js';
import type {ContextEdgeAttributes, ContextEdgeType, KubeGraph, NodeAttributes} from './types.js';
import {uniqueVulnerabilities} from './vulnerabilities.js';

type Extra = Record<string, unknown>;

function addNode(graph: KubeGraph, id: string, kind: NodeAttributes['kind'], name: string, namespace?: string, extra: Extra = {}): void {
  if (graph.hasNode(id)) return;
  const attributes: NodeAttributes = namespace === undefined ? {id, kind, name, ...extra} : {id, kind, name, namespace, ...extra};
  graph.addNode(id, attributes);
}

function addContextEdge(graph: KubeGraph, source: string, target: string, type: ContextEdgeType, extra: Extra = {}): void {
  const attributes: ContextEdgeAttributes = {type, attack: false, ...extra};
  graph.addEdge(source, target, attributes);
}

function addNamespaced(graph: KubeGraph, id: string, kind: NodeAttributes['kind'], namespace: string, name: string, extra: Extra = {}): void {
  addNode(graph, id, kind, name, namespace, extra);
  addContextEdge(graph, id, ids.namespaceId(namespace), 'IN_NAMESPACE');
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
  const objects = model.snapshot.objects;

  addNode(graph, ids.INTERNET, 'Internet', 'internet');
  addNode(graph, ids.CLUSTER_ADMIN, 'ClusterAdmin', 'cluster-admin');
  for (const ns of model.namespaces.values()) {
    addNode(graph, ids.namespaceId(ns.name), 'Namespace', ns.name, undefined, {declared: ns.declared, labels: ns.labels});
  }
  for (const node of model.nodes.values()) addNode(graph, ids.nodeId(node.name), 'Node', node.name, undefined, {declared: node.declared});

  for (const workload of model.workloads) {
    addNamespaced(graph, workload.id, 'Workload', workload.namespace, workload.name, {workloadKind: workload.kind, declared: workload.declared});
  }
  for (const sa of model.serviceAccounts.values()) {
    const extra: Extra = {declared: sa.declared};
    if (sa.object?.automountServiceAccountToken != null) extra.automountServiceAccountToken = sa.object.automountServiceAccountToken;
    addNamespaced(graph, sa.id, 'ServiceAccount', sa.namespace, sa.name, extra);
  }
  for (const pod of model.pods) {
    const extra: Extra = {
      representative: pod.representative,
      nodeName: pod.nodeName,
      serviceAccount: pod.serviceAccount,
      labels: pod.labels,
      images: pod.spec.containers.map((c) => c.image ?? ''),
    };
    if (pod.workload) extra.workload = pod.workload.id;
    const scanned = model.vulnerabilities.get(pod.id);
    if (scanned) {
      // What `--vulns` reports say: how many vulnerabilities its images have, and the ids of those that let an attacker in, gravest first.
      extra.vulnerabilities = uniqueVulnerabilities(scanned.containers.flatMap((container) => container.vulnerabilities)).length;
      const exploitable = [...new Set(uniqueVulnerabilities(scanned.containers.flatMap((container) => container.exploitable)).map((vulnerability) => vulnerability.id))];
      if (exploitable.length > 0) extra.exploitableVulnerabilities = exploitable;
    }
    addNamespaced(graph, pod.id, 'Pod', pod.namespace, pod.name, extra);
    addContextEdge(graph, pod.id, ids.nodeId(pod.nodeName), 'RUNS_ON', {field: `${pod.source.specPath}.nodeName`});
    if (pod.workload) addContextEdge(graph, pod.workload.id, pod.id, 'CONTROLS', {representative: pod.representative});
  }

  for (const svc of objects.services) {
    const namespace = svc.metadata.namespace!;
    const id = ids.serviceId(namespace, svc.metadata.name);
    addNamespaced(graph, id, 'Service', namespace, svc.metadata.name, {serviceType: svc.spec?.type ?? 'ClusterIP'});
    // An ExternalName Service is a DNS alias: it has no endpoints, whatever its selector says.
    const selects = compileLabelMap(svc.spec?.type === 'ExternalName' ? undefined : svc.spec?.selector);
    for (const pod of model.podsByNamespace.get(namespace) ?? []) {
      if (selects(pod.labels)) addContextEdge(graph, id, pod.id, 'SELECTS');
    }
  }

  for (const secret of objects.secrets) {
    const namespace = secret.metadata.namespace!;
    addNamespaced(graph, ids.secretId(namespace, secret.metadata.name), 'Secret', namespace, secret.metadata.name, {
      secretType: secret.type ?? 'Opaque',
      declared: true,
    });
  }
  // Secrets pods consume that the input lacks (manifests rarely carry them): MOUNTS_SECRET draws to these.
  for (const pod of model.pods) {
    for (const {name} of secretReferences(pod)) {
      const id = ids.secretId(pod.namespace, name);
      if (!graph.hasNode(id)) addNamespaced(graph, id, 'Secret', pod.namespace, name, {declared: false});
    }
  }

  for (const policy of objects.networkPolicies) {
    const namespace = policy.metadata.namespace!;
    const id = ids.networkPolicyId(namespace, policy.metadata.name);
    addNamespaced(graph, id, 'NetworkPolicy', namespace, policy.metadata.name);
    // An absent podSelector is treated as the empty one: every pod of the namespace.
    const applies = compileSelector(policy.spec?.podSelector ?? {});
    for (const pod of model.podsByNamespace.get(namespace) ?? []) {
      if (applies(pod.labels)) addContextEdge(graph, id, pod.id, 'APPLIES_TO');
    }
  }

  addRbac(graph, model);

  for (const rule of rules) {
    const started = performance.now();
    const edges = rule.build(context);
    for (const edge of edges) {
      if (!graph.hasNode(edge.source) || !graph.hasNode(edge.target)) {
        throw new Error(`rule ${rule.id} drew an edge between unknown nodes ${edge.source} -> ${edge.target}`);
      }
      graph.addEdge(edge.source, edge.target, edge.attributes);
    }
    onRule?.(rule.id, (performance.now() - started) / 1000, edges.length);
  }
  return graph;
}

function addRbac(graph: KubeGraph, model: ClusterModel): void {
  const objects = model.snapshot.objects;
  for (const role of objects.roles) {
    const namespace = role.metadata.namespace!;
    addNamespaced(graph, ids.roleId(namespace, role.metadata.name), 'Role', namespace, role.metadata.name, {declared: true});
  }
  for (const role of objects.clusterRoles) {
    addNode(graph, ids.clusterRoleId(role.metadata.name), 'ClusterRole', role.metadata.name, undefined, {declared: true});
  }
  const bindings = [
    ...objects.clusterRoleBindings.map((binding) => ({binding, kind: 'ClusterRoleBinding', namespace: undefined})),
    ...objects.roleBindings.map((binding) => ({binding, kind: 'RoleBinding', namespace: binding.metadata.namespace})),
  ];
  for (const {binding, kind, namespace} of bindings) {
    const ref = binding.roleRef;
    let target: string;
    if (ref.kind === 'Role') {
      // A Role is looked up in the binding's own namespace only; a ClusterRoleBinding cannot name one.
      if (!namespace) continue;
      target = ids.roleId(namespace, ref.name);
      if (!graph.hasNode(target)) addNamespaced(graph, target, 'Role', namespace, ref.name, {declared: false});
    } else {
      target = ids.clusterRoleId(ref.name);
      addNode(graph, target, 'ClusterRole', ref.name, undefined, {declared: false});
    }
    const bindingKey = objectKey(kind, namespace, binding.metadata.name);
    (binding.subjects ?? []).forEach((subject, index) => {
      const node = subjectIdentity(subject, namespace);
      if (!node) return;
      if (node.namespace === undefined) addNode(graph, node.id, node.kind, node.name);
      else if (!graph.hasNode(node.id)) addNamespaced(graph, node.id, node.kind, node.namespace, node.name, {declared: false});
      addContextEdge(graph, node.id, target, 'HAS_ROLE', {binding: bindingKey, subject: index, scope: namespace ?? 'cluster'});
    });
  }
}
