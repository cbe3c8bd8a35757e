/**
 * known-vulnerabilities: a container whose image a vulnerability report (`--vulns`)
 * says has a CRITICAL vulnerability, or a HIGH one exploitable over the network
 * (src/graph/vulnerabilities.ts). Judged on the workload's template, from what the reports say
 * of any of its pods' containers of the same name (hardening: the checklist's build
 * phase, image scanning).
 */
import {containersOf} from '../graph/pod-spec.js';
import {describeExploitable, uniqueVulnerabilities, type Vulnerability} from '../graph/vulnerabilities.js';
import {compareStrings} from '../util/order.js';
import {pushTo} from '../util/group.js';
import type {PostureRule} from './rule.js';

export const knownVulnerabilities: PostureRule = {
  id: 'known-vulnerabilities',
  title: 'image with known exploitable vulnerabilities',
  level: 'hardening',
  why: 'a service with a published, exploitable flaw is the cheapest way in: network paths into it are known, not assumed',
  check(pod, {model}) {
    const byContainer = new Map<string, Vulnerability[]>();
    for (const member of pod.workload ? pod.workload.pods : [pod]) {
      for (const container of model.vulnerabilities.get(member.id)?.containers ?? []) {
        for (const vulnerability of container.exploitable) pushTo(byContainer, container.container, vulnerability);
      }
    }
    return containersOf(pod).flatMap(({container, path}) => {
      const found = byContainer.get(container.name ?? '');
      if (!found) return [];
      const exploitable = uniqueVulnerabilities(found);
      const upgrades = [...new Set(exploitable.filter((v) => v.fixed).map((v) => `${v.package} to ${v.fixed}`))].sort(compareStrings);
      return [
        {
          evidence: {
            object: pod.source.object,
            field: `${path}.image`,
            value: container.image ?? '',
            note: describeExploitable(exploitable),
          },
          fix:
            upgrades.length > 0
              ? `rebuild or upgrade the image of ${path}: ${upgrades.join(', ')}`
              : `no fixed version is published for ${exploitable.map((v) => v.id).join(', ')}: keep ${path} off the network paths (kubepath contain) until one is`,
        },
      ];
    });
  },
};
