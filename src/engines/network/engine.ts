/**
 * kubepath network engine
 * =======================
 *
 * Which connections (protocol and port ranges) pods may open to each other and to
 * outside addresses, with the tiers of the Kubernetes network policy APIs:
 * AdminNetworkPolicy (by priority, rules in order, Allow / Deny / Pass), then
 * NetworkPolicy (isolation per direction, the union of rules), then the
 * BaselineAdminNetworkPolicy, then allow. A connection needs the source's egress and
 * the destination's ingress.
 *
 * Two ways in, with one meaning: `connection` evaluates one pair of endpoints exactly
 * (and `explain` names the rule behind each verdict); `reachableFrom` gives every
 * class some port of one source class reaches, with bitsets over classes: the
 * destinations whose ingress is open, plus, per egress rule of the source and per
 * ingress rule that admits the source, the classes that rule's policy selects. No
 * structure is ever pods by pods; path search asks `reachableFrom` class by class.
 */
import type {ClusterModel} from '../../graph/model.js';
import {objectKey} from '../../snapshot/snapshot.js';
import {InputError} from '../../snapshot/errors.js';
import {addressAtoms, mergeRanges, parseIPv4, type AddressRange} from './addresses.js';
import {buildClasses, selectorKeys, type ClassIndex} from './classes.js';
import {ClassSet} from './classset.js';
import {buildPeers, type NetworkPeer} from './peers.js';
import {
  compileAdminPolicy,
  compileNetworkPolicy,
  podsPeerMatches,
  resolvePorts,
  rulePorts,
  type CompiledAdminPolicy,
  type CompiledNetworkPolicy,
  type Endpoint,
  type Invalid,
  type NamedPort,
  type NetworkClass,
  type NodeAddresses,
  type Peer,
  type PolicyRule,
  type PortMatch,
  type RuleAction,
} from './policies.js';
import {PortSet} from './ports.js';
import {DEFAULT_PROFILE, type CniProfile} from './profile.js';
import type {LabelSelector} from '../../snapshot/schema.js';
import {compareStrings} from '../../util/order.js';

export type Direction = 'ingress' | 'egress';
export type Tier = 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'default';

/** One decision about some ports of a connection, and what made it. */
export interface Verdict {
  tier: Tier;
  action: RuleAction;
  ports: PortSet;
  /** The deciding rule: the policy's snapshot key and the rule's field; none for the default or a deny by isolation. */
  rule?: {policy: string; field: string};
  /** Why, in words, when no single rule decided: isolation, or the default. */
  reason?: string;
  /** For a deny by isolation: the isolating policies' snapshot keys. */
  policies?: string[];
}

export interface ConnectionExplanation {
  ports: PortSet;
  /** Undefined for the side outside the cluster, where no policy applies. */
  egress: Verdict[] | undefined;
  ingress: Verdict[] | undefined;
}

export interface NetworkEngine {
  profile: CniProfile;
  classes: readonly NetworkClass[];
  peers: readonly NetworkPeer[];
  classOfPod(podId: string): NetworkClass | undefined;
  /** External atoms that may reach in (cut by ingress ipBlocks) and that may be reached (egress blocks, networks). */
  sourceAtoms: readonly AddressRange[];
  destinationAtoms: readonly AddressRange[];
  connection(source: Endpoint, destination: Endpoint): PortSet;
  explain(source: Endpoint, destination: Endpoint): ConnectionExplanation;
  /** Every class that some port of `source` reaches (itself included when its pods may talk to each other). */
  reachableFrom(source: NetworkClass): ClassSet;
}

/** An InputError at the policy's file and line, naming the field the API server would reject. */
function invalidAt(model: ClusterModel, key: string): Invalid {
  return (field, detail) => {
    const location = model.snapshot.locations[key];
    throw new InputError(location?.file ?? key, location?.line, `${key}: ${field}: ${detail}`);
  };
}

function policySelectors(objects: ClusterModel['snapshot']['objects']): Array<LabelSelector | null | undefined> {
  const selectors: Array<LabelSelector | null | undefined> = [];
  for (const policy of objects.networkPolicies) {
    const spec = policy.spec ?? {};
    selectors.push(spec.podSelector);
    for (const rule of [...(spec.ingress ?? []).map((r) => r.from), ...(spec.egress ?? []).map((r) => r.to)]) {
      for (const peer of rule ?? []) selectors.push(peer.podSelector);
    }
  }
  for (const {spec} of [...objects.adminNetworkPolicies, ...objects.baselineAdminNetworkPolicies]) {
    selectors.push(spec.subject.pods?.podSelector);
    for (const rule of [...(spec.ingress ?? []).flatMap((r) => r.from), ...(spec.egress ?? []).flatMap((r) => r.to)]) {
      selectors.push(rule.pods?.podSelector);
    }
  }
  return selectors;
}

