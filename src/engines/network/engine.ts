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
 * ingress rule that admits the source, the classes that rule's policy selects
 * (sweep.ts; with admin policies, each destination class is evaluated exactly). No
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
  rulePorts,
  type CompiledAdminPolicy,
  type CompiledNetworkPolicy,
  type Direction,
  type Endpoint,
  type Invalid,
  type NetworkClass,
  type NodeAddresses,
  type PolicyRule,
  type RuleAction,
} from './policies.js';
import {PortSet} from './ports.js';
import {DEFAULT_PROFILE, type CniProfile} from './profile.js';
import {selectClasses, type ClassSelection} from './selection.js';
import {BulkReachability} from './sweep.js';
import type {LabelSelector} from '../../snapshot/schema.js';
import {compareStrings} from '../../util/order.js';

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

/** The compiled policies of the three tiers; the admin ones by priority, then id. */
interface CompiledTiers {
  admin: readonly CompiledAdminPolicy[];
  networkPolicies: readonly CompiledNetworkPolicy[];
  baseline: readonly CompiledAdminPolicy[];
}

function compileTiers(model: ClusterModel): CompiledTiers {
  const objects = model.snapshot.objects;
  const networkPolicies = objects.networkPolicies.map((p) =>
    compileNetworkPolicy(p, invalidAt(model, objectKey('NetworkPolicy', p.metadata.namespace ?? undefined, p.metadata.name))),
  );
  const nodes = nodeAddresses(model);
  const admin = objects.adminNetworkPolicies
    .map((p) => compileAdminPolicy(p, invalidAt(model, `AdminNetworkPolicy/${p.metadata.name}`), nodes))
    .sort((a, b) => a.priority - b.priority || compareStrings(a.id, b.id));
  const baseline = objects.baselineAdminNetworkPolicies.map((p) => {
    const invalid = invalidAt(model, `BaselineAdminNetworkPolicy/${p.metadata.name}`);
    if (p.metadata.name !== 'default') invalid('metadata.name', 'the BaselineAdminNetworkPolicy is a singleton named default');
    return compileAdminPolicy(p, invalid, nodes);
  });
  return {admin, networkPolicies, baseline};
}

/** Outside addresses cut at every ipBlock bound that matters to them. */
interface ExternalAtoms {
  /** Addresses that may reach in: cut by ingress blocks. */
  sources: AddressRange[];
  /** Addresses that may be reached: cut by egress blocks, admin `networks` included. */
  destinations: AddressRange[];
  /** Cut by both: a pod is classed by the atom of its address, when the profile lets ipBlocks match pods. */
  both: AddressRange[];
}

function externalAtoms({admin, networkPolicies, baseline}: CompiledTiers): ExternalAtoms {
  const ingressBlocks = blocksOf(networkPolicies.flatMap((p) => p.ingress));
  const egressBlocks = [
    ...blocksOf(networkPolicies.flatMap((p) => p.egress)),
    ...blocksOf([...admin, ...baseline].flatMap((p) => p.egress)),
  ];
  return {
    sources: addressAtoms(ingressBlocks),
    destinations: addressAtoms(egressBlocks),
    both: addressAtoms([...ingressBlocks, ...egressBlocks]),
  };
}

/** What an admin tier decided among the ports left to it: the ports of each action. */
type TierDecision = Readonly<Record<RuleAction, PortSet>> & {
  /** Every port the tier decided (Allow, Deny and Pass together): it left `open.subtract(decided)` to the next. */
  readonly decided: PortSet;
};

/** What a tier without policies decides: nothing (shared, so that the per-pair path allocates nothing for it). */
const NOTHING_DECIDED: TierDecision = Object.freeze({Allow: PortSet.NONE, Deny: PortSet.NONE, Pass: PortSet.NONE, decided: PortSet.NONE});

/** Named ports resolve at the destination: the other end for egress, the subject itself for ingress. */
function destinationOf(direction: Direction, subject: NetworkClass, other: Endpoint): NetworkClass | undefined {
  if (direction === 'ingress') return subject;
  return other.kind === 'pod' ? other.cls : undefined;
}

