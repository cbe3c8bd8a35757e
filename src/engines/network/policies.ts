/**
 * kubepath network policies, compiled
 * ===================================
 *
 * NetworkPolicy v1 and AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1)
 * turned once into rules with structured peers, so that the engine can both test one
 * connection and compute whole sets of classes (engine.ts, sweep.ts), and `--explain` can
 * name the rule behind every verdict. The semantics follow the API definitions (see
 * docs/network.md): policyTypes defaulting, empty versus absent selectors and peers,
 * AND within one peer and OR across peers, a podSelector-only peer meaning the
 * policy's own namespace, ports with TCP as the default protocol, endPort ranges,
 * named ports resolved against the destination, ipBlock `except`. What the API would
 * reject is reported, not guessed.
 */
import {compileSelector, type LabelMatcher, type Labels} from '../selectors.js';
import type {
  AdminNetworkPolicyObject,
  BaselineAdminNetworkPolicyObject,
  LabelSelector,
  NetworkPolicyObject,
} from '../../snapshot/schema.js';
import {blockRanges, type AddressRange} from './addresses.js';
import {PortSet, type Protocol} from './ports.js';
import type {CniProfile} from './profile.js';

export interface ContainerPort {
  name?: string | null | undefined;
  port: number;
  protocol: Protocol;
}

/**
 * Pods that every policy treats alike: same namespace, same values for every label
 * key a selector reads, same named ports, same host networking (and, when ipBlocks
 * match pods, the same address atom). Classes are what the engine computes over.
 */
export interface NetworkClass {
  index: number;
  namespace: string;
  /** The labels of the class's first pod; the class shares the values selectors read. */
  labels: Labels;
  namespaceLabels: Labels;
  ports: readonly ContainerPort[];
  /** The profile treats these pods as node traffic, outside NetworkPolicy. */
  nodeNetwork: boolean;
  /** The pod address, when the profile lets ipBlocks match pods and the snapshot has it. */
  address: number | undefined;
  /** Its pods run an image with a vulnerability an attacker on the network can use (src/graph/vulnerabilities.ts). */
  knownFlaw: boolean;
  /** Graph ids of its pods. */
  pods: string[];
}

/**
 * One side of a connection, as policies see it. The ingress controller is a source
 * whose namespace and labels are unknown: only rules that admit any source admit it.
 */
export type Endpoint = {kind: 'pod'; cls: NetworkClass} | {kind: 'external'; atom: AddressRange} | {kind: 'ingress-controller'};

/** A rule's peer: pods by selectors, addresses by block, or nothing kubepath can match. */
export type PodsPeer = {kind: 'pods'; namespaces: string | LabelMatcher; pods: LabelMatcher | undefined};
export type Peer = PodsPeer | {kind: 'block'; ranges: AddressRange[]} | {kind: 'nothing'};

export interface NamedPort {
  name: string;
  /** Undefined for AdminNetworkPolicy `namedPort`, which matches the name on any protocol. */
  protocol: Protocol | undefined;
}

/** Numeric ports plus named ports that resolve against each destination. */
export interface PortMatch {
  numeric: PortSet;
  named: readonly NamedPort[];
}

const ALL_PORTS: PortMatch = {numeric: PortSet.ALL, named: []};

export type RuleAction = 'Allow' | 'Deny' | 'Pass';

/** The two sides a policy governs: traffic into its pods, and traffic out of them. */
export type Direction = 'ingress' | 'egress';

/** The field of a rule that lists its peers, per direction. */
const PEER_FIELD = {ingress: 'from', egress: 'to'} as const satisfies Record<Direction, string>;

export interface PolicyRule {
  /** `NetworkPolicy/ns/name`, `AdminNetworkPolicy/name`: the snapshot key of the policy. */
  policy: string;
  /** Where in the policy, e.g. `spec.ingress[1]`. */
  field: string;
  action: RuleAction;
  /** Absent or empty NetworkPolicy `from`/`to`: every source or destination, outside the cluster too. */
  peers: Peer[] | 'any';
  ports: PortMatch;
}

/** Reports a policy the API server would reject: field path and what is wrong. */
export type Invalid = (field: string, detail: string) => never;

