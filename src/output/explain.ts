/**
 * kubepath connection explanations
 * ================================
 *
 * `reach --explain SRC DST`: for every pair the two selectors pick, the connection and
 * the verdicts behind it, side by side: the source's egress and the destination's
 * ingress, each tier's rule (`NetworkPolicy/ns/name spec.ingress[0]`) with the ports it
 * allowed or denied, or why the default applied. Denied pairs are listed too, since
 * "why can't these talk?" is half the questions.
 */
import {formatAtom} from '../engines/network/addresses.js';
import {compareStrings} from '../util/order.js';
import type {NetworkEngine, Verdict} from '../engines/network/engine.js';
import type {NetworkPeer} from '../engines/network/peers.js';
import type {Endpoint} from '../engines/network/policies.js';
import type {PortSet} from '../engines/network/ports.js';
import {parseSelector} from '../graph/selector.js';
import {UsageError} from '../snapshot/errors.js';
import type {IngressRoutes, PeerFilter} from './connlist.js';

export interface VerdictLine {
  tier: Verdict['tier'];
  action: Verdict['action'];
  ports: string;
  by: string;
}

export interface Explanation {
  src: string;
  dst: string;
  conn: string;
  /** Null for a side outside the cluster, where no policy applies. */
  egress: VerdictLine[] | null;
  ingress: VerdictLine[] | null;
}

const PEER_NAME = /^[^:/]+\/[^/]+\[[A-Za-z]+\]$/;

/**
 * A filter over peers from `--from`/`--to` values (OR), or undefined for none. A value
 * is a node selector or a peer name as `reach` prints it (`shop/web[Deployment]`);
 * `internet` picks outside addresses and the ingress controller.
 */
export function peerFilter(texts: readonly string[] | undefined): (PeerFilter & {texts: readonly string[]}) | undefined {
  if (!texts || texts.length === 0) return undefined;
  const tests = texts.map((text): PeerFilter => {
    if (PEER_NAME.test(text)) return (peer) => typeof peer !== 'string' && peer.name === text;
    const selector = parseSelector(text);
    return (peer) => {
      if (typeof peer === 'string') return selector.text === 'internet';
      return (peer.workload !== undefined && selector.matches(peer.workload, peer.namespace)) || peer.pods.some((pod) => selector.matches(pod, peer.namespace));
    };
  });
  return Object.assign((peer: Parameters<PeerFilter>[0]) => tests.some((test) => test(peer)), {texts});
}

/** A selector that picks nothing is a typo far more often than a question: say so. */
export function checkFilterMatches(filter: (PeerFilter & {texts: readonly string[]}) | undefined, peers: readonly NetworkPeer[]): void {
  if (!filter) return;
  for (const text of filter.texts) {
    const single = peerFilter([text])!;
    if (!single('external') && !peers.some((peer) => single(peer))) {
      throw new UsageError(`${JSON.stringify(text)} matches no workload or pod in the input`);
    }
  }
}

function verdictLines(verdicts: Verdict[] | undefined): VerdictLine[] | null {
  return verdicts ? verdicts.map((v) => ({tier: v.tier, action: v.action, ports: v.ports.format(), by: v.rule ? `${v.rule.policy} ${v.rule.field}` : v.reason ?? ''})) : null;
}

function connText(ports: PortSet): string {
  return ports.isEmpty() ? 'No Connections' : ports.format();
}

export function explainPairs(engine: NetworkEngine, routes: IngressRoutes, from: PeerFilter | undefined, to: PeerFilter | undefined): Explanation[] {
  const pick = (filter: PeerFilter | undefined) => (filter ? engine.peers.filter((peer) => filter(peer)) : engine.peers);
  const sources = pick(from);
  const destinations = pick(to);
  const explanations: Explanation[] = [];
  const add = (src: string, dst: string, source: Endpoint, destination: Endpoint, limit?: PortSet): void => {
    const {ports, egress, ingress} = engine.explain(source, destination);
    explanations.push({src, dst, conn: connText(limit ? ports.intersect(limit) : ports), egress: verdictLines(egress), ingress: verdictLines(ingress)});
  };
  for (const src of sources) {
    for (const dst of destinations) if (src !== dst) add(src.name, dst.name, {kind: 'pod', cls: src.cls}, {kind: 'pod', cls: dst.cls});
  }
  if (!from || from('external')) {
    for (const dst of destinations) {
      for (const atom of engine.sourceAtoms) add(`${formatAtom(atom)}[External]`, dst.name, {kind: 'external', atom}, {kind: 'pod', cls: dst.cls});
      const routed = routes.get(dst);
      if (routed) add('{ingress-controller}', dst.name, {kind: 'ingress-controller'}, {kind: 'pod', cls: dst.cls}, routed);
    }
  }
  if (!to || to('external')) {
    for (const src of sources) {
      for (const atom of engine.destinationAtoms) add(src.name, `${formatAtom(atom)}[External]`, {kind: 'pod', cls: src.cls}, {kind: 'external', atom});
    }
  }
  return explanations.sort((a, b) => (compareStrings(a.src, b.src) || compareStrings(a.dst, b.dst)));
}


export function formatExplanations(explanations: readonly Explanation[]): string {
  const side = (title: string, lines: VerdictLine[] | null): string =>
    lines === null ? '' : `  ${title}:\n${lines.map((l) => `    ${l.action.toLowerCase()} ${l.ports} [${l.tier}] ${l.by}\n`).join('')}`;
  return explanations
    .map((e) => `${e.src} => ${e.dst} : ${e.conn}\n${side(`egress of ${e.src}`, e.egress)}${side(`ingress of ${e.dst}`, e.ingress)}`)
    .join('');
}
