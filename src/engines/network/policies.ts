/**
 * kubepath network policies, compiled
 * ===================================
 *
 * NetworkPolicy v1 and AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1)
 * turned once into matchers over peers, so that evaluating a connection never
 * re-reads a manifest. The semantics follow the API definitions (see
 * docs/network.md): policyTypes defaulting, empty versus absent selectors and peers,
 * AND within one peer and OR across peers, a podSelector-only peer meaning the
 * policy's own namespace, ports with TCP as the default protocol, endPort ranges,
 * named ports resolved against the destination, ipBlock `except`.
 */
import {compileSelector, type LabelMatcher} from '../selectors.js';
import type {LabelSelector, NetworkPolicyObject} from '../../snapshot/schema.js';
import {blockRanges, type AddressRange} from './addresses.js';
import {PortSet, type Protocol} from './ports.js';

/**
 * One side of a connection, as policies see it. The ingress controller is a source
 * whose namespace and labels are unknown: only rules that admit any source admit it.
 */
export type Endpoint = {kind: 'pod'; peer: NetworkPeer} | {kind: 'external'; atom: AddressRange} | {kind: 'ingress-controller'};

export interface ContainerPort {
  name?: string | null | undefined;
  port: number;
  protocol: Protocol;
}

/** Pods that every policy treats alike: one workload, or one bare pod. */
export interface NetworkPeer {
  /** netpol-analyzer's name: `ns/name[Kind]`. */
  name: string;
  namespace: string;
  labels: Readonly<Record<string, string>>;
  namespaceLabels: Readonly<Record<string, string>>;
  ports: readonly ContainerPort[];
  /** Graph ids of the pods this peer stands for. */
  pods: readonly string[];
}

type PortEntry = {protocol: Protocol; ports: PortSet} | {protocol: Protocol | undefined; name: string};

/** The ports a rule allows towards one destination peer; named ports resolve there. */
function resolvePorts(entries: readonly PortEntry[] | 'all', destination: NetworkPeer | undefined): PortSet {
  if (entries === 'all') return PortSet.ALL;
  let set = PortSet.NONE;
  for (const entry of entries) {
    if ('ports' in entry) set = set.union(entry.ports);
    else if (destination) {
      for (const port of destination.ports) {
        if (port.name === entry.name && (entry.protocol === undefined || entry.protocol === port.protocol)) {
          set = set.union(PortSet.range(port.protocol, port.port));
        }
      }
    }
  }
  return set;
}

function numericPorts(protocol: Protocol, port: number | null | undefined, endPort: number | null | undefined): PortSet {
  if (port == null) return PortSet.protocol(protocol);
  return PortSet.range(protocol, port, endPort ?? port);
}

// ---------------------------------------------------------------- NetworkPolicy v1

type PeerMatcher = (endpoint: Endpoint) => boolean;

interface NetworkPolicyRule {
  /** Absent or empty `from`/`to`: every source or destination, outside the cluster too. */
  peers: PeerMatcher[] | 'any';
  ports: PortEntry[] | 'all';
}

export interface CompiledNetworkPolicy {
  id: string;
  namespace: string;
  selects: LabelMatcher;
  isolatesIngress: boolean;
  isolatesEgress: boolean;
  ingress: NetworkPolicyRule[];
  egress: NetworkPolicyRule[];
  /** The address blocks its rules name, which cut the external address space into atoms. */
  ingressBlocks: AddressRange[][];
  egressBlocks: AddressRange[][];
}

type NpSpec = NonNullable<NetworkPolicyObject['spec']>;
type NpPeerSpec = NonNullable<NonNullable<NpSpec['ingress']>[number]['from']>[number];

function npBlocks(rules: Array<{from?: NpPeerSpec[] | null; to?: NpPeerSpec[] | null}> | null | undefined): AddressRange[][] {
  return (rules ?? []).flatMap((rule) => [...(rule.from ?? []), ...(rule.to ?? [])].flatMap((peer) => (peer.ipBlock ? [blockRanges(peer.ipBlock.cidr, peer.ipBlock.except ?? [])] : [])));
}