/** One admin tier in one direction: its policies by priority, each one's rules in order. */
class AdminTier {
  constructor(
    private readonly name: Tier,
    private readonly policies: readonly CompiledAdminPolicy[],
    private readonly direction: Direction,
    private readonly profile: CniProfile,
  ) {}

  /**
   * Walks the tier's rules in order: the first rule that matches a port decides it.
   * Only `open` ports are left to this tier (the baseline sees what the tiers above left).
   */
  decide(open: PortSet, subject: NetworkClass, other: Endpoint, record: Verdict[] | undefined): TierDecision {
    if (this.policies.length === 0) return NOTHING_DECIDED; // most clusters have no admin policies: keep the per-pair path light
    const destination = destinationOf(this.direction, subject, other);
    const decision: Record<RuleAction | 'decided', PortSet> = {
      Allow: PortSet.NONE,
      Deny: PortSet.NONE,
      Pass: PortSet.NONE,
      decided: PortSet.NONE,
    };
    let closed = PortSet.ALL.subtract(open); // not open to this tier, or decided by an earlier rule
    for (const policy of this.policies) {
      if (!policy.subject(subject)) continue;
      for (const rule of policy[this.direction]) {
        const ports = rulePorts(rule, other, destination, this.profile).subtract(closed);
        if (ports.isEmpty()) continue;
        decision[rule.action] = decision[rule.action].union(ports);
        decision.decided = decision.decided.union(ports);
        closed = closed.union(ports);
        record?.push({tier: this.name, action: rule.action, ports, rule: {policy: rule.policy, field: rule.field}});
      }
    }
    return decision;
  }
}

/**
 * The exact evaluation of one side of connections, a source's egress or a destination's
 * ingress, through the three tiers, recording verdicts when asked. One per direction,
 * built with the engine: `allowed` runs per pair of classes.
 */
class DirectionEvaluator {
  private readonly admin: AdminTier;
  private readonly baseline: AdminTier;
  /** Per class index: the NetworkPolicies isolating it in this direction. */
  private readonly isolating: readonly CompiledNetworkPolicy[][];

  constructor(
    private readonly direction: Direction,
    private readonly profile: CniProfile,
    tiers: CompiledTiers,
    selection: ClassSelection,
  ) {
    this.admin = new AdminTier('AdminNetworkPolicy', tiers.admin, direction, profile);
    this.baseline = new AdminTier('BaselineAdminNetworkPolicy', tiers.baseline, direction, profile);
    this.isolating = selection.isolating[direction];
  }

  /** What `subject` allows in this direction towards or from `other`. */
  allowed(subject: NetworkClass, other: Endpoint, record: Verdict[] | undefined): PortSet {
    const admin = this.admin.decide(PortSet.ALL, subject, other, record);
    const rest = PortSet.ALL.subtract(admin.decided).union(admin.Pass);
    // NetworkPolicy tier: once a policy isolates the pod in this direction, it decides everything left.
    if (this.isolating[subject.index]!.length > 0) return admin.Allow.union(this.allowedWhenIsolated(rest, subject, other, record));
    // Baseline tier, then the default: allow.
    const baseline = this.baseline.decide(rest, subject, other, record);
    if (record) this.recordDefault(rest.subtract(baseline.decided), subject, record);
    return admin.Allow.union(rest.subtract(baseline.Deny));
  }

  /** Of the `rest` ports, those some rule of the policies isolating `subject` allows. */
  private allowedWhenIsolated(rest: PortSet, subject: NetworkClass, other: Endpoint, record: Verdict[] | undefined): PortSet {
    const selecting = this.isolating[subject.index]!;
    const destination = destinationOf(this.direction, subject, other);
    let allowed = PortSet.NONE;
    for (const policy of selecting) {
      for (const rule of policy[this.direction]) {
        const ports = rulePorts(rule, other, destination, this.profile);
        if (ports.isEmpty()) continue;
        allowed = allowed.union(ports);
        const granted = rest.intersect(ports);
        if (record && !granted.isEmpty())
          record.push({tier: 'NetworkPolicy', action: 'Allow', ports: granted, rule: {policy: rule.policy, field: rule.field}});
      }
    }
    const denied = rest.subtract(allowed);
    if (record && !denied.isEmpty()) {
      const policies = selecting.map((p) => p.id);
      record.push({
        tier: 'NetworkPolicy',
        action: 'Deny',
        ports: denied,
        policies,
        reason: `isolated for ${this.direction} by ${policies.join(', ')}, and no rule of theirs allows these`,
      });
    }
    return rest.intersect(allowed);
  }