/** Node addresses by node labels, for admin `nodes` peers: every IPv4 address a Node reports. */
function nodeAddresses(model: ClusterModel): NodeAddresses {
  return (selects) =>
    mergeRanges(
      model.snapshot.objects.nodes
        .filter((node) => selects(node.metadata.labels ?? {}))
        .flatMap((node) => (node.status?.addresses ?? []).map((a) => parseIPv4(a.address)))
        .filter((address): address is number => address !== undefined)
        .map((address): AddressRange => [address, address]),
    );
}

function blocksOf(rules: readonly PolicyRule[]): AddressRange[][] {
  return rules.flatMap((rule) => (rule.peers === 'any' ? [] : rule.peers.flatMap((peer) => (peer.kind === 'block' ? [peer.ranges] : []))));
}

export function buildNetworkEngine(model: ClusterModel, profile: CniProfile = DEFAULT_PROFILE): NetworkEngine {
  const objects = model.snapshot.objects;
  const policies = objects.networkPolicies.map((p) => compileNetworkPolicy(p, invalidAt(model, objectKey('NetworkPolicy', p.metadata.namespace ?? undefined, p.metadata.name))));
  const nodes = nodeAddresses(model);
  const admin = objects.adminNetworkPolicies
    .map((p) => compileAdminPolicy(p, invalidAt(model, `AdminNetworkPolicy/${p.metadata.name}`), nodes))
    .sort((a, b) => a.priority - b.priority || compareStrings(a.id, b.id));
  const baseline = objects.baselineAdminNetworkPolicies.map((p) => {
    const invalid = invalidAt(model, `BaselineAdminNetworkPolicy/${p.metadata.name}`);
    if (p.metadata.name !== 'default') invalid('metadata.name', 'the BaselineAdminNetworkPolicy is a singleton named default');
    return compileAdminPolicy(p, invalid, nodes);
  });

  const ingressBlocks = blocksOf(policies.flatMap((p) => p.ingress));
  const egressBlocks = [...blocksOf(policies.flatMap((p) => p.egress)), ...blocksOf([...admin, ...baseline].flatMap((p) => p.egress))];
  const sourceAtoms = addressAtoms(ingressBlocks);
  const destinationAtoms = addressAtoms(egressBlocks);
  const index = buildClasses(model, profile, selectorKeys(policySelectors(objects)), addressAtoms([...ingressBlocks, ...egressBlocks]));
  const {classes} = index;

  const policiesByNamespace = new Map<string, CompiledNetworkPolicy[]>();
  for (const policy of policies) {
    const list = policiesByNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    policiesByNamespace.set(policy.namespace, list);
  }
  /** The classes each NetworkPolicy selects (in its own namespace; never node traffic). */
  const subjects = new Map<CompiledNetworkPolicy, Int32Array>();
  const isolating: Record<Direction, CompiledNetworkPolicy[][]> = {ingress: classes.map(() => []), egress: classes.map(() => [])};
  for (const policy of policies) {
    const [first, end] = index.namespaceRange.get(policy.namespace) ?? [0, 0];
    const selected: number[] = [];
    for (let c = first; c < end; c++) {
      const cls = classes[c]!;
      if (cls.nodeNetwork || !policy.selects(cls.labels)) continue;
      selected.push(c);
      if (policy.isolatesIngress) isolating.ingress[c]!.push(policy);
      if (policy.isolatesEgress) isolating.egress[c]!.push(policy);
    }
    subjects.set(policy, Int32Array.from(selected));
  }

  const evaluate = evaluator(profile, admin, baseline, isolating);
  const connection = (source: Endpoint, destination: Endpoint, explanation?: ConnectionExplanation): PortSet => {
    const destinationClass = destination.kind === 'pod' ? destination.cls : undefined;
    const egress = source.kind === 'pod' ? evaluate(source.cls, 'egress', destination, destinationClass, explanation?.egress) : PortSet.ALL;
    if (egress.isEmpty() && !explanation) return egress;
    const ingress = destinationClass ? evaluate(destinationClass, 'ingress', source, destinationClass, explanation?.ingress) : PortSet.ALL;
    return egress.intersect(ingress);
  };
  const explain = (source: Endpoint, destination: Endpoint): ConnectionExplanation => {
    const explanation: ConnectionExplanation = {
      ports: PortSet.NONE,
      egress: source.kind === 'pod' ? [] : undefined,
      ingress: destination.kind === 'pod' ? [] : undefined,
    };
    explanation.ports = connection(source, destination, explanation);
    return explanation;
  };

  // Built on first use: exposure and `--explain` need only `connection`.
  let sweep: ((source: NetworkClass) => ClassSet) | undefined;
  const reachableFrom = (source: NetworkClass): ClassSet => {
    sweep ??=
      admin.length > 0 || baseline.length > 0
        ? // Admin tiers decide port by port and rule by rule; evaluate each destination class exactly.
          (from) => ClassSet.of(classes.length, classes.filter((d) => !connection({kind: 'pod', cls: from}, {kind: 'pod', cls: d}).isEmpty()).map((d) => d.index))
        : bulkReachability(index, profile, policies, subjects, isolating);
    return sweep(source);
  };

  const peers = buildPeers(model, index);
  return {
    profile,
    classes,
    peers,
    classOfPod: (podId) => index.classOfPod.get(podId),
    sourceAtoms,
    destinationAtoms,
    connection: (source, destination) => connection(source, destination),
    explain,
    reachableFrom,
  };
}


