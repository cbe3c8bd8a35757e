/**
 * kubepath bulk reachability
 * ==========================
 *
 * `reachableFrom` for clusters without admin policies, over bitsets of classes. For a
 * source s and a destination d, some port passes when an egress term of s (a rule of
 * an isolating policy, or "everything" when s is not egress-isolated) covers d and
 * either d's ingress is open or an ingress rule admitting s, of a policy selecting d,
 * shares a port with that term at d. Rules are indexed by the sources they admit, so
 * one source touches only its own rules and the classes their policies select.
 */
import type {ClassIndex} from './classes.js';
import {ClassSet} from './classset.js';
import {
  carriesNamedPort,
  peerMatches,
  podsPeerMatches,
  resolvePorts,
  type NamedPort,
  type NetworkClass,
  type Peer,
  type PolicyRule,
  type PortMatch,
} from './policies.js';
import {PortSet} from './ports.js';
import type {CniProfile} from './profile.js';
import type {ClassSelection} from './selection.js';

/** An ingress rule: the sources it admits, and the classes its policy selects. */
interface IngressTerm {
  rule: PolicyRule;
  admits: ClassSet;
  targets: Int32Array;
}

/** What a source may send: the classes an egress rule (or, not egress-isolated, everything) reaches, and on which ports. */
interface EgressTerm {
  reaches: ClassSet;
  ports: PortMatch;
}

const EVERY_PORT: PortMatch = {numeric: PortSet.ALL, named: []};

export class BulkReachability {
  private readonly classes: readonly NetworkClass[];
  private readonly size: number;
  private readonly everything: ClassSet;
  private readonly openIngress: ClassSet;
  /** The classes each rule's peers match, built on first use. */
  private readonly ruleClasses = new Map<PolicyRule, ClassSet>();
  /** The open-ingress classes with a named port, by `name/protocol`, built on first use. */
  private readonly namedClasses = new Map<string, ClassSet>();
  /** Ingress rules by the sources they admit: rules admitting most classes are tested per source instead (`wide`). */
  private readonly admittedBy: IngressTerm[][];
  private readonly wide: IngressTerm[] = [];

  constructor(
    private readonly index: ClassIndex,
    private readonly profile: CniProfile,
    private readonly selection: ClassSelection,
  ) {
    this.classes = index.classes;
    this.size = this.classes.length;
    this.everything = ClassSet.all(this.size);
    this.openIngress = ClassSet.of(
      this.size,
      this.classes.filter((c) => selection.isolating.ingress[c.index]!.length === 0).map((c) => c.index),
    );
    this.admittedBy = this.classes.map(() => []);
    this.indexIngressRules();
  }

  /** Every class that some port of `source` reaches. */
  reachableFrom(source: NetworkClass): ClassSet {
    const reached = new ClassSet(this.size);
    const ingress = [...this.admittedBy[source.index]!, ...this.wide.filter((term) => term.admits.has(source.index))];
    for (const term of this.egressTerms(source)) {
      if (!term.ports.numeric.isEmpty()) reached.unionWithIntersection(term.reaches, this.openIngress);
      for (const port of term.ports.named) reached.unionWithIntersection(term.reaches, this.openWithNamedPort(port));
      for (const admitting of ingress) this.addAdmitted(reached, term, admitting);
    }
    return reached;
  }

  private indexIngressRules(): void {
    for (const [policy, targets] of this.selection.subjects) {
      if (targets.length === 0) continue;
      for (const rule of policy.ingress) {
        const admits = this.classesOf(rule);
        const term = {rule, admits, targets};
        if (admits === this.everything || admits.count() > this.size / 8) this.wide.push(term);
        else for (const s of admits.members()) this.admittedBy[s]!.push(term);
      }
    }
  }

  private egressTerms(source: NetworkClass): EgressTerm[] {
    const egress = this.selection.isolating.egress[source.index]!;
    if (egress.length === 0) return [{reaches: this.everything, ports: EVERY_PORT}];
    return egress.flatMap((p) => p.egress.map((rule) => ({reaches: this.classesOf(rule), ports: rule.ports})));
  }

  /** Adds the classes an ingress rule admitting the source protects that the egress term reaches on a port they share. */
  private addAdmitted(reached: ClassSet, term: EgressTerm, {rule, targets}: IngressTerm): void {
    const everywhere = !term.ports.numeric.intersect(rule.ports.numeric).isEmpty();
    if (!everywhere && term.ports.named.length === 0 && rule.ports.named.length === 0) return;
    for (const d of targets) {
      if (reached.has(d) || !term.reaches.has(d)) continue;
      const destination = this.classes[d]!;
      if (everywhere || !resolvePorts(term.ports, destination).intersect(resolvePorts(rule.ports, destination)).isEmpty()) reached.add(d);
    }
  }

  private classesOf(rule: PolicyRule): ClassSet {
    if (rule.peers === 'any') return this.everything;
    let set = this.ruleClasses.get(rule);
    if (!set) {
      set = new ClassSet(this.size);
      for (const peer of rule.peers) this.peerClasses(peer, set);
      this.ruleClasses.set(rule, set);
    }
    return set;
  }

  private peerClasses(peer: Peer, into: ClassSet): void {
    const {classes, index} = this;
    if (peer.kind === 'block') {
      if (!this.profile.ipBlockMatchesPods) return;
      for (const cls of classes) if (peerMatches(peer, {kind: 'pod', cls}, this.profile)) into.add(cls.index);
      return;
    }
    if (peer.kind === 'nothing') return;
    const namespaces = typeof peer.namespaces === 'string' ? [peer.namespaces] : [...index.namespaceRange.keys()];
    for (const namespace of namespaces) {
      const [first, end] = index.namespaceRange.get(namespace) ?? [0, 0];
      if (first === end || (typeof peer.namespaces !== 'string' && !peer.namespaces(classes[first]!.namespaceLabels))) continue;
      for (let c = first; c < end; c++) if (podsPeerMatches(peer, classes[c]!)) into.add(c);
    }
  }

  private openWithNamedPort(port: NamedPort): ClassSet {
    const key = `${port.name}/${port.protocol ?? '*'}`;
    let set = this.namedClasses.get(key);
    if (!set) {
      const carries = (c: NetworkClass): boolean => c.ports.some((p) => carriesNamedPort(p, port));
      set = ClassSet.of(
        this.size,
        this.classes.filter((c) => this.openIngress.has(c.index) && carries(c)).map((c) => c.index),
      );
      this.namedClasses.set(key, set);
    }
    return set;
  }
}
