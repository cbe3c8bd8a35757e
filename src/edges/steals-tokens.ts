/**
 * STEALS_TOKENS: a container that mounts the kubelet's pod directory
 * (`/var/lib/kubelet/pods`, or an ancestor up to `/`), even read-only, reads the
 * service-account tokens of every pod on its node, since the kubelet writes each pod's
 * token volumes there. One edge per account whose token another pod on the node holds
 * (the tokens of USES_TOKEN, plus legacy token Secrets mounted as volumes). A pod with
 * no node (a workload's stand-in, a pending pod) may land next to any other such pod:
 * those edges are conditional. See docs/edges/STEALS_TOKENS.md.
 */
import {UNSCHEDULED} from '../graph/ids.js';
import type {ClusterModel, PodInfo} from '../graph/model.js';
import type {Certainty, Evidence} from '../graph/types.js';
import {COST, type EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {baselineFixes} from './escapes-to.js';
import {hostPathMounts, isWithin, mountEvidence, nonRootEvidence} from '../graph/pod-spec.js';
import {podTokens} from '../graph/pod-tokens.js';

/** The kubelet's default `--root-dir` and the pod directories under it. */
export const KUBELET_PODS_DIR = '/var/lib/kubelet/pods';
/** Holders named in an edge's evidence; the rest are counted. */
const MAX_HOLDERS_SHOWN = 5;

interface Holder {
  pod: PodInfo;
  certainty: Certainty;
  evidence: Evidence;
}

/** The tokens on one node, by service account, with the pods holding each. */
function tokensOnNode(model: ClusterModel, node: string): Map<string, Holder[]> {
  const accounts = new Map<string, Holder[]>();
  for (const pod of model.podsByNode.get(node) ?? []) {
    for (const token of podTokens(model, pod)) {
      const holders = accounts.get(token.serviceAccount) ?? [];
      const last = holders[holders.length - 1];
      if (last?.pod === pod) {
        if (token.certainty === 'definite') last.certainty = 'definite';
      } else {
        holders.push({
          pod,
          certainty: token.certainty,
          evidence: {...token.where, note: `holds a token of ${token.serviceAccount} (${token.via})`},
        });
      }
      accounts.set(token.serviceAccount, holders);
    }
  }
  return accounts;
}

export const stealsTokens: EdgeRule<'STEALS_TOKENS'> = {
  id: 'STEALS_TOKENS',
  type: 'STEALS_TOKENS',
  family: 'identity',
  mitre: 'T1528',
  summary: "A container mounts the kubelet's pod directory (even read-only) and reads the tokens of the other pods on its node",
  fixes: baselineFixes,
  build({model}) {
    const edges = new EdgeCollector(stealsTokens);
    const nodes = new Map<string, Map<string, Holder[]>>();
    for (const pod of model.pods) {
      const mounts = hostPathMounts(pod).filter((mount) => isWithin(KUBELET_PODS_DIR, mount.path));
      if (mounts.length === 0) continue;
      let tokens = nodes.get(pod.nodeName);
      if (!tokens) nodes.set(pod.nodeName, (tokens = tokensOnNode(model, pod.nodeName)));
      const unscheduled = pod.nodeName === UNSCHEDULED;
      const note = `reads ${KUBELET_PODS_DIR}/*/volumes (the kubelet's default --root-dir) on ${unscheduled ? 'whatever node it runs on' : `node ${pod.nodeName}`}`;
      const reader = mounts.flatMap((mount) => mountEvidence(pod, mount, `${mount.volumePath}.hostPath.path`, mount.declared, note));
      // The kubelet's directories belong to root: a container the spec makes non-root needs a way back to it.
      const nonRoot = mounts.map((mount) => nonRootEvidence(pod, mount.container));
      const asRoot = nonRoot.some((evidence) => evidence === undefined);
      if (!asRoot) reader.push({...nonRoot[0]!, note: "runs as non-root: the kubelet's directories are root's"});
      for (const [account, holders] of tokens) {
        const others = holders.filter((holder) => holder.pod !== pod);
        if (others.length === 0) continue;
        const shown = others.slice(0, MAX_HOLDERS_SHOWN).map((holder) => holder.evidence);
        if (others.length > MAX_HOLDERS_SHOWN)
          shown[shown.length - 1] = {
            ...shown[shown.length - 1]!,
            note: `${shown[shown.length - 1]!.note}; and ${others.length - MAX_HOLDERS_SHOWN} more pods`,
          };
        const placement: Evidence[] = unscheduled
          ? [
              {
                object: pod.source.object,
                field: `${pod.source.specPath}.nodeName`,
                note: 'no node: assumes the holders are scheduled onto the same node',
              },
            ]
          : [];
        const certain = asRoot && !unscheduled && others.some((holder) => holder.certainty === 'definite');
        edges.add(pod.id, account, {
          certainty: certain ? 'definite' : 'conditional',
          cost: COST.inHand,
          evidence: [...reader, ...shown, ...placement],
        });
      }
    }
    return edges.list();
  },
};
