/**
 * kubepath network peers
 * ======================
 *
 * The workload-level names that `reach` prints, as netpol-analyzer does: the pods of
 * one top controller are one peer `ns/name[Kind]`, a pod without a controller is
 * `ns/name[Pod]`. A peer is evaluated as the class of its first pod (netpol-analyzer
 * reads one pod per workload too); path search works on every pod's own class.
 */
import type {ClusterModel, PodInfo} from '../../graph/model.js';
import type {ClassIndex} from './classes.js';
import type {NetworkClass} from './policies.js';
import {compareStrings} from '../../util/order.js';

export interface NetworkPeer {
  /** netpol-analyzer's name: `ns/name[Kind]`. */
  name: string;
  namespace: string;
  /** The workload graph id, when the peer is a workload. */
  workload: string | undefined;
  cls: NetworkClass;
  /** Graph ids of the pods this peer stands for. */
  pods: string[];
}

/** The peer a pod belongs to: its top workload, else itself (or an owner it names without a kind). */
function peerIdentity(pod: PodInfo): string {
  if (pod.workload) return `${pod.namespace}/${pod.workload.name}[${pod.workload.kind}]`;
  const owner = pod.object?.metadata.ownerReferences?.find((ref) => ref.controller) ?? pod.object?.metadata.ownerReferences?.[0];
  const name = owner && !owner.kind && owner.name ? owner.name : pod.name;
  return `${pod.namespace}/${name}[Pod]`;
}

export function buildPeers(model: ClusterModel, index: ClassIndex): NetworkPeer[] {
  const peers = new Map<string, NetworkPeer>();
  for (const pod of model.pods) {
    const cls = index.classOfPod.get(pod.id);
    if (!cls) continue;
    const name = peerIdentity(pod);
    const peer = peers.get(name);
    if (peer) peer.pods.push(pod.id);
    else peers.set(name, {name, namespace: pod.namespace, workload: pod.workload?.id, cls, pods: [pod.id]});
  }
  return [...peers.values()].sort((a, b) => compareStrings(a.name, b.name));
}
