/**
 * kubepath node ids
 * =================
 *
 * `kind:namespace/name` for namespaced objects, `kind:name` for cluster-scoped ones
 * (the vocabulary of docs/interface.md). Ids are the interface: node keys in the graph, selectors on
 * the command line, and `id` in Neo4j.
 *
 * Each component is written as it is, except the characters that would make an id
 * ambiguous or unprintable, percent-encoded as UTF-8 (`%0A`, `%2F`): `%` itself, the
 * unprintable characters no output shows raw (src/util/unprintable.ts: controls, bidi
 * and other invisible format characters, line and paragraph separators) and lone
 * surrogates; and `/`, except in user and group names (`user:` and
 * `group:` ids have one component, and OIDC user names are often URLs). Names the API
 * server allows in objects have none of these but control characters, so ids of
 * DNS names read as they always did; any user or group name the API server accepts
 * (any non-empty string) round-trips through `parseId`.
 */
import {LONE_SURROGATE, UNPRINTABLE} from '../util/unprintable.js';

export const INTERNET = 'internet';
export const CLUSTER_ADMIN = 'cluster-admin';
/** The node name given to pods that have none (manifests, pending pods). */
export const UNSCHEDULED = '<unscheduled>';

/** Id prefixes and how many components follow each. */
const COMPONENTS = {
  node: 1,
  ns: 1,
  workload: 3,
  pod: 2,
  svc: 2,
  sa: 2,
  user: 1,
  group: 1,
  role: 2,
  clusterrole: 1,
  secret: 2,
  netpol: 2,
} as const;
export type IdPrefix = keyof typeof COMPONENTS;
export const ID_PREFIXES = Object.keys(COMPONENTS) as IdPrefix[];
/** Free-form names, never split: `/` stays readable in them. */
const UNSPLIT: ReadonlySet<IdPrefix> = new Set(['user', 'group']);

const ESCAPED = new RegExp(`%|${UNPRINTABLE}|${LONE_SURROGATE}`, 'g');
const ESCAPED_WITH_SLASH = new RegExp(`[%/]|${UNPRINTABLE}|${LONE_SURROGATE}`, 'g');
/** What may need escaping, tested first: most components hold none, and the test is several times faster than the replace. */
const MAY_ESCAPE = new RegExp(`[%/\\ud800-\\udfff]|${UNPRINTABLE}`);

/** A character (one UTF-16 unit, or a pair) as percent-encoded UTF-8; a lone surrogate as its three bytes, as WTF-8 does. */
function percentEncode(char: string): string {
  const code = char.codePointAt(0)!;
  const bytes =
    code < 0x80
      ? [code]
      : code < 0x800
        ? [0xc0 | (code >> 6), 0x80 | (code & 0x3f)]
        : code < 0x10000
          ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          : [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
  return bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

const encodeComponent = (text: string, slash: boolean): string =>
  MAY_ESCAPE.test(text) ? text.replace(slash ? ESCAPED_WITH_SLASH : ESCAPED, percentEncode) : text;

/** The byte `%XX` at `at` gives, or -1. */
function byteAt(text: string, at: number): number {
  return text[at] === '%' && /^[0-9A-F]{2}$/.test(text.slice(at + 1, at + 3)) ? parseInt(text.slice(at + 1, at + 3), 16) : -1;
}

/** The text a component stands for; undefined unless it is exactly what `encodeComponent` writes for that text. */
function decodeComponent(text: string, slash: boolean): string | undefined {
  if (!text.includes('%')) return encodeComponent(text, slash) === text ? text : undefined;
  let decoded = '';
  for (let at = 0; at < text.length;) {
    if (text[at] !== '%') {
      decoded += text[at++];
      continue;
    }
    const lead = byteAt(text, at);
    const length =
      lead < 0
        ? 0
        : lead < 0x80
          ? 1
          : lead >= 0xc0 && lead < 0xe0
            ? 2
            : lead >= 0xe0 && lead < 0xf0
              ? 3
              : lead >= 0xf0 && lead < 0xf8
                ? 4
                : 0;
    if (length === 0) return undefined;
    let code = length === 1 ? lead : lead & [0, 0, 0x1f, 0x0f, 0x07][length]!;
    for (let next = 1; next < length; next++) {
      const byte = byteAt(text, at + 3 * next);
      if (byte < 0x80 || byte > 0xbf) return undefined;
      code = (code << 6) | (byte & 0x3f);
    }
    if (code > 0x10ffff) return undefined;
    decoded += String.fromCodePoint(code);
    at += 3 * length;
  }
  return encodeComponent(decoded, slash) === text ? decoded : undefined;
}

/** A component of a split id, and a user or group name. */
const part = (text: string): string => encodeComponent(text, true);
const unsplit = (text: string): string => encodeComponent(text, false);

/** The prefix and components of an id as the functions below write it; undefined for anything else (a constant such as `internet` included). */
export function parseId(id: string): {prefix: IdPrefix; components: string[]} | undefined {
  const colon = id.indexOf(':');
  const prefix = id.slice(0, colon) as IdPrefix;
  if (colon < 0 || !Object.hasOwn(COMPONENTS, prefix)) return undefined;
  const rest = id.slice(colon + 1);
  const slash = !UNSPLIT.has(prefix);
  const texts = slash ? rest.split('/') : [rest];
  if (texts.length !== COMPONENTS[prefix]) return undefined;
  const components: string[] = [];
  for (const text of texts) {
    const component = decodeComponent(text, slash);
    if (!component) return undefined;
    components.push(component);
  }
  return {prefix, components};
}

/** The namespace of a namespaced object's id (`pod:shop/web-0` → `shop`); undefined for other ids. */
export function namespaceOfId(id: string): string | undefined {
  const parsed = parseId(id);
  return parsed && parsed.components.length > 1 ? parsed.components[0] : undefined;
}

export const namespaceId = (name: string): string => `ns:${part(name)}`;
export const nodeId = (name: string): string => `node:${part(name)}`;
export const workloadId = (namespace: string, kind: string, name: string): string =>
  `workload:${part(namespace)}/${part(kind)}/${part(name)}`;
export const podId = (namespace: string, name: string): string => `pod:${part(namespace)}/${part(name)}`;
export const serviceId = (namespace: string, name: string): string => `svc:${part(namespace)}/${part(name)}`;
export const serviceAccountId = (namespace: string, name: string): string => `sa:${part(namespace)}/${part(name)}`;
export const userId = (name: string): string => `user:${unsplit(name)}`;
export const groupId = (name: string): string => `group:${unsplit(name)}`;
export const roleId = (namespace: string, name: string): string => `role:${part(namespace)}/${part(name)}`;
export const clusterRoleId = (name: string): string => `clusterrole:${part(name)}`;
export const secretId = (namespace: string, name: string): string => `secret:${part(namespace)}/${part(name)}`;
export const networkPolicyId = (namespace: string, name: string): string => `netpol:${part(namespace)}/${part(name)}`;

/** The node kinds of the graph vocabulary (docs/interface.md), as the graph's `kind` attribute and Neo4j label. */
export const NODE_KINDS = [
  'Internet',
  'ClusterAdmin',
  'Node',
  'Namespace',
  'Workload',
  'Pod',
  'Service',
  'ServiceAccount',
  'User',
  'Group',
  'Role',
  'ClusterRole',
  'Secret',
  'NetworkPolicy',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
