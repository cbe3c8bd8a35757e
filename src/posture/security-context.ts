/**
 * Reading a container's effective security context: the container's own field wins
 * over the pod's (runAsNonRoot, runAsUser, seccompProfile, seLinuxOptions,
 * appArmorProfile), and field paths say which of the two set it.
 */
import type {PodInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import {field, type ContainerRef} from '../graph/pod-spec.js';

export interface Effective {
  value: unknown;
  /** Where it is set, or where to set it (the container's path) when it is set nowhere. */
  field: string;
  set: boolean;
}

/** `securityContext.<path>` of the container, else of the pod. */
export function effective(pod: PodInfo, ref: ContainerRef, ...path: string[]): Effective {
  const own = field(ref.container.securityContext, ...path);
  if (own !== undefined && own !== null) return {value: own, field: `${ref.path}.securityContext.${path.join('.')}`, set: true};
  const podLevel = field(pod.spec.securityContext, ...path);
  if (podLevel !== undefined && podLevel !== null)
    return {value: podLevel, field: `${pod.source.specPath}.securityContext.${path.join('.')}`, set: true};
  return {value: undefined, field: `${ref.path}.securityContext.${path.join('.')}`, set: false};
}

/** Evidence for a field that is set (its value) or missing (`unset`, with the note saying so). */
export function at(pod: PodInfo, where: Effective, note: string): Evidence {
  const value =
    where.set && (typeof where.value === 'string' || typeof where.value === 'number' || typeof where.value === 'boolean')
      ? where.value
      : where.set
        ? JSON.stringify(where.value)
        : 'unset';
  return {object: pod.source.object, field: where.field, value, note};
}

/** `spec.template.spec.containers[0]` → `containers[0] (web)`: a container named in a note. */
export function containerName(ref: ContainerRef): string {
  return `${ref.path.slice(ref.path.lastIndexOf('.') + 1)}${ref.container.name ? ` (${ref.container.name})` : ''}`;
}
