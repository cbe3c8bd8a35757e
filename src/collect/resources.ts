/**
 * kubepath collected resources
 * ============================
 *
 * Where the API serves each kind a snapshot holds, as its row in kinds.ts says: its
 * group (the first of the kind's groups; `extensions` is long gone from live servers),
 * its resource name, and the versions to try, newest first, so that a cluster still on
 * an older version of an API (Gateway API v1beta1, batch/v1beta1 CronJobs) is read
 * too. A kind no version of which is served is a `not-served` coverage gap.
 */
import {KINDS, type KindSpec} from '../snapshot/kinds.js';

export interface ListResource {
  spec: KindSpec;
  group: string;
  resource: string;
  versions: readonly string[];
}

/** Every kind of the snapshot, in snapshot order. */
export const LIST_RESOURCES: readonly ListResource[] = KINDS.map((spec) => ({spec, group: spec.groups[0], ...spec.served}));

/** `/api/v1/namespaces/shop/pods`, `/apis/apps/v1/deployments`: where to list a resource. */
export function listPath(resource: ListResource, version: string, namespace?: string): string {
  const root = resource.group === '' ? `/api/${version}` : `/apis/${resource.group}/${version}`;
  const scope = namespace !== undefined && resource.spec.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.resource}`;
}