function npPeer(policyNamespace: string, peer: NpPeerSpec): PeerMatcher {
  if (peer.ipBlock) {
    const ranges = blockRanges(peer.ipBlock.cidr, peer.ipBlock.except ?? []);
    // Pods are never matched by ipBlocks in the default profile (as netpol-analyzer and Cilium).
    return (endpoint) => endpoint.kind === 'external' && ranges.some(([a, b]) => a <= endpoint.atom[0] && endpoint.atom[1] <= b);
  }
  const pods = peer.podSelector ? compileSelector(peer.podSelector) : undefined;
  const namespaces = peer.namespaceSelector ? compileSelector(peer.namespaceSelector) : undefined;
  if (!pods && !namespaces) return () => false; // a peer with no field set matches nothing (the API rejects it)
  return (endpoint) => {
    if (endpoint.kind !== 'pod') return false;
    const {peer: other} = endpoint;
    const namespaceOk = namespaces ? namespaces(other.namespaceLabels) : other.namespace === policyNamespace;
    return namespaceOk && (!pods || pods(other.labels));
  };
}

function npPorts(ports: NonNullable<NonNullable<NpSpec['ingress']>[number]['ports']> | null | undefined): PortEntry[] | 'all' {
  if (!ports || ports.length === 0) return 'all';
  return ports.map((entry): PortEntry => {
    const protocol = entry.protocol ?? 'TCP';
    if (typeof entry.port === 'string') return {protocol, name: entry.port};
    return {protocol, ports: numericPorts(protocol, entry.port, entry.endPort)};
  });
}

