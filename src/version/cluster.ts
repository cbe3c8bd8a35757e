/**
 * The cluster's versions against the support table: the control plane's (the API
 * server's, or `--kube-version`), and the kubelets' that Node objects record
 * (`status.nodeInfo.kubeletVersion`), which may lag the control plane by up to three
 * minors and so fall out of support first. Kubelets are grouped by version: a fleet
 * of thousands of nodes is a few lines.
 */
import type {ClusterModel} from '../graph/model.js';
import {compareStrings} from '../util/order.js';
import {parseKubernetesVersion, type KubernetesVersion} from './kubernetes.js';
import {supportOf, type SupportVerdict} from './support.js';

/** How many node names a kubelet group lists. */
const NAMED_NODES = 3;

export interface ClusterVersions {
  /** The control plane's version and its support; absent when neither the input nor `--kube-version` says. */
  controlPlane?: {version: string; from: string; support: SupportVerdict};
  /** Kubelet versions, oldest first, each with how many nodes run it and the first few of them. */
  kubelets: Array<{version: string; nodes: number; examples: string[]; support: SupportVerdict}>;
}

export function clusterVersions(model: ClusterModel, asOf: Date): ClusterVersions {
  const version = model.kubernetesVersion;
  const byVersion = new Map<string, {parsed: KubernetesVersion; nodes: string[]}>();
  for (const node of model.nodes.values()) {
    const text = node.object?.status?.nodeInfo?.kubeletVersion;
    const parsed = text ? parseKubernetesVersion(text, `the kubelet of node ${node.name}`) : undefined;
    if (!parsed) continue;
    const group = byVersion.get(parsed.text) ?? {parsed, nodes: []};
    group.nodes.push(node.name);
    byVersion.set(parsed.text, group);
  }
  const kubelets = [...byVersion.values()]
    .sort(
      (a, b) =>
        a.parsed.minor - b.parsed.minor || (a.parsed.patch ?? 0) - (b.parsed.patch ?? 0) || compareStrings(a.parsed.text, b.parsed.text),
    )
    .map(({parsed, nodes}) => ({
      version: parsed.text,
      nodes: nodes.length,
      examples: nodes.sort(compareStrings).slice(0, NAMED_NODES),
      support: supportOf(parsed.minor, asOf),
    }));
  return {
    ...(version ? {controlPlane: {version: version.text, from: version.from, support: supportOf(version.minor, asOf)}} : {}),
    kubelets,
  };
}