export function peerMatches(peer: Peer, endpoint: Endpoint, profile: CniProfile): boolean {
  switch (peer.kind) {
    case 'pods':
      return endpoint.kind === 'pod' && podsPeerMatches(peer, endpoint.cls);
    case 'block':
      if (endpoint.kind === 'external') return peer.ranges.some(([a, b]) => a <= endpoint.atom[0] && endpoint.atom[1] <= b);
      if (endpoint.kind === 'pod' && profile.ipBlockMatchesPods && endpoint.cls.address !== undefined) {
        const address = endpoint.cls.address;
        return peer.ranges.some(([a, b]) => a <= address && address <= b);
      }
      return false;
    case 'nothing':
      return false;
  }
}

export function ruleMatchesPeer(rule: PolicyRule, other: Endpoint, profile: CniProfile): boolean {
  return rule.peers === 'any' || rule.peers.some((peer) => peerMatches(peer, other, profile));
}

/** The ports a match allows towards one destination; named ports resolve there (none outside the cluster). */
export function resolvePorts(match: PortMatch, destination: NetworkClass | undefined): PortSet {
  let set = match.numeric;
  if (!destination) return set;
  for (const entry of match.named) {
    for (const port of destination.ports) if (carriesNamedPort(port, entry)) set = set.union(PortSet.range(port.protocol, port.port));
  }
  return set;
}

/** Whether a container port is the one a rule names (by name, and protocol when the rule gives one). */
export function carriesNamedPort(port: NetworkClass['ports'][number], named: NamedPort): boolean {
  return port.name === named.name && (named.protocol === undefined || named.protocol === port.protocol);
}

/** The ports a rule allows between `other` and the destination class, if it matches at all. */
export function rulePorts(rule: PolicyRule, other: Endpoint, destination: NetworkClass | undefined, profile: CniProfile): PortSet {
  return ruleMatchesPeer(rule, other, profile) ? resolvePorts(rule.ports, destination) : PortSet.NONE;
}

function cidrRanges(cidr: string, except: readonly string[], field: string, invalid: Invalid): AddressRange[] {
  try {
    return blockRanges(cidr, except);
  } catch (error) {
    return invalid(field, (error as Error).message);
  }
}

function selector(value: LabelSelector, field: string, invalid: Invalid): LabelMatcher {
  for (const [i, expression] of (value.matchExpressions ?? []).entries()) {
    const needsValues = expression.operator === 'In' || expression.operator === 'NotIn';
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator)) {
      invalid(`${field}.matchExpressions[${i}].operator`, `unknown selector operator ${JSON.stringify(expression.operator)}`);
    }
    if (needsValues !== (expression.values?.length ?? 0) > 0) {
      invalid(
        `${field}.matchExpressions[${i}]`,
        needsValues ? `${expression.operator} needs values` : `${expression.operator} takes no values`,
      );
    }
  }
  return compileSelector(value);
}

// ---------------------------------------------------------------- NetworkPolicy v1

type NpSpec = NonNullable<NetworkPolicyObject['spec']>;
type NpRuleSpec = {from?: NpPeerSpec[] | null; to?: NpPeerSpec[] | null; ports?: NpPortSpec[] | null};
type NpPeerSpec = NonNullable<NonNullable<NpSpec['ingress']>[number]['from']>[number];
type NpPortSpec = NonNullable<NonNullable<NpSpec['ingress']>[number]['ports']>[number];

function npPeer(namespace: string, peer: NpPeerSpec, field: string, invalid: Invalid): Peer {
  const selectors = peer.podSelector != null || peer.namespaceSelector != null;
  if (peer.ipBlock) {
    if (selectors) invalid(field, 'ipBlock cannot be combined with podSelector or namespaceSelector');
    return {kind: 'block', ranges: cidrRanges(peer.ipBlock.cidr, peer.ipBlock.except ?? [], `${field}.ipBlock`, invalid)};
  }
  if (!selectors) invalid(field, 'a peer needs podSelector, namespaceSelector or ipBlock');
  return {
    kind: 'pods',
    namespaces: peer.namespaceSelector ? selector(peer.namespaceSelector, `${field}.namespaceSelector`, invalid) : namespace,
    pods: peer.podSelector ? selector(peer.podSelector, `${field}.podSelector`, invalid) : undefined,
  };
}

