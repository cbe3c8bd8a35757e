/**
 * kubepath image vulnerabilities
 * ==============================
 *
 * Which containers of the model run the images a vulnerability report scanned
 * (docs/vulns.md):
 * - an image matches a container by digest when both sides know one (the reference's
 *   `@sha256:`, or the digest a live pod's `status.containerStatuses[].imageID`
 *   records), else by registry, repository and tag read as the runtime reads them
 *   (`nginx` is `docker.io/library/nginx:latest`);
 * - a `trivy k8s` resource names its workload: only that workload's pods are meant.
 * What matches is attached to the model (`model.vulnerabilities`); rules and engines
 * read it through src/graph/vulnerabilities.ts, which also says when a vulnerability
 * gives an attacker on the network a way in.
 */
import {containersOf} from '../graph/pod-spec.js';
import type {ClusterModel, PodInfo} from '../graph/model.js';
import {exploitability, uniqueVulnerabilities, type ContainerVulnerabilities} from '../graph/vulnerabilities.js';
import {parseImage} from '../graph/image.js';
import {compareStrings} from '../util/order.js';
import {pushTo} from '../util/group.js';
import type {ScannedImage} from './trivy.js';

const DIGEST = /sha256:[0-9a-f]{64}/;

/** How the runtime reads a reference: `registry/repository:tag` (latest when untagged), and its digest. */
function identity(reference: string): {name: string; digest?: string} {
  const image = parseImage(reference.trim());
  const digest = image.digest ? DIGEST.exec(image.digest)?.[0] : undefined;
  const tag = image.tag ?? (digest ? undefined : 'latest');
  return {name: `${image.registry}/${image.repository}${tag ? `:${tag}` : ''}`, ...(digest ? {digest} : {})};
}

/** A scanned image's tag names, and its digests: repository digests, and image ids (which never equal one). */
function identities(scan: ScannedImage): {names: Set<string>; digests: Set<string>} {
  const names = new Set<string>();
  const digests = new Set<string>(scan.ids.flatMap((id) => DIGEST.exec(id)?.[0] ?? []));
  for (const written of scan.names) {
    const {name, digest} = identity(written);
    if (digest) digests.add(digest);
    // `repo@sha256:...` (a RepoDigest) names no tag.
    if (!written.includes('@') || parseImage(written).tag) names.add(name);
  }
  return {names, digests};
}

const workloadKey = (namespace: string | undefined, kind: string, name: string): string => `${namespace ?? ''}/${kind}/${name}`;

/** The digests the runtime pulled for a live pod's containers, by container name. */
function pulledDigests(pod: PodInfo): Map<string, string> {
  const pulled = new Map<string, string>();
  const status = pod.object?.status as
    {containerStatuses?: unknown; initContainerStatuses?: unknown; ephemeralContainerStatuses?: unknown} | null | undefined;
  for (const list of [status?.containerStatuses, status?.initContainerStatuses, status?.ephemeralContainerStatuses]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list as Array<{name?: unknown; imageID?: unknown}>) {
      const digest = typeof entry.imageID === 'string' ? DIGEST.exec(entry.imageID)?.[0] : undefined;
      if (typeof entry.name === 'string' && digest) pulled.set(entry.name, digest);
    }
  }
  return pulled;
}

/**
 * Attaches to the model what the scans say of its pods (`model.vulnerabilities`); to be
 * called before any rule context is made, as network classes read it. Returns the
 * scans no container matched, for the user to hear about.
 */
export function attachVulnerabilities(model: ClusterModel, scans: readonly ScannedImage[]): ScannedImage[] {
  const known = scans.map((scan) => ({scan, ...identities(scan)}));
  type Known = (typeof known)[number];
  // Workload reports by workload; image reports by each name and digest, so a container looks up only its own.
  const byWorkload = new Map<string, Known[]>();
  const byIdentity = new Map<string, Known[]>();
  for (const entry of known) {
    if (entry.scan.workload)
      pushTo(byWorkload, workloadKey(entry.scan.workload.namespace, entry.scan.workload.kind, entry.scan.workload.name), entry);
    else for (const key of [...entry.names, ...entry.digests]) pushTo(byIdentity, key, entry);
  }
  const used = new Set<ScannedImage>();
  for (const pod of model.pods) {
    const scoped = [
      ...(pod.workload ? (byWorkload.get(workloadKey(pod.namespace, pod.workload.kind, pod.workload.name)) ?? []) : []),
      ...(pod.representative ? [] : (byWorkload.get(workloadKey(pod.namespace, 'Pod', pod.name)) ?? [])),
    ];
    const pulled = pulledDigests(pod);
    const containers: ContainerVulnerabilities[] = [];
    for (const {container, path} of containersOf(pod)) {
      const image = container.image;
      if (!image) continue;
      const {name, digest} = identity(image);
      const digests = new Set([digest, pulled.get(container.name ?? '')].filter((value): value is string => value !== undefined));
      const matches = (entry: Known): boolean =>
        digests.size > 0 && entry.digests.size > 0 ? [...digests].some((value) => entry.digests.has(value)) : entry.names.has(name);
      const candidates = new Set([name, ...digests].flatMap((key) => byIdentity.get(key) ?? []));
      // A workload's report that names no image is about all of its containers.
      const found = [
        ...[...candidates].filter(matches),
        ...scoped.filter((entry) => entry.names.size + entry.digests.size === 0 || matches(entry)),
      ];
      if (found.length === 0) continue;
      for (const {scan} of found) used.add(scan);
      const sorted = uniqueVulnerabilities(found.flatMap(({scan}) => scan.vulnerabilities));
      containers.push({
        container: container.name ?? '',
        field: `${path}.image`,
        image,
        scans: [...new Set(found.map(({scan}) => `${scan.file} ${scan.at}`))].sort(compareStrings),
        vulnerabilities: sorted,
        exploitable: sorted.filter((vulnerability) => exploitability(vulnerability) !== undefined),
      });
    }
    if (containers.length > 0)
      model.vulnerabilities.set(pod.id, {containers, exploitable: containers.some((container) => container.exploitable.length > 0)});
  }
  return scans.filter((scan) => !used.has(scan));
}
