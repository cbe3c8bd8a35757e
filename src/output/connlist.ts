/**
 * kubepath connectivity list
 * ==========================
 *
 * `reach -o txt`: netpol-analyzer's connlist format, `SRC => DST : CONN`, peers as
 * `ns/name[Kind]` and external atoms as `a.b.c.d-e.f.g.h[External]`, sorted by source
 * then destination in byte order; self pairs, empty connections and external-to-
 * external pairs are left out. `-o json` gives the same facts as `[{src,dst,conn}]`.
 */
import {formatAtom} from '../engines/network/addresses.js';
import type {NetworkEngine} from '../engines/network/engine.js';
import type {Endpoint} from '../engines/network/policies.js';

export interface ConnectionLine {
  src: string;
  dst: string;
  conn: string;
}

export function connectivityList(engine: NetworkEngine): ConnectionLine[] {
  const lines: ConnectionLine[] = [];
  const add = (src: string, dst: string, from: Endpoint, to: Endpoint): void => {
    const ports = engine.connection(from, to);
    if (!ports.isEmpty()) lines.push({src, dst, conn: ports.format()});
  };
  for (const peer of engine.peers) {
    const endpoint: Endpoint = {kind: 'pod', peer};
    for (const atom of engine.sourceAtoms) add(`${formatAtom(atom)}[External]`, peer.name, {kind: 'external', atom}, endpoint);
    for (const atom of engine.destinationAtoms) add(peer.name, `${formatAtom(atom)}[External]`, endpoint, {kind: 'external', atom});
    for (const other of engine.peers) if (other !== peer) add(peer.name, other.name, endpoint, {kind: 'pod', peer: other});
  }
  for (const {peer, ports} of engine.ingressTargets) {
    const allowed = ports.intersect(engine.connection({kind: 'ingress-controller'}, {kind: 'pod', peer}));
    if (!allowed.isEmpty()) lines.push({src: '{ingress-controller}', dst: peer.name, conn: allowed.format()});
  }
  return lines.sort((a, b) => (a.src === b.src ? compare(a.dst, b.dst) : compare(a.src, b.src)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatConnectivityText(lines: readonly ConnectionLine[]): string {
  return lines.map((l) => `${l.src} => ${l.dst} : ${l.conn}\n`).join('');
}
