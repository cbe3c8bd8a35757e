/**
 * kubepath ingress routes
 * =======================
 *
 * netpol-analyzer's `{ingress-controller}` peer: the workloads that Ingress objects
 * (and Gateway API HTTPRoutes) forward to, with the pod ports the routes reach. The
 * controller's own pods are unknown, so `reach` lets through only what the
 * destination admits from any source.
 */
import type {ClusterModel} from '../../graph/model.js';
import {exposures} from './exposure.js';
import type {NetworkEngine} from './engine.js';
import type {NetworkPeer} from './peers.js';
import {PortSet} from './ports.js';

export function ingressRoutes(model: ClusterModel, engine: NetworkEngine, exposed = exposures(model)): Map<NetworkPeer, PortSet> {
  const peerOfPod = new Map<string, NetworkPeer>();
  for (const peer of engine.peers) for (const pod of peer.pods) peerOfPod.set(pod, peer);
  const routes = new Map<NetworkPeer, PortSet>();
  for (const exposure of exposed) {
    if (!exposure.proxied) continue;
    const peer = peerOfPod.get(exposure.pod);
    if (peer) routes.set(peer, (routes.get(peer) ?? PortSet.NONE).union(exposure.ports));
  }
  return routes;
}
