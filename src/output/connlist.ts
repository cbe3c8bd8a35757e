/**
 * kubepath connectivity list
 * ==========================
 *
 * `reach -o text`: netpol-analyzer's connlist format, `SRC => DST : CONN`, peers as
 * `ns/name[Kind]` and external atoms as `a.b.c.d-e.f.g.h[External]`, sorted by source
 * then destination in byte order; self pairs, empty connections and external-to-
 * external pairs are left out. `-o json` gives the same facts as `[{src,dst,conn}]`.
 * Lines are made source by source, in that order, and written as they come: the list
 * grows with workloads squared (a 20,000-pod cluster prints over a gigabyte), so it is
 * never held. For a workload source, only the classes the engine's class reachability
 * says it connects to are evaluated port by port, and `--from`/`--to` narrow the work,
 * not just the printout. Names are escaped in the text (`safe`).
 */
import {formatAtom, type AddressRange} from '../engines/network/addresses.js';
import {compareStrings} from '../util/order.js';
import {joined} from './chunks.js';
import {safe} from './escape.js';
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

/** One end of the lines: a workload peer, an outside address range, or the ingress controller, by its printed name. */
export interface LineEnd {
  name: string;
  endpoint: Endpoint;
  peer?: NetworkPeer;
}

export const peerEnd = (peer: NetworkPeer): LineEnd => ({name: peer.name, endpoint: {kind: 'pod', cls: peer.cls}, peer});
export const atomEnd = (atom: AddressRange): LineEnd => ({name: `${formatAtom(atom)}[External]`, endpoint: {kind: 'external', atom}});
export const INGRESS_CONTROLLER: LineEnd = {name: '{ingress-controller}', endpoint: {kind: 'ingress-controller'}};

/** Ends in output order, by name in byte order: names are unique (peers are by their names; only theirs hold a `/`). */
export const byName = (ends: LineEnd[]): LineEnd[] => ends.sort((a, b) => compareStrings(a.name, b.name));

/** Every allowed connection, sorted by source then destination, made as it is asked for. */
export function* connectivityList(
  engine: NetworkEngine,
  ingressRoutes: IngressRoutes,
  options: ConnectivityOptions = {},
): Generator<ConnectionLine> {
  const from = options.from ?? (() => true);
  const to = options.to ?? (() => true);
  const sources = byName([
    ...engine.peers.filter((peer) => from(peer)).map(peerEnd),
    ...(from('external') ? engine.sourceAtoms.map(atomEnd) : []),
    ...(from('ingress-controller') ? [INGRESS_CONTROLLER] : []),
  ]);
  const peerDestinations = byName(engine.peers.filter((peer) => to(peer)).map(peerEnd));
  const destinations = byName([...peerDestinations, ...(to('external') ? engine.destinationAtoms.map(atomEnd) : [])]);
  const routed = byName([...ingressRoutes.keys()].filter((peer) => to(peer)).map(peerEnd));
  const line = (source: LineEnd, destination: LineEnd, limit?: PortSet): ConnectionLine | undefined => {
    let ports = engine.connection(source.endpoint, destination.endpoint);
    if (limit) ports = ports.intersect(limit);
    return ports.isEmpty() ? undefined : {src: source.name, dst: destination.name, conn: ports.format()};
  };

  for (const source of sources) {
    if (source.peer) {
      // Workload to workload: one evaluation per class the source's class reaches.
      const cls = source.peer.cls;
      const connections = new Array<string | undefined>(engine.classes.length).fill(undefined);
      for (const d of engine.reachableFrom(cls).members()) {
        const ports = engine.connection(source.endpoint, {kind: 'pod', cls: engine.classes[d]!});
        if (!ports.isEmpty()) connections[d] = ports.format();
      }
      for (const destination of destinations) {
        if (destination.peer) {
          const conn = connections[destination.peer.cls.index];
          if (conn !== undefined && destination.peer !== source.peer) yield {src: source.name, dst: destination.name, conn};
        } else {
          const found = line(source, destination);
          if (found) yield found;
        }
      }
    } else {
      const limited = source === INGRESS_CONTROLLER;
      for (const destination of limited ? routed : peerDestinations) {
        const found = line(source, destination, limited ? ingressRoutes.get(destination.peer!) : undefined);
        if (found) yield found;
      }
    }
  }
}

/** `SRC => DST : CONN` lines, names escaped, in chunks: each name is escaped once. */
export function formatConnectivityText(lines: Iterable<ConnectionLine>): Generator<string> {
  const shown = new Map<string, string>();
  const show = (name: string): string => {
    let text = shown.get(name);
    if (text === undefined) shown.set(name, (text = safe(name)));
    return text;
  };
  function* text(): Generator<string> {
    for (const l of lines) yield `${show(l.src)} => ${show(l.dst)} : ${l.conn}\n`;
  }
  return joined(text());
}