/** The exact evaluation of one side of a connection through the three tiers, recording verdicts when asked. */
function evaluator(
  profile: CniProfile,
  admin: readonly CompiledAdminPolicy[],
  baseline: readonly CompiledAdminPolicy[],
  isolating: Record<Direction, CompiledNetworkPolicy[][]>,
) {
  /**
   * Walks one admin tier's rules in order: the first rule that matches a port decides it.
   * Only `open` ports are left to this tier (the baseline sees what the tiers above left).
   */
  const decide = (
    tier: readonly CompiledAdminPolicy[],
    name: Tier,
    open: PortSet,
    subject: NetworkClass,
    direction: Direction,
    other: Endpoint,
    destination: NetworkClass | undefined,
    record: Verdict[] | undefined,
  ) => {
    const decisions: Record<RuleAction, PortSet> = {Allow: PortSet.NONE, Deny: PortSet.NONE, Pass: PortSet.NONE};
    if (tier.length === 0) return {...decisions, undecided: open}; // most clusters have no admin policies: keep the per-pair path light
    let decided = PortSet.ALL.subtract(open);
    for (const policy of tier) {
      if (!policy.subject(subject)) continue;
      for (const rule of policy[direction]) {
        const ports = rulePorts(rule, other, destination, profile).subtract(decided);
        if (ports.isEmpty()) continue;
        decisions[rule.action] = decisions[rule.action].union(ports);
        decided = decided.union(ports);
        record?.push({tier: name, action: rule.action, ports, rule: {policy: rule.policy, field: rule.field}});
      }
    }
    return {...decisions, undecided: open.subtract(decided)};
  };

  /** What `subject` allows in one direction towards or from `other`. */
  return (subject: NetworkClass, direction: Direction, other: Endpoint, destination: NetworkClass | undefined, record?: Verdict[]): PortSet => {
    const adminTier = decide(admin, 'AdminNetworkPolicy', PortSet.ALL, subject, direction, other, destination, record);
    const rest = adminTier.undecided.union(adminTier.Pass);
    // NetworkPolicy tier: once a policy isolates the pod in this direction, it decides everything left.
    const selecting = isolating[direction][subject.index]!;
    if (selecting.length > 0) {
      let npAllow = PortSet.NONE;
      for (const policy of selecting) {
        for (const rule of policy[direction]) {
          const ports = rulePorts(rule, other, destination, profile);
          if (ports.isEmpty()) continue;
          npAllow = npAllow.union(ports);
          const granted = rest.intersect(ports);
          if (record && !granted.isEmpty()) record.push({tier: 'NetworkPolicy', action: 'Allow', ports: granted, rule: {policy: rule.policy, field: rule.field}});
        }
      }
      const denied = rest.subtract(npAllow);
      if (record && !denied.isEmpty()) {
        const policies = selecting.map((p) => p.id);
        record.push({tier: 'NetworkPolicy', action: 'Deny', ports: denied, policies, reason: `isolated for ${direction} by ${policies.join(', ')}, and no rule of theirs allows these`});
      }
      return adminTier.Allow.union(rest.intersect(npAllow));
    }
    // Baseline tier, then the default: allow.
    const baselineTier = decide(baseline, 'BaselineAdminNetworkPolicy', rest, subject, direction, other, destination, record);
    const open = baselineTier.undecided;
    if (record && !open.isEmpty()) {
      const why = subject.nodeNetwork
        ? `host network: outside NetworkPolicy under the ${profile.name} CNI profile`
        : `no NetworkPolicy selects it for ${direction}`;
      record.push({tier: 'default', action: 'Allow', ports: open, reason: why});
    }
    return adminTier.Allow.union(rest.subtract(baselineTier.Deny));
  };
}

