/** added-capabilities: capabilities added beyond the baseline's list (PSS baseline). */
import {capabilityName, containersOf} from '../graph/pod-spec.js';
import type {PostureRule} from './rule.js';

/** What PSS baseline lets a container add: the container runtimes' usual defaults. */
export const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const addedCapabilities: PostureRule = {
  id: 'added-capabilities',
  title: 'dangerous capability added',
  level: 'baseline',
  why: 'SYS_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, NET_ADMIN and the like widen the kernel surface and lead out of the container',
  check: (pod) =>
    containersOf(pod).flatMap((ref) =>
      (ref.container.securityContext?.capabilities?.add ?? []).flatMap((added, index) => {
        if (BASELINE_CAPABILITIES.has(capabilityName(added))) return [];
        const fieldPath = `${ref.path}.securityContext.capabilities.add[${index}]`;
        return [
          {
            evidence: {object: pod.source.object, field: fieldPath, value: added, note: `adds ${capabilityName(added)}`},
            fix: `remove ${added} from ${ref.path}.securityContext.capabilities.add`,
          },
        ];
      }),
    ),
};
