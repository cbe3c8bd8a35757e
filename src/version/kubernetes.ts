/**
 * kubepath cluster version
 * ========================
 *
 * The Kubernetes version the control plane runs, which some edges depend on
 * (docs/version.md): the API server's own answer (`/version`, recorded by `collect`),
 * or `--kube-version` for manifests, which also overrides it. Distribution suffixes
 * (`v1.31.2-eks-7f9249a`, `v1.30.4+k3s1`, `v1.29.8-gke.1031000`) are read past.
 */
import {UsageError} from '../snapshot/errors.js';

export interface KubernetesVersion {
  minor: number;
  patch?: number;
  /** As written. */
  text: string;
  /** Where it came from: `the API server` or `--kube-version`. */
  from: string;
}

const VERSION = /^v?1\.(\d{1,3})(?:\.(\d{1,4}))?(?:[-+.][0-9A-Za-z.+-]*)?$/;

/** `v1.31.2-eks-7f9249a` → minor 31, patch 2; undefined for anything that is not a Kubernetes 1.x version. */
export function parseKubernetesVersion(text: string, from: string): KubernetesVersion | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  return {minor: Number(match[1]), ...(match[2] === undefined ? {} : {patch: Number(match[2])}), text: text.trim(), from};
}

/** `--kube-version`: a usage error when it is not a version. */
export function versionFlag(text: string): KubernetesVersion {
  const version = parseKubernetesVersion(text, '--kube-version');
  if (!version) throw new UsageError(`--kube-version must be a Kubernetes version such as 1.31 or v1.31.2, not ${JSON.stringify(text)}`);
  return version;
}

/** Whether the version is 1.<minor> or newer; undefined when the version is unknown. */
export function atLeast(version: KubernetesVersion | undefined, minor: number): boolean | undefined {
  return version === undefined ? undefined : version.minor >= minor;
}

/** `v1.31.2 (the API server)`: a version named in evidence. */
export function describeVersion(version: KubernetesVersion): string {
  return `${version.text} (${version.from})`;
}
