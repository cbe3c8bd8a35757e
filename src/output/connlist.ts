/**
 * kubepath connectivity list
 * ==========================
 *
 * `reach -o txt`: netpol-analyzer's connlist format, `SRC => DST : CONN`, peers as
 * `ns/name[Kind]` and external atoms as `a.b.c.d-e.f.g.h[External]`, sorted by source
 * then destination in byte order; self pairs, empty connections and external-to-
 * external pairs are left out. `-o json` gives the same facts as `[{src,dst,conn}]`.
 * Only pairs that the engine's class reachability says connect are evaluated port by
 * port, and `--from`/`--to` narrow the work, not just the printout.
 */
import {formatAtom} from '../engines/network/addresses.js';
import {compareStrings} from '../util/order.js';
import type {NetworkEngine} from '../engines/network/engine.js';
import type {NetworkPeer} from '../engines/network/peers.js';
import type {Endpoint} from '../engines/network/policies.js';
import type {PortSet} from '../engines/network/ports.js';

export interface ConnectionLine {
  src: string;
  dst: string;
  conn: string;
}

/** Pods the ingress controller forwards to, by peer, with the pod ports the routes reach. */
export type IngressRoutes = ReadonlyMap<NetworkPeer, PortSet>;

/** Which side of a line a filter is asked about: a workload peer, or traffic from or to outside. */
export type PeerFilter = (peer: NetworkPeer | 'external' | 'ingress-controller') => boolean;

export interface ConnectivityOptions {
  from?: PeerFilter;
  to?: PeerFilter;
}

export function connectivityList(engine: NetworkEngine, ingressRoutes: IngressRoutes, options: ConnectivityOptions = {}): ConnectionLine[] {
  const from = options.from ?? (() => true);
  const to = options.to ?? (() => true);
  const lines: ConnectionLine[] = [];
  const add = (src: string, dst: string, source: Endpoint, destination: Endpoint, limit?: PortSet): void => {
    let ports = engine.connection(source, destination);
    if (limit) ports = ports.intersect(limit);
    if (!ports.isEmpty()) lines.push({src, dst, conn: ports.format()});
  };

  const peersOfClass = new Map<number, NetworkPeer[]>();
  for (const peer of engine.peers) {
    const list = peersOfClass.get(peer.cls.index) ?? [];
    list.push(peer);
    peersOfClass.set(peer.cls.index, list);
  }
  const sources = engine.peers.filter((peer) => from(peer));
  const destinations = engine.peers.filter((peer) => to(peer));

  if (from('external')) {
    for (const peer of destinations) {
      for (const atom of engine.sourceAtoms) add(`${formatAtom(atom)}[External]`, peer.name, {kind: 'external', atom}, {kind: 'pod', cls: peer.cls});
    }
  }
  if (to('external')) {
    for (const peer of sources) {
      for (const atom of engine.destinationAtoms) add(peer.name, `${formatAtom(atom)}[External]`, {kind: 'pod', cls: peer.cls}, {kind: 'external', atom});
    }
  }
  const wanted = new Set(destinations);
  for (const [classIndex, classPeers] of peersOfClass) {
    const fromHere = classPeers.filter((peer) => from(peer));
    if (fromHere.length === 0) continue;
    const source = engine.classes[classIndex]!;
    for (const d of engine.reachableFrom(source).members()) {
      const destination = engine.classes[d]!;
      const ports = engine.connection({kind: 'pod', cls: source}, {kind: 'pod', cls: destination});
      if (ports.isEmpty()) continue;
      const conn = ports.format();
      for (const dst of peersOfClass.get(d) ?? []) {
        if (!wanted.has(dst)) continue;
        for (const src of fromHere) if (src !== dst) lines.push({src: src.name, dst: dst.name, conn});
      }
    }
  }
  if (from('ingress-controller')) {
    for (const [peer, ports] of ingressRoutes) {
      if (to(peer)) add('{ingress-controller}', peer.name, {kind: 'ingress-controller'}, {kind: 'pod', cls: peer.cls}, ports);
    }
  }
  return lines.sort((a, b) => (compareStrings(a.src, b.src) || compareStrings(a.dst, b.dst)));
}


export function formatConnectivityText(lines: readonly ConnectionLine[]): string {
  return lines.map((l) => `${l.src} => ${l.dst} : ${l.conn}\n`).join('');
}
