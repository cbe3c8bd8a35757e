/** capabilities-not-dropped: capabilities not dropped to none (PSS restricted: drop ALL, add NET_BIND_SERVICE at most). */
import {capabilityName, containersOf} from '../graph/pod-spec.js';
import {BASELINE_CAPABILITIES} from './added-capabilities.js';
import type {PostureRule, Violation} from './rule.js';

export const capabilitiesNotDropped: PostureRule = {
  id: 'capabilities-not-dropped',
  title: 'capabilities not dropped',
  level: 'restricted',
  why: "the runtime's default capabilities (DAC_OVERRIDE, SETUID, NET_RAW, ...) stay with a process that needs none of them",
  check: (pod) =>
    containersOf(pod).flatMap((ref) => {
      const capabilities = ref.container.securityContext?.capabilities;
      const violations: Violation[] = [];
      if (!(capabilities?.drop ?? []).some((name) => capabilityName(name) === 'ALL')) {
        const fieldPath = `${ref.path}.securityContext.capabilities.drop`;
        violations.push({
          evidence: {
            object: pod.source.object,
            field: fieldPath,
            value: capabilities?.drop ? JSON.stringify(capabilities.drop) : 'unset',
            note: 'does not drop ALL',
          },
          fix: `set ${fieldPath}: [ALL]`,
        });
      }
      // Those beyond the baseline's list are added-capabilities' (baseline) findings.
      (capabilities?.add ?? []).forEach((added, index) => {
        const name = capabilityName(added);
        if (name === 'NET_BIND_SERVICE' || !BASELINE_CAPABILITIES.has(name)) return;
        const fieldPath = `${ref.path}.securityContext.capabilities.add[${index}]`;
        violations.push({
          evidence: {object: pod.source.object, field: fieldPath, value: added, note: `adds ${name}`},
          fix: `remove ${added} from ${ref.path}.securityContext.capabilities.add`,
        });
      });
      return violations;
    }),
};