function npPorts(ports: readonly NpPortSpec[] | null | undefined, field: string, invalid: Invalid): PortMatch {
  if (!ports || ports.length === 0) return ALL_PORTS;
  let numeric = PortSet.NONE;
  const named: NamedPort[] = [];
  for (const [i, entry] of ports.entries()) {
    const protocol = entry.protocol ?? 'TCP';
    const at = `${field}.ports[${i}]`;
    if (typeof entry.port === 'string') {
      if (entry.endPort != null) invalid(at, `endPort cannot be used with the named port ${JSON.stringify(entry.port)}`);
      named.push({name: entry.port, protocol});
    } else if (entry.port == null) {
      if (entry.endPort != null) invalid(at, 'endPort needs port');
      numeric = numeric.union(PortSet.protocol(protocol));
    } else {
      const last = entry.endPort ?? entry.port;
      if (last < entry.port) invalid(at, `endPort ${last} is below port ${entry.port}`);
      numeric = numeric.union(PortSet.range(protocol, entry.port, last));
    }
  }
  return {numeric, named};
}

export interface CompiledNetworkPolicy {
  id: string;
  namespace: string;
  selects: LabelMatcher;
  isolatesIngress: boolean;
  isolatesEgress: boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

export function compileNetworkPolicy(policy: NetworkPolicyObject, invalid: Invalid): CompiledNetworkPolicy {
  const namespace = policy.metadata.namespace!;
  const id = `NetworkPolicy/${namespace}/${policy.metadata.name}`;
  const spec = policy.spec ?? {};
  // policyTypes default (absent or empty, as the API server fills it in): Ingress always, Egress only with egress rules.
  const types = spec.policyTypes?.length ? spec.policyTypes : spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const rules = (list: readonly NpRuleSpec[] | null | undefined, direction: Direction): PolicyRule[] =>
    (list ?? []).map((rule, i) => {
      const field = `spec.${direction}[${i}]`;
      const peerField = PEER_FIELD[direction];
      const peers = rule[peerField];
      return {
        policy: id,
        field,
        action: 'Allow',
        peers: !peers || peers.length === 0 ? 'any' : peers.map((p, j) => npPeer(namespace, p, `${field}.${peerField}[${j}]`, invalid)),
        ports: npPorts(rule.ports, field, invalid),
      };
    });
  return {
    id,
    namespace,
    selects: selector(spec.podSelector ?? {}, 'spec.podSelector', invalid),
    isolatesIngress: types.includes('Ingress'),
    isolatesEgress: types.includes('Egress'),
    ingress: types.includes('Ingress') ? rules(spec.ingress, 'ingress') : [],
    egress: types.includes('Egress') ? rules(spec.egress, 'egress') : [],
  };
}

// ------------------------------------------- AdminNetworkPolicy, BaselineAdminNetworkPolicy

/** Both admin kinds share their spec's schema; only AdminNetworkPolicy has a priority. */
export type AdminPolicyObject = AdminNetworkPolicyObject | BaselineAdminNetworkPolicyObject;
type AdminSpec = AdminPolicyObject['spec'];
type AdminRuleSpec = NonNullable<AdminSpec['ingress' | 'egress']>[number];
// Every egress peer field an ingress peer may have and more: ingress peers are read as egress peers.
type AdminPeerSpec = NonNullable<AdminSpec['egress']>[number]['to'][number];
type AdminPodsSelector = NonNullable<AdminPeerSpec['pods']>;
type AdminPortSpec = NonNullable<AdminRuleSpec['ports']>[number];

/** The addresses of the nodes a selector picks, as /32 ranges. */
export type NodeAddresses = (nodes: LabelMatcher) => AddressRange[];

export interface CompiledAdminPolicy {
  id: string;
  /** Lower runs first; the baseline policy has none. */
  priority: number;
  /** Which classes the policy governs; host-networked pods are never subjects. */
  subject: (cls: NetworkClass) => boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

function podsPeer(pods: AdminPodsSelector, field: string, invalid: Invalid): PodsPeer {
  return {
    kind: 'pods',
    namespaces: selector(pods.namespaceSelector ?? {}, `${field}.namespaceSelector`, invalid),
    pods: selector(pods.podSelector ?? {}, `${field}.podSelector`, invalid),
  };
}

function adminPeer(peer: AdminPeerSpec, field: string, invalid: Invalid, nodeAddresses: NodeAddresses): Peer {
  // Traffic to nodes is traffic to their addresses, outside the pod network.
  if (peer.nodes) return {kind: 'block', ranges: nodeAddresses(selector(peer.nodes, `${field}.nodes`, invalid))};
  if (peer.networks)
    return {kind: 'block', ranges: peer.networks.flatMap((cidr, i) => cidrRanges(cidr, [], `${field}.networks[${i}]`, invalid))};
  if (peer.namespaces) return {kind: 'pods', namespaces: selector(peer.namespaces, `${field}.namespaces`, invalid), pods: undefined};
  if (peer.pods) return podsPeer(peer.pods, `${field}.pods`, invalid);
  return {kind: 'nothing'}; // `domainNames` peers (FQDNs) match no pod and no address kubepath knows
}

function adminPorts(ports: readonly AdminPortSpec[] | null | undefined): PortMatch {
  if (!ports || ports.length === 0) return ALL_PORTS;
  let numeric = PortSet.NONE;
  const named: NamedPort[] = [];
  for (const entry of ports) {
    if (entry.portNumber) numeric = numeric.union(PortSet.range(entry.portNumber.protocol ?? 'TCP', entry.portNumber.port));
    else if (entry.portRange)
      numeric = numeric.union(PortSet.range(entry.portRange.protocol ?? 'TCP', entry.portRange.start, entry.portRange.end));
    else if (entry.namedPort) named.push({name: entry.namedPort, protocol: undefined});
  }
  return {numeric, named};
}

const ADMIN_ACTIONS: readonly string[] = ['Allow', 'Deny', 'Pass'];

export function compileAdminPolicy(policy: AdminPolicyObject, invalid: Invalid, nodeAddresses: NodeAddresses): CompiledAdminPolicy {
  const {kind, spec} = policy;
  const id = `${kind}/${policy.metadata.name}`;
  const subjectSpec = spec.subject;
  let subject: (cls: NetworkClass) => boolean = () => false;
  if (subjectSpec.namespaces) {
    const namespaces = selector(subjectSpec.namespaces, 'spec.subject.namespaces', invalid);
    subject = (cls) => !cls.nodeNetwork && namespaces(cls.namespaceLabels);
  } else if (subjectSpec.pods) {
    const pods = podsPeer(subjectSpec.pods, 'spec.subject.pods', invalid);
    subject = (cls) => podsPeerMatches(pods, cls);
  }
  const rules = <R extends AdminRuleSpec>(
    list: readonly R[] | null | undefined,
    direction: Direction,
    peersOf: (rule: R) => readonly AdminPeerSpec[],
  ): PolicyRule[] =>
    (list ?? []).map((rule, i) => {
      const field = `spec.${direction}[${i}]`;
      const allowed = kind === 'AdminNetworkPolicy' ? ADMIN_ACTIONS : ['Allow', 'Deny'];
      if (!allowed.includes(rule.action))
        invalid(`${field}.action`, `${kind} action must be one of ${allowed.join(', ')}, not ${JSON.stringify(rule.action)}`);
      const peerField = PEER_FIELD[direction];
      return {
        policy: id,
        field,
        action: rule.action,
        peers: peersOf(rule).map((peer, j) => adminPeer(peer, `${field}.${peerField}[${j}]`, invalid, nodeAddresses)),
        ports: adminPorts(rule.ports),
      };
    });
  return {
    id,
    priority: kind === 'AdminNetworkPolicy' ? policy.spec.priority : Number.POSITIVE_INFINITY,
    subject,
    ingress: rules(spec.ingress, 'ingress', (rule) => rule.from),
    egress: rules(spec.egress, 'egress', (rule) => rule.to),
  };
}

/** Pod and namespace selectors never pick node traffic. */
export function podsPeerMatches(peer: PodsPeer, cls: NetworkClass): boolean {
  if (cls.nodeNetwork) return false;
  const namespaceOk = typeof peer.namespaces === 'string' ? cls.namespace === peer.namespaces : peer.namespaces(cls.namespaceLabels);
  return namespaceOk && (!peer.pods || peer.pods(cls.labels));
}
