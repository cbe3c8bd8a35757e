/**
 * kubepath RBAC rule matching
 * ===========================
 *
 * Whether one PolicyRule allows one request, by the API server's definitions
 * (docs/rbac.md): verbs and apiGroups are `*` or exact; resources are
 * `*` (every resource and subresource), the exact `resource` or `resource/sub`, or
 * `*\/sub` (that subresource of any resource), and nothing else is a wildcard;
 * resourceNames, when listed, must hold the request's name exactly; non-resource URLs
 * are `*`, exact, or a prefix ending in `*`. A rule for resources never allows a
 * non-resource request and the other way round.
 */
import type {PolicyRule} from '../../snapshot/schema.js';
import type {NormalizedRequest} from './request.js';

/** A PolicyRule with every list present (absent and null mean empty, as for the API server). */
export interface Rule {
  apiGroups: readonly string[];
  resources: readonly string[];
  resourceNames: readonly string[];
  nonResourceURLs: readonly string[];
  verbs: readonly string[];
}

export function normalizeRule(rule: PolicyRule): Rule {
  return {
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
    resourceNames: rule.resourceNames ?? [],
    nonResourceURLs: rule.nonResourceURLs ?? [],
    verbs: rule.verbs ?? [],
  };
}

/** Equal rules (list order counts): how the aggregation controller drops duplicates. */
export function ruleKey(rule: Rule): string {
  return JSON.stringify([rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs, rule.verbs]);
}

const listed = (values: readonly string[], value: string): boolean => values.includes('*') || values.includes(value);

function resourceMatches(resources: readonly string[], combined: string, subresource: string): boolean {
  for (const resource of resources) {
    if (resource === '*' || resource === combined) return true;
    // `*/scale` is the one pattern: the scale subresource of any resource.
    if (subresource && resource === `*/${subresource}`) return true;
  }
  return false;
}

function urlMatches(urls: readonly string[], path: string): boolean {
  for (const url of urls) {
    if (url === '*' || url === path) return true;
    if (url.endsWith('*') && path.startsWith(url.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(rule: Rule, request: NormalizedRequest): boolean {
  if (!listed(rule.verbs, request.verb)) return false;
  if (request.kind === 'nonResource') return urlMatches(rule.nonResourceURLs, request.path);
  if (!listed(rule.apiGroups, request.group)) return false;
  if (!resourceMatches(rule.resources, request.combined, request.subresource)) return false;
  // A request without a name never matches a rule that lists names; `*` is a literal name here.
  return rule.resourceNames.length === 0 || (request.name !== '' && rule.resourceNames.includes(request.name));
}
