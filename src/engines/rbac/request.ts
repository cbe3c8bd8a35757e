/**
 * kubepath RBAC requests
 * ======================
 *
 * What the RBAC authorizer is asked, in the terms of the API server's request
 * attributes: a resource request (verb, API group, resource, subresource, namespace,
 * name) or a non-resource request (verb, URL path). `normalizeRequest` checks a
 * request up front and settles, as the API server's request parsing does, which
 * name and namespace the authorizer actually sees.
 */

export interface ResourceRequest {
  verb: string;
  /** The API group; the core group is `""` (never `core`). */
  group: string;
  /** The resource without its subresource: `pods`, not `pods/exec`. */
  resource: string;
  subresource?: string;
  /** Absent for cluster-scoped resources and for requests across all namespaces. */
  namespace?: string;
  name?: string;
}

export interface NonResourceRequest {
  verb: string;
  /** The URL path, e.g. `/healthz` or `/apis/apps`. */
  nonResourceURL: string;
}

export type RbacRequest = ResourceRequest | NonResourceRequest;

/** A request as the authorizer sees it: `''` stands for no subresource, no namespace, no name. */
export type NormalizedRequest =
  | {
      kind: 'resource';
      verb: string;
      group: string;
      resource: string;
      subresource: string;
      /** `resource/subresource`, the form rules name it by. */
      combined: string;
      namespace: string;
      name: string;
    }
  | {kind: 'nonResource'; verb: string; path: string; namespace: ''};

export function isNonResourceRequest(request: RbacRequest): request is NonResourceRequest {
  return 'nonResourceURL' in request;
}

/**
 * Whether the authorizer sees the request's name. A create on a collection (POST)
 * and a deletecollection carry none in the URL, so rules with resourceNames never
 * allow them; a create on a subresource (`pods/exec`, `serviceaccounts/token`) does
 * carry its parent's name, and list/watch carry one when a `metadata.name` field
 * selector asks for a single object.
 */
export function nameIsSeen(verb: string, subresource: string | undefined): boolean {
  if (verb === 'deletecollection') return false;
  return !(verb === 'create' && !subresource);
}

const segment = (value: unknown): boolean => typeof value === 'string' && value.length > 0 && !value.includes('/');

/** The first thing wrong with a request, in words; undefined for a well-formed one. */
export function requestProblem(request: RbacRequest): string | undefined {
  if (typeof request !== 'object' || request === null) return 'a request is an object';
  if (typeof request.verb !== 'string' || request.verb === '') return 'a request needs a verb';
  if (isNonResourceRequest(request)) {
    if ('resource' in request || 'namespace' in request) return 'a request is either for a resource or for a non-resource URL, not both';
    if (typeof request.nonResourceURL !== 'string' || !request.nonResourceURL.startsWith('/')) {
      return `a non-resource URL starts with /, not ${JSON.stringify(request.nonResourceURL)}`;
    }
    return undefined;
  }
  if (typeof request.group !== 'string') return 'a resource request needs an API group ("" for the core group)';
  if (!segment(request.resource))
    return `a resource is one non-empty path segment, not ${JSON.stringify(request.resource)}: put a subresource in subresource`;
  if (request.subresource !== undefined && !segment(request.subresource))
    return `a subresource is one non-empty path segment, not ${JSON.stringify(request.subresource)}`;
  if (request.namespace !== undefined && !segment(request.namespace))
    return `a namespace is a non-empty name, not ${JSON.stringify(request.namespace)}`;
  if (request.name !== undefined && !segment(request.name)) return `a name is non-empty and has no /, not ${JSON.stringify(request.name)}`;
  if (isNamespaceObjectRequest(request) && request.namespace && request.namespace !== request.name) {
    return `a request on namespace ${request.name} is made in that namespace, not in ${request.namespace}`;
  }
  return undefined;
}

/**
 * A request on one Namespace object by its URL (`/api/v1/namespaces/N[/status]`):
 * the API server files it under namespace N, so a RoleBinding in N covers it
 * (research: `patch namespaces` through a RoleBinding relabels N).
 */
function isNamespaceObjectRequest(request: ResourceRequest): request is ResourceRequest & {name: string} {
  const inPath = request.verb !== 'list' && request.verb !== 'watch' && nameIsSeen(request.verb, request.subresource);
  return request.group === '' && request.resource === 'namespaces' && Boolean(request.name) && inPath;
}

/** Checks a request and returns it as the authorizer sees it; throws a TypeError naming the problem. */
export function normalizeRequest(request: RbacRequest): NormalizedRequest {
  const problem = requestProblem(request);
  if (problem) throw new TypeError(`kubepath rbac: ${problem}`);
  if (isNonResourceRequest(request)) return {kind: 'nonResource', verb: request.verb, path: request.nonResourceURL, namespace: ''};
  const subresource = request.subresource ?? '';
  const name = nameIsSeen(request.verb, subresource) ? (request.name ?? '') : '';
  const namespace = isNamespaceObjectRequest(request) ? request.name : (request.namespace ?? '');
  return {
    kind: 'resource',
    verb: request.verb,
    group: request.group,
    resource: request.resource,
    subresource,
    combined: subresource ? `${request.resource}/${subresource}` : request.resource,
    namespace,
    name,
  };
}

/** `verb resource.group/sub [ns/name]` or `verb /url`: how requests are named in messages and tests. */
export function describeRequest(request: RbacRequest): string {
  if (isNonResourceRequest(request)) return `${request.verb} ${request.nonResourceURL}`;
  const resource = `${request.resource}${request.group ? `.${request.group}` : ''}${request.subresource ? `/${request.subresource}` : ''}`;
  const where = request.namespace ? ` in ${request.namespace}` : '';
  return `${request.verb} ${resource}${request.name ? ` ${request.name}` : ''}${where}`;
}
