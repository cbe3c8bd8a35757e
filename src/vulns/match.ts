/**
 * kubepath image vulnerabilities
 * ==============================
 *
 * Which containers of the model run the images a vulnerability report scanned, and
 * whether those images give an attacker on the network a way in (docs/vulns.md):
 * - an image matches a container by digest when both sides know one (the reference's
 *   `@sha256:`, or the digest a live pod's `status.containerStatuses[].imageID`
 *   records), else by registry, repository and tag read as the runtime reads them
 *   (`nginx` is `docker.io/library/nginx:latest`);
 * - a `trivy k8s` resource names its workload: only that workload's pods are meant;
 * - a vulnerability is exploitable when Trivy rates it CRITICAL, or HIGH, and some CVSS
 *   vector (from any source) has a network attack vector (`AV:N`); a CRITICAL one with
 *   no vector counts too, one that only local or physical access exploits does not.
 *   Those are what give an attacker on the network a way in.
 * Reaching a pod with an exploitable image is then a known flaw, not an assumed one
 * (src/edges/known-flaw.ts).
 */
import {containersOf} from '../edges/pod-spec.js';
import type {ClusterModel, PodInfo} from '../graph/model.js';
import {parseImage} from '../posture/image-reference.js';
import {compareStrings} from '../util/order.js';
import {pushTo} from '../util/group.js';
import {SEVERITIES, type ScannedImage, type Vulnerability} from './trivy.js';

export interface ContainerVulnerabilities {
  container: string;
  /** The field of the image reference in the pod's source object (`spec.template.spec.containers[0].image`). */
  field: string;
  image: string;
  /** The reports that describe it: `<file> <path>`, sorted. */
  scans: string[];
  /** Every vulnerability found, the gravest first. */
  vulnerabilities: Vulnerability[];
  /** Those that let an attacker in (`exploitability`). */
  exploitable: Vulnerability[];
}

export interface PodVulnerabilities {
  containers: ContainerVulnerabilities[];
  /** Whether some container's image has an exploitable vulnerability. */
  exploitable: boolean;
}

/** Why a vulnerability gives an attacker on the network a way in, or undefined when it does not. */
export function exploitability(vulnerability: Vulnerability): string | undefined {
  const network = vulnerability.attackVectors.includes('N');
  if (vulnerability.severity === 'CRITICAL' && (network || vulnerability.attackVectors.length === 0)) return 'CRITICAL';
  if (vulnerability.severity === 'HIGH' && network) return 'HIGH, network attack vector';
  return undefined;
}

/** Whether a vulnerability report names a flaw in one of the pod's images that an attacker on the network can use. */
export function hasKnownFlaw(model: ClusterModel, pod: string): boolean {
  return model.vulnerabilities.get(pod)?.exploitable ?? false;
}

/** How many vulnerabilities a note names; the rest are counted. */
const NAMED = 3;

/** `CVE-1 (CRITICAL; openssl 3.0.2, fixed in 3.0.13), CVE-2 (...), and 4 more`. */
export function describeExploitable(vulnerabilities: readonly Vulnerability[]): string {
  const named = vulnerabilities
    .slice(0, NAMED)
    .map((v) => `${v.id} (${exploitability(v) ?? v.severity}; ${v.package}${v.installed ? ` ${v.installed}` : ''}${v.fixed ? `, fixed in ${v.fixed}` : ''})`);
  const more = vulnerabilities.length - named.length;
  return `${named.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

/** Each vulnerability once (by id and package, as several reports or containers may list it), the gravest first. */
export function uniqueVulnerabilities(vulnerabilities: Iterable<Vulnerability>): Vulnerability[] {
  const unique = new Map<string, Vulnerability>();
  for (const vulnerability of vulnerabilities) unique.set(`${vulnerability.id}\u0000${vulnerability.package}`, vulnerability);
  return [...unique.values()].sort(byGravity);
}

/** The gravest first: by severity, network attack vector first, then id and package. */
const byGravity = (a: Vulnerability, b: Vulnerability): number =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
  Number(!a.attackVectors.includes('N')) - Number(!b.attackVectors.includes('N')) ||
  compareStrings(a.id, b.id) ||
  compareStrings(a.package, b.package);

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
  const status = pod.object?.status as {containerStatuses?: unknown; initContainerStatuses?: unknown; ephemeralContainerStatuses?: unknown} | null | undefined;
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
    if (entry.scan.workload) pushTo(byWorkload, workloadKey(entry.scan.workload.namespace, entry.scan.workload.kind, entry.scan.workload.name), entry);
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
      const found = [...[...candidates].filter(matches), ...scoped.filter((entry) => entry.names.size + entry.digests.size === 0 || matches(entry))];
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
    if (containers.length > 0) model.vulnerabilities.set(pod.id, {containers, exploitable: containers.some((container) => container.exploitable.length > 0)});
  }
  return scans.filter((scan) => !used.has(scan));
}
