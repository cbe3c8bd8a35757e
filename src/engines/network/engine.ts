/**
 * kubepath network engine
 * =======================
 *
 * Which connections (protocol and port ranges) each peer may open to each other peer
 * and to each external address atom, with the tiers of the Kubernetes network policy
 * APIs: AdminNetworkPolicy (by priority, rules in order, Allow / Deny / Pass), then
 * NetworkPolicy (isolation per direction, the union of rules), then the
 * BaselineAdminNetworkPolicy, then allow. A connection needs the source's egress and
 * the destination's ingress.
 */
import type {ClusterModel, PodInfo} from '../../graph/model.js';
import {compileLabelMap} from '../selectors.js';
import {addressAtoms, type AddressRange} from './addresses.js';
import {
  adminRuleMatches,
  compileAdminPolicy,
  compileNetworkPolicy,
  npRuleAllows,
  type AdminAction,
  type CompiledAdminPolicy,
  type CompiledNetworkPolicy,
  type ContainerPort,
  type Endpoint,
  type NetworkPeer,
} from './policies.js';
import {PortSet} from './ports.js';

export type Direction = 'ingress' | 'egress';

export interface NetworkEngine {
  peers: readonly NetworkPeer[];
  /** External atoms that may reach in (cut by ingress ipBlocks) and that may be reached (egress blocks, networks). */
  sourceAtoms: readonly AddressRange[];
  destinationAtoms: readonly AddressRange[];
  connection(source: Endpoint, destination: Endpoint): PortSet;
  /** Peers that Ingress objects route to, with the pod ports the routes reach. */
  ingressTargets: ReadonlyArray<{peer: NetworkPeer; ports: PortSet}>;
}

/** The netpol-analyzer peer a pod belongs to: its top workload, else itself (or an owner it names without a kind). */
function peerIdentity(pod: PodInfo): {key: string; name: string} {
  if (pod.workload) {
    return {key: pod.workload.id, name: `${pod.namespace}/${pod.workload.name}[${pod.workload.kind}]`};
  }
  const owner = pod.object?.metadata.ownerReferences?.find((ref) => ref.controller) ?? pod.object?.metadata.ownerReferences?.[0];
  const name = owner && !owner.kind && owner.name ? owner.name : pod.name;
  return {key: `${pod.namespace}/${name}[Pod]`, name: `${pod.namespace}/${name}[Pod]`};
}

function containerPorts(pod: PodInfo): ContainerPort[] {
  return pod.spec.containers.flatMap((container) =>
    (container.ports ?? []).flatMap((port) =>
      port.containerPort == null ? [] : [{name: port.name, port: port.containerPort, protocol: port.protocol ?? 'TCP'}],
    ),
  );
}

/** Live pods that carry traffic: a pod the API reports without a host IP is not running anywhere yet. */
function carriesTraffic(pod: PodInfo): boolean {
  const status = pod.object?.status;
  return !status || status.hostIP != null || (status.podIPs?.length ?? 0) > 0 || status.podIP != null;
}

