/**
 * kubepath connection explanations
 * ================================
 *
 * `reach --explain SRC DST`: for every pair the two selectors pick, the connection and
 * the verdicts behind it, side by side: the source's egress and the destination's
 * ingress, each tier's rule (`NetworkPolicy/ns/name spec.ingress[0]`) with the ports it
 * allowed or denied, or why the default applied. Denied pairs are listed too, since
 * "why can't these talk?" is half the questions. Pairs are explained and written one by
 * one, in `reach`'s order (wide selectors pick every pair of the cluster); names and
 * rules are escaped in the text (`safe`).
 */
import type {NetworkEngine, Verdict} from '../engines/network/engine.js';
import type {NetworkPeer} from '../engines/network/peers.js';
import type {PortSet} from '../engines/network/ports.js';
import {parseSelector} from '../graph/selector.js';
import {UsageError} from '../snapshot/errors.js';
import {joined} from './chunks.js';
import {atomEnd, byName, INGRESS_CONTROLLER, peerEnd, type IngressRoutes, type PeerFilter} from './connlist.js';
import {safe} from './escape.js';

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
      return (
        (peer.workload !== undefined && selector.matches(peer.workload, peer.namespace)) ||
        peer.pods.some((pod) => selector.matches(pod, peer.namespace))
      );
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
  return verdicts
    ? verdicts.map((v) => ({
        tier: v.tier,
        action: v.action,
        ports: v.ports.format(),
        by: v.rule ? `${v.rule.policy} ${v.rule.field}` : (v.reason ?? ''),
      }))
    : null;
}

function connText(ports: PortSet): string {
  return ports.isEmpty() ? 'No Connections' : ports.format();
}

/** Every pair the filters pick, allowed or not, sorted by source then destination, explained as it is asked for. */
export function* explainPairs(
  engine: NetworkEngine,
  routes: IngressRoutes,
  from: PeerFilter | undefined,
  to: PeerFilter | undefined,
): Generator<Explanation> {
  const pick = (filter: PeerFilter | undefined) =>
    byName((filter ? engine.peers.filter((peer) => filter(peer)) : engine.peers).map(peerEnd));
  const outsideIn = !from || from('external');
  const sources = byName([...pick(from), ...(outsideIn ? [...engine.sourceAtoms.map(atomEnd), INGRESS_CONTROLLER] : [])]);
  const peerDestinations = pick(to);
  const destinations = byName([...peerDestinations, ...(!to || to('external') ? engine.destinationAtoms.map(atomEnd) : [])]);
  for (const source of sources) {
    const limited = source === INGRESS_CONTROLLER;
    for (const destination of source.peer ? destinations : peerDestinations) {
      if (destination.peer === source.peer) continue;
      const limit = limited ? routes.get(destination.peer!) : undefined;
      if (limited && !limit) continue;
      const {ports, egress, ingress} = engine.explain(source.endpoint, destination.endpoint);
      yield {
        src: source.name,
        dst: destination.name,
        conn: connText(limit ? ports.intersect(limit) : ports),
        egress: verdictLines(egress),
        ingress: verdictLines(ingress),
      };
    }
  }
}

/** Each pair's connection line, then each side's verdicts, names and rules escaped, in chunks. */
export function formatExplanations(explanations: Iterable<Explanation>): Generator<string> {
  const side = (title: string, lines: VerdictLine[] | null): string =>
    lines === null
      ? ''
      : `  ${title}:\n${lines.map((l) => `    ${l.action.toLowerCase()} ${l.ports} [${l.tier}] ${safe(l.by)}\n`).join('')}`;
  function* text(): Generator<string> {
    for (const e of explanations) {
      const [src, dst] = [safe(e.src), safe(e.dst)];
      yield `${src} => ${dst} : ${e.conn}\n${side(`egress of ${src}`, e.egress)}${side(`ingress of ${dst}`, e.ingress)}`;
    }
  }
  return joined(text());
}