export function compileNetworkPolicy(policy: NetworkPolicyObject): CompiledNetworkPolicy {
  const namespace = policy.metadata.namespace!;
  const spec = policy.spec ?? {};
  // policyTypes default: Ingress always, Egress only when there are egress rules.
  const types = spec.policyTypes ?? (spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
  const rules = (list: Array<{from?: unknown; to?: unknown; ports?: unknown}> | null | undefined, field: 'from' | 'to'): NetworkPolicyRule[] =>
    (list ?? []).map((rule) => {
      const peers = rule[field] as Parameters<typeof npPeer>[1][] | null | undefined;
      return {
        peers: !peers || peers.length === 0 ? 'any' : peers.map((p) => npPeer(namespace, p)),
        ports: npPorts(rule.ports as Parameters<typeof npPorts>[0]),
      };
    });
  return {
    id: `NetworkPolicy/${namespace}/${policy.metadata.name}`,
    namespace,
    selects: compileSelector(spec.podSelector ?? {}),
    isolatesIngress: types.includes('Ingress'),
    isolatesEgress: types.includes('Egress'),
    ingress: types.includes('Ingress') ? rules(spec.ingress, 'from') : [],
    egress: types.includes('Egress') ? rules(spec.egress, 'to') : [],
    ingressBlocks: types.includes('Ingress') ? npBlocks(spec.ingress) : [],
    egressBlocks: types.includes('Egress') ? npBlocks(spec.egress) : [],
  };
}

export function npRuleAllows(rule: NetworkPolicyRule, other: Endpoint, destination: NetworkPeer | undefined): PortSet {
  if (rule.peers !== 'any' && !rule.peers.some((match) => match(other))) return PortSet.NONE;
  return resolvePorts(rule.ports, destination);
}

// ------------------------------------------- AdminNetworkPolicy, BaselineAdminNetworkPolicy

export type AdminAction = 'Allow' | 'Deny' | 'Pass';

interface AdminRule {
  action: AdminAction;
  peers: PeerMatcher[];
  ports: PortEntry[] | 'all';
}

export interface CompiledAdminPolicy {
  id: string;
  /** Lower runs first; the baseline policy has none. */
  priority: number;
  subject: (peer: NetworkPeer) => boolean;
  ingress: AdminRule[];
  egress: AdminRule[];
  /** Egress `networks` blocks, which cut the external address space into atoms. */
  networkBlocks: AddressRange[][];
}

interface AdminPodsSelector {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}
interface AdminPeer {
  namespaces?: LabelSelector;
  pods?: AdminPodsSelector;
  networks?: string[];
}
interface AdminPort {
  portNumber?: {protocol?: Protocol; port: number};
  portRange?: {protocol?: Protocol; start: number; end: number};
  namedPort?: string;
}
interface AdminRuleSpec {
  action: AdminAction;
  from?: AdminPeer[];
  to?: AdminPeer[];
  ports?: AdminPort[];
}
interface AdminSpec {
  priority?: number;
  subject: {namespaces?: LabelSelector; pods?: AdminPodsSelector};
  ingress?: AdminRuleSpec[] | null;
  egress?: AdminRuleSpec[] | null;
}

function podsMatcher(pods: AdminPodsSelector): (peer: NetworkPeer) => boolean {
  const namespaces = compileSelector(pods.namespaceSelector ?? {});
  const selected = compileSelector(pods.podSelector ?? {});
  return (peer) => namespaces(peer.namespaceLabels) && selected(peer.labels);
}

function adminPeer(peer: AdminPeer): PeerMatcher {
  if (peer.networks) {
    const ranges = peer.networks.flatMap((cidr) => blockRanges(cidr));
    return (endpoint) => endpoint.kind === 'external' && ranges.some(([a, b]) => a <= endpoint.atom[0] && endpoint.atom[1] <= b);
  }
  if (peer.namespaces) {
    const namespaces = compileSelector(peer.namespaces);
    return (endpoint) => endpoint.kind === 'pod' && namespaces(endpoint.peer.namespaceLabels);
  }
  if (peer.pods) {
    const pods = podsMatcher(peer.pods);
    return (endpoint) => endpoint.kind === 'pod' && pods(endpoint.peer);
  }
  return () => false; // `nodes` and `domainNames` peers match no pod and no external atom here
}

function adminPorts(ports: AdminPort[] | undefined): PortEntry[] | 'all' {
  if (!ports || ports.length === 0) return 'all';
  return ports.flatMap((entry): PortEntry[] => {
    if (entry.portNumber) {
      const protocol = entry.portNumber.protocol ?? 'TCP';
      return [{protocol, ports: PortSet.range(protocol, entry.portNumber.port)}];
    }
    if (entry.portRange) {
      const protocol = entry.portRange.protocol ?? 'TCP';
      return [{protocol, ports: PortSet.range(protocol, entry.portRange.start, entry.portRange.end)}];
    }
    return entry.namedPort ? [{protocol: undefined, name: entry.namedPort}] : [];
  });
}

export function compileAdminPolicy(kind: string, name: string, spec: AdminSpec): CompiledAdminPolicy {
  const subject = spec.subject.namespaces
    ? ((selects: LabelMatcher) => (peer: NetworkPeer) => selects(peer.namespaceLabels))(compileSelector(spec.subject.namespaces))
    : spec.subject.pods
      ? podsMatcher(spec.subject.pods)
      : () => false;
  const rules = (list: AdminRuleSpec[] | null | undefined, field: 'from' | 'to'): AdminRule[] =>
    (list ?? []).map((rule) => ({action: rule.action, peers: (rule[field] ?? []).map(adminPeer), ports: adminPorts(rule.ports)}));
  return {
    id: `${kind}/${name}`,
    priority: spec.priority ?? Number.POSITIVE_INFINITY,
    subject,
    ingress: rules(spec.ingress, 'from'),
    egress: rules(spec.egress, 'to'),
    networkBlocks: (spec.egress ?? []).flatMap((rule) => (rule.to ?? []).flatMap((peer) => (peer.networks ? [peer.networks.flatMap((cidr) => blockRanges(cidr))] : []))),
  };
}

export function adminRuleMatches(rule: AdminRule, other: Endpoint, destination: NetworkPeer | undefined): PortSet {
  if (!rule.peers.some((match) => match(other))) return PortSet.NONE;
  return resolvePorts(rule.ports, destination);
}