/**
 * `reachableFrom` for clusters without admin policies, over bitsets of classes. For a
 * source s and a destination d, some port passes when an egress term of s (a rule of
 * an isolating policy, or "everything" when s is not egress-isolated) covers d and
 * either d's ingress is open or an ingress rule admitting s, of a policy selecting d,
 * shares a port with that term at d. Rules are indexed by the sources they admit, so
 * one source touches only its own rules and the classes their policies select.
 */
function bulkReachability(
  index: ClassIndex,
  profile: CniProfile,
  policies: readonly CompiledNetworkPolicy[],
  subjects: ReadonlyMap<CompiledNetworkPolicy, Int32Array>,
  isolating: Record<Direction, CompiledNetworkPolicy[][]>,
): (source: NetworkClass) => ClassSet {
  const {classes} = index;
  const size = classes.length;
  const everything = ClassSet.all(size);
  const openIngress = ClassSet.of(size, classes.filter((c) => isolating.ingress[c.index]!.length === 0).map((c) => c.index));

  const peerClasses = (peer: Peer, into: ClassSet): void => {
    if (peer.kind === 'block') {
      if (!profile.ipBlockMatchesPods) return;
      for (const cls of classes) {
        const address = cls.address;
        if (address !== undefined && peer.ranges.some(([a, b]) => a <= address && address <= b)) into.add(cls.index);
      }
      return;
    }
    if (peer.kind === 'nothing') return;
    const namespaces = typeof peer.namespaces === 'string' ? [peer.namespaces] : [...index.namespaceRange.keys()];
    for (const namespace of namespaces) {
      const [first, end] = index.namespaceRange.get(namespace) ?? [0, 0];
      if (first === end || (typeof peer.namespaces !== 'string' && !peer.namespaces(classes[first]!.namespaceLabels))) continue;
      for (let c = first; c < end; c++) if (podsPeerMatches(peer, classes[c]!)) into.add(c);
    }
  };
  const ruleClasses = new Map<PolicyRule, ClassSet>();
  const classesOf = (rule: PolicyRule): ClassSet => {
    if (rule.peers === 'any') return everything;
    let set = ruleClasses.get(rule);
    if (!set) {
      set = new ClassSet(size);
      for (const peer of rule.peers) peerClasses(peer, set);
      ruleClasses.set(rule, set);
    }
    return set;
  };

  interface IngressTerm {
    rule: PolicyRule;
    admits: ClassSet;
    targets: Int32Array;
  }
  // Ingress rules by the sources they admit: rules admitting most classes are tested per source instead.
  const admittedBy: IngressTerm[][] = classes.map(() => []);
  const wide: IngressTerm[] = [];
  for (const policy of policies) {
    for (const rule of policy.ingress) {
      const admits = classesOf(rule);
      const term = {rule, admits, targets: subjects.get(policy)!};
      if (term.targets.length === 0) continue;
      if (admits === everything || admits.count() > size / 8) wide.push(term);
      else for (const s of admits.members()) admittedBy[s]!.push(term);
    }
  }

  const namedClasses = new Map<string, ClassSet>();
  const openWithNamedPort = (port: NamedPort): ClassSet => {
    const key = `${port.name}/${port.protocol ?? '*'}`;
    let set = namedClasses.get(key);
    if (!set) {
      set = ClassSet.of(
        size,
        classes.filter((c) => openIngress.has(c.index) && c.ports.some((p) => p.name === port.name && (port.protocol === undefined || port.protocol === p.protocol))).map((c) => c.index),
      );
      namedClasses.set(key, set);
    }
    return set;
  };
  const everyPort: PortMatch = {numeric: PortSet.ALL, named: []};

  return (source) => {
    const reached = new ClassSet(size);
    const egress = isolating.egress[source.index]!;
    const terms = egress.length === 0 ? [{reaches: everything, ports: everyPort}] : egress.flatMap((p) => p.egress.map((rule) => ({reaches: classesOf(rule), ports: rule.ports})));
    const ingress = [...admittedBy[source.index]!, ...wide.filter((term) => term.admits.has(source.index))];
    for (const term of terms) {
      if (!term.ports.numeric.isEmpty()) reached.unionWithIntersection(term.reaches, openIngress);
      for (const port of term.ports.named) reached.unionWithIntersection(term.reaches, openWithNamedPort(port));
      for (const {rule, targets} of ingress) {
        const everywhere = !term.ports.numeric.intersect(rule.ports.numeric).isEmpty();
        if (!everywhere && term.ports.named.length === 0 && rule.ports.named.length === 0) continue;
        for (const d of targets) {
          if (reached.has(d) || !term.reaches.has(d)) continue;
          const destination = classes[d]!;
          if (everywhere || !resolvePorts(term.ports, destination).intersect(resolvePorts(rule.ports, destination)).isEmpty()) reached.add(d);
        }
      }
    }
    return reached;
  };
}
