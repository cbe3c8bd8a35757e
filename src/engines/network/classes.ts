/**
 * kubepath network classes
 * ========================
 *
 * Pods that every policy must treat alike, grouped once: same namespace, same values
 * for the label keys that some pod selector reads, same named container ports, same
 * host networking under the profile, (only when ipBlocks match pods) the same
 * address atom, and whether a vulnerability report names a flaw an attacker on the
 * network can use (a network step into such a pod costs less, src/edges/known-flaw.ts,
 * and path search prices the step per class). Replicas collapse into one class, so
 * the engine works on about as many classes as there are workloads, whatever the
 * replica counts. Classes are numbered in namespace order, so one namespace is one
 * contiguous index range.
 */
import type {ClusterModel, PodInfo} from '../../graph/model.js';
import type {Container, LabelSelector, PodSpec} from '../../snapshot/schema.js';
import {parseIPv4, type AddressRange} from './addresses.js';
import type {ContainerPort, NetworkClass} from './policies.js';
import type {CniProfile} from './profile.js';
import {compareStrings} from '../../util/order.js';
import {hasKnownFlaw} from '../../graph/vulnerabilities.js';

export interface ClassIndex {
  classes: NetworkClass[];
  /** Pod graph id to its class; pods that carry no traffic have none. */
  classOfPod: Map<string, NetworkClass>;
  /** Namespace to its classes, as the index range [first, end). */
  namespaceRange: Map<string, readonly [number, number]>;
}

/**
 * Live pods that carry traffic: a pod the API reports without a host IP is not
 * running anywhere yet. A finished pod (Succeeded, Failed) is kept, as netpol-analyzer
 * keeps it: it stands for its Job's or CronJob's next run, which will look alike.
 */
export function carriesTraffic(pod: PodInfo): boolean {
  const status = pod.object?.status;
  return !status || status.hostIP != null || (status.podIPs?.length ?? 0) > 0 || status.podIP != null;
}

/** Containers that serve traffic: the regular ones and sidecars (init containers with `restartPolicy: Always`). */
export function servingContainers(spec: PodSpec): Container[] {
  return [...spec.containers, ...(spec.initContainers ?? []).filter((container) => container.restartPolicy === 'Always')];
}

export function containerPorts(pod: PodInfo): ContainerPort[] {
  return servingContainers(pod.spec).flatMap((container) =>
    (container.ports ?? []).flatMap((port) =>
      port.containerPort == null ? [] : [{name: port.name, port: port.containerPort, protocol: port.protocol ?? 'TCP'}],
    ),
  );
}

/** Every label key a pod selector reads: the keys that split pods into classes. */
export function selectorKeys(selectors: Iterable<LabelSelector | null | undefined>): Set<string> {
  const keys = new Set<string>();
  for (const value of selectors) {
    if (!value) continue;
    for (const key of Object.keys(value.matchLabels ?? {})) keys.add(key);
    for (const expression of value.matchExpressions ?? []) keys.add(expression.key);
  }
  return keys;
}

/** Index of the atom holding an address (binary search over sorted, disjoint atoms). */
function atomOf(atoms: readonly AddressRange[], address: number): number {
  let low = 0;
  let high = atoms.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (atoms[middle]![1] < address) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * @param keys label keys that selectors read
 * @param atoms the address atoms ipBlocks cut; only read when the profile lets ipBlocks match pods
 */
export function buildClasses(
  model: ClusterModel,
  profile: CniProfile,
  keys: ReadonlySet<string>,
  atoms: readonly AddressRange[],
): ClassIndex {
  const sortedKeys = [...keys].sort();
  const byKey = new Map<string, {namespace: string; pods: PodInfo[]; address: number | undefined; knownFlaw: boolean}>();
  for (const pod of model.pods) {
    if (!carriesTraffic(pod)) continue;
    const nodeNetwork = profile.hostNetwork === 'node' && pod.spec.hostNetwork === true;
    const address = profile.ipBlockMatchesPods ? parseIPv4(pod.object?.status?.podIP) : undefined;
    const named = containerPorts(pod)
      .filter((p) => p.name)
      .map((p) => `${p.name}/${p.protocol}/${p.port}`)
      .sort();
    const knownFlaw = hasKnownFlaw(model, pod.id);
    const key = JSON.stringify([
      pod.namespace,
      sortedKeys.map((k) => pod.labels[k] ?? null),
      named,
      nodeNetwork,
      address === undefined ? null : atomOf(atoms, address),
      knownFlaw,
    ]);
    const entry = byKey.get(key);
    if (entry) entry.pods.push(pod);
    else byKey.set(key, {namespace: pod.namespace, pods: [pod], address, knownFlaw});
  }
  const groups = [...byKey.entries()].sort(([a], [b]) => compareStrings(a, b));
  const classes: NetworkClass[] = [];
  const classOfPod = new Map<string, NetworkClass>();
  const namespaceRange = new Map<string, readonly [number, number]>();
  for (const [, {namespace, pods, address, knownFlaw}] of groups) {
    const first = pods[0]!;
    const cls: NetworkClass = {
      index: classes.length,
      namespace,
      labels: first.labels,
      namespaceLabels: model.namespaces.get(namespace)?.labels ?? {'kubernetes.io/metadata.name': namespace},
      ports: containerPorts(first),
      nodeNetwork: profile.hostNetwork === 'node' && first.spec.hostNetwork === true,
      address,
      knownFlaw,
      pods: pods.map((p) => p.id),
    };
    classes.push(cls);
    for (const pod of pods) classOfPod.set(pod.id, cls);
    const range = namespaceRange.get(namespace);
    namespaceRange.set(namespace, [range ? range[0] : cls.index, cls.index + 1]);
  }
  return {classes, classOfPod, namespaceRange};
}
