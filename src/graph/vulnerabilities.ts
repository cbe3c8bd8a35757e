/**
 * kubepath image vulnerabilities in the model
 * ===========================================
 *
 * What vulnerability reports say of the model's pods (`model.vulnerabilities`, filled
 * by src/vulns/match.ts from `--vulns`), and how rules and engines read it
 * (docs/vulns.md). A vulnerability is exploitable when Trivy rates it CRITICAL, or
 * HIGH, and some CVSS vector (from any source) has a network attack vector (`AV:N`);
 * a CRITICAL one with no vector counts too, one that only local or physical access
 * exploits does not. Those are what give an attacker on the network a way in:
 * reaching a pod with an exploitable image is then a known flaw, not an assumed one
 * (src/edges/known-flaw.ts).
 */
import {compareStrings} from '../util/order.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type VulnerabilitySeverity = (typeof SEVERITIES)[number];

export interface Vulnerability {
  id: string;
  severity: VulnerabilitySeverity;
  /** The package it is in, and its installed and fixed versions. */
  package: string;
  installed?: string;
  fixed?: string;
  title?: string;
  /** Attack vectors of every CVSS vector given (`N`etwork, `A`djacent, `L`ocal, `P`hysical), by source. */
  attackVectors: string[];
}

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
export function hasKnownFlaw(model: {vulnerabilities: ReadonlyMap<string, PodVulnerabilities>}, pod: string): boolean {
  return model.vulnerabilities.get(pod)?.exploitable ?? false;
}

/** How many vulnerabilities a note names; the rest are counted. */
const NAMED = 3;

/** `CVE-1 (CRITICAL; openssl 3.0.2, fixed in 3.0.13), CVE-2 (...), and 4 more`. */
export function describeExploitable(vulnerabilities: readonly Vulnerability[]): string {
  const named = vulnerabilities
    .slice(0, NAMED)
    .map(
      (v) =>
        `${v.id} (${exploitability(v) ?? v.severity}; ${v.package}${v.installed ? ` ${v.installed}` : ''}${v.fixed ? `, fixed in ${v.fixed}` : ''})`,
    );
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