export function buildPeers(model: ClusterModel): NetworkPeer[] {
  const peers = new Map<string, {name: string; pods: PodInfo[]}>();
  for (const pod of model.pods) {
    if (!carriesTraffic(pod)) continue;
    const {key, name} = peerIdentity(pod);
    const entry = peers.get(key);
    if (entry) entry.pods.push(pod);
    else peers.set(key, {name, pods: [pod]});
  }
  return [...peers.values()]
    .map(({name, pods}) => {
      const first = pods[0]!;
      return {
        name,
        namespace: first.namespace,
        labels: first.labels,
        namespaceLabels: model.namespaces.get(first.namespace)?.labels ?? {'kubernetes.io/metadata.name': first.namespace},
        ports: containerPorts(first),
        pods: pods.map((p) => p.id),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * What Ingress objects route to: backend Service (in the Ingress's namespace) and
 * port, mapped through the Service's targetPort (named ports resolved per peer) to
 * the peers its selector picks.
 */
function ingressTargets(model: ClusterModel, peers: readonly NetworkPeer[]): Array<{peer: NetworkPeer; ports: PortSet}> {
  const objects = model.snapshot.objects;
  const services = new Map(objects.services.map((svc) => [`${svc.metadata.namespace}/${svc.metadata.name}`, svc]));
  const reached = new Map<NetworkPeer, PortSet>();
  for (const ingress of objects.ingresses) {
    const namespace = ingress.metadata.namespace!;
    const spec = ingress.spec ?? {};
    const backends = [spec.defaultBackend, spec.backend, ...(spec.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => path.backend))];
    for (const backend of backends) {
      if (!backend) continue;
      const serviceName = backend.service?.name ?? backend.serviceName;
      const wanted = backend.service?.port?.number ?? backend.service?.port?.name ?? backend.servicePort;
      const service = serviceName ? services.get(`${namespace}/${serviceName}`) : undefined;
      if (!service || wanted === undefined) continue;
      const servicePort = (service.spec?.ports ?? []).find((p) => (typeof wanted === 'number' ? p.port === wanted : p.name === wanted));
      if (!servicePort) continue;
      const selects = compileLabelMap(service.spec?.selector);
      const protocol = servicePort.protocol ?? 'TCP';
      for (const peer of peers) {
        if (peer.namespace !== namespace || !selects(peer.labels)) continue;
        const target = servicePort.targetPort ?? servicePort.port;
        const number = typeof target === 'number' ? target : peer.ports.find((p) => p.name === target && p.protocol === protocol)?.port;
        if (number === undefined) continue;
        reached.set(peer, (reached.get(peer) ?? PortSet.NONE).union(PortSet.range(protocol, number)));
      }
    }
  }
  return [...reached.entries()].map(([peer, ports]) => ({peer, ports}));
}

interface AdminSpecLike {
  metadata: {name: string};
  spec: unknown;
}

export function buildNetworkEngine(model: ClusterModel): NetworkEngine {
  const objects = model.snapshot.objects;
  const peers = buildPeers(model);
  const policies = objects.networkPolicies.map(compileNetworkPolicy);
  const policiesByNamespace = new Map<string, CompiledNetworkPolicy[]>();
  for (const policy of policies) {
    const list = policiesByNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    policiesByNamespace.set(policy.namespace, list);
  }
  const admin = (objects.adminNetworkPolicies as AdminSpecLike[])
    .map((p) => compileAdminPolicy('AdminNetworkPolicy', p.metadata.name, p.spec as Parameters<typeof compileAdminPolicy>[2]))
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const baseline = (objects.baselineAdminNetworkPolicies as AdminSpecLike[]).map((p) =>
    compileAdminPolicy('BaselineAdminNetworkPolicy', p.metadata.name, p.spec as Parameters<typeof compileAdminPolicy>[2]),
  );

  const ingressBlocks = policies.flatMap((p) => p.ingressBlocks);
  const egressBlocks = [...policies.flatMap((p) => p.egressBlocks), ...[...admin, ...baseline].flatMap((p) => p.networkBlocks)];

  /** The NetworkPolicies isolating a peer in a direction: found once per peer, asked for every pair. */
  const isolatingCache = new Map<NetworkPeer, Record<Direction, CompiledNetworkPolicy[]>>();
  const isolating = (subject: NetworkPeer, direction: Direction): CompiledNetworkPolicy[] => {
    let cached = isolatingCache.get(subject);
    if (!cached) {
      const selecting = (policiesByNamespace.get(subject.namespace) ?? []).filter((p) => p.selects(subject.labels));
      cached = {ingress: selecting.filter((p) => p.isolatesIngress), egress: selecting.filter((p) => p.isolatesEgress)};
      isolatingCache.set(subject, cached);
    }
    return cached[direction];
  };

  /** Walks one admin tier's rules in order: the first rule that matches a port decides it. */
  const NOTHING_DECIDED = {Allow: PortSet.NONE, Deny: PortSet.NONE, Pass: PortSet.NONE, undecided: PortSet.ALL};
  const decide = (tier: readonly CompiledAdminPolicy[], subject: NetworkPeer, direction: Direction, other: Endpoint, destination: NetworkPeer | undefined) => {
    if (tier.length === 0) return NOTHING_DECIDED; // most clusters have no admin policies: keep the per-pair path light
    const decisions: Record<AdminAction, PortSet> = {Allow: PortSet.NONE, Deny: PortSet.NONE, Pass: PortSet.NONE};
    let decided = PortSet.NONE;
    for (const policy of tier) {
      if (!policy.subject(subject)) continue;
      for (const rule of policy[direction]) {
        const ports = adminRuleMatches(rule, other, destination).subtract(decided);
        if (ports.isEmpty()) continue;
        decisions[rule.action] = decisions[rule.action].union(ports);
        decided = decided.union(ports);
      }
    }
    return {...decisions, undecided: PortSet.ALL.subtract(decided)};
  };

  /** What `subject` allows in one direction towards or from `other`, through the three tiers. */
  const allowed = (subject: NetworkPeer, direction: Direction, other: Endpoint, destination: NetworkPeer | undefined): PortSet => {
    const adminTier = decide(admin, subject, direction, other, destination);
    const rest = adminTier.undecided.union(adminTier.Pass);
    // NetworkPolicy tier: once a policy isolates the pod in this direction, it decides everything left.
    const selecting = isolating(subject, direction);
    if (selecting.length > 0) {
      let npAllow = PortSet.NONE;
      for (const policy of selecting) for (const rule of policy[direction]) npAllow = npAllow.union(npRuleAllows(rule, other, destination));
      return adminTier.Allow.union(rest.intersect(npAllow));
    }
    // Baseline tier, then the default: allow.
    return adminTier.Allow.union(rest.subtract(decide(baseline, subject, direction, other, destination).Deny));
  };

  const connection = (source: Endpoint, destination: Endpoint): PortSet => {
    const destinationPeer = destination.kind === 'pod' ? destination.peer : undefined;
    const egress = source.kind === 'pod' ? allowed(source.peer, 'egress', destination, destinationPeer) : PortSet.ALL;
    if (egress.isEmpty()) return egress;
    const ingress = destination.kind === 'pod' ? allowed(destination.peer, 'ingress', source, destination.peer) : PortSet.ALL;
    return egress.intersect(ingress);
  };

  return {
    peers,
    ingressTargets: ingressTargets(model, peers),
    sourceAtoms: addressAtoms(ingressBlocks),
    destinationAtoms: addressAtoms(egressBlocks),
    connection,
  };
}