  /** Records the ports no tier decided, which the default allows. */
  private recordDefault(open: PortSet, subject: NetworkClass, record: Verdict[]): void {
    if (open.isEmpty()) return;
    const why = subject.nodeNetwork
      ? `host network: outside NetworkPolicy under the ${this.profile.name} CNI profile`
      : `no NetworkPolicy selects it for ${this.direction}`;
    record.push({tier: 'default', action: 'Allow', ports: open, reason: why});
  }
}

/** The engine's answers, from the policies compiled and the classes selected once. */
class Engine implements NetworkEngine {
  readonly classes: readonly NetworkClass[];
  readonly peers: readonly NetworkPeer[];
  readonly sourceAtoms: readonly AddressRange[];
  readonly destinationAtoms: readonly AddressRange[];
  private readonly index: ClassIndex;
  private readonly selection: ClassSelection;
  /** Whether an AdminNetworkPolicy or a BaselineAdminNetworkPolicy is present: the class sweep then gives way to exact evaluation. */
  private readonly hasAdminTiers: boolean;
  private readonly egress: DirectionEvaluator;
  private readonly ingress: DirectionEvaluator;
  /** Built on first use: exposure and `--explain` need only `connection`. */
  private bulk?: BulkReachability;

  constructor(
    model: ClusterModel,
    readonly profile: CniProfile,
  ) {
    const tiers = compileTiers(model);
    const atoms = externalAtoms(tiers);
    this.sourceAtoms = atoms.sources;
    this.destinationAtoms = atoms.destinations;
    this.index = buildClasses(model, profile, selectorKeys(policySelectors(model.snapshot.objects)), atoms.both);
    this.classes = this.index.classes;
    this.selection = selectClasses(this.index, tiers.networkPolicies);
    this.hasAdminTiers = tiers.admin.length > 0 || tiers.baseline.length > 0;
    this.egress = new DirectionEvaluator('egress', profile, tiers, this.selection);
    this.ingress = new DirectionEvaluator('ingress', profile, tiers, this.selection);
    this.peers = buildPeers(model, this.index);
  }

  classOfPod(podId: string): NetworkClass | undefined {
    return this.index.classOfPod.get(podId);
  }

  connection(source: Endpoint, destination: Endpoint): PortSet {
    return this.evaluate(source, destination, undefined);
  }

  explain(source: Endpoint, destination: Endpoint): ConnectionExplanation {
    const explanation: ConnectionExplanation = {
      ports: PortSet.NONE,
      egress: source.kind === 'pod' ? [] : undefined,
      ingress: destination.kind === 'pod' ? [] : undefined,
    };
    explanation.ports = this.evaluate(source, destination, explanation);
    return explanation;
  }

  reachableFrom(source: NetworkClass): ClassSet {
    if (this.hasAdminTiers) {
      // Admin tiers decide port by port and rule by rule; evaluate each destination class exactly.
      const from: Endpoint = {kind: 'pod', cls: source};
      return ClassSet.of(
        this.classes.length,
        this.classes.filter((d) => !this.connection(from, {kind: 'pod', cls: d}).isEmpty()).map((d) => d.index),
      );
    }
    this.bulk ??= new BulkReachability(this.index, this.profile, this.selection);
    return this.bulk.reachableFrom(source);
  }

  /** The source's egress, then (unless that allows nothing and no explanation is asked for) the destination's ingress. */
  private evaluate(source: Endpoint, destination: Endpoint, explanation: ConnectionExplanation | undefined): PortSet {
    const egress = source.kind === 'pod' ? this.egress.allowed(source.cls, destination, explanation?.egress) : PortSet.ALL;
    if (egress.isEmpty() && !explanation) return egress;
    const ingress = destination.kind === 'pod' ? this.ingress.allowed(destination.cls, source, explanation?.ingress) : PortSet.ALL;
    return egress.intersect(ingress);
  }
}

export function buildNetworkEngine(model: ClusterModel, profile: CniProfile = DEFAULT_PROFILE): NetworkEngine {
  return new Engine(model, profile);
}
