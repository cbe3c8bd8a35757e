/**
 * kubepath node selectors
 * =======================
 *
 * The `SEL` of the command line (docs/interface.md): a node id (`pod:shop/web-0`, `internet`),
 * a wildcard over ids of one kind (`pod:shop/*`, `secret:*`, `node:*`; `*` matches
 * any run of characters), or `ns:<name>` for the namespace and everything in it.
 * Names are written as in ids (src/graph/ids.ts): `user:alice%0Abob` for a user name
 * holding a newline, the hex digits in either case.
 */
import {UsageError} from '../snapshot/errors.js';
import {compareStrings} from '../util/order.js';
import {CLUSTER_ADMIN, ID_PREFIXES, INTERNET, namespaceId} from './ids.js';

export interface NodeSelector {
  text: string;
  /** Whether the node with this id (in this namespace, if namespaced) is selected. */
  matches(id: string, namespace?: string): boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export function parseSelector(text: string): NodeSelector {
  if (text === INTERNET || text === CLUSTER_ADMIN) return {text, matches: (id) => id === text};
  const colon = text.indexOf(':');
  const prefix = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (colon < 0 || !(ID_PREFIXES as readonly string[]).includes(prefix) || rest === '') {
    throw new UsageError(
      `unknown selector ${JSON.stringify(text)}: use a node id such as pod:shop/web-0 or internet, a wildcard such as pod:shop/*, or ns:<name> (kinds: ${ID_PREFIXES.join(', ')})`,
    );
  }
  const canonical = text.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
  const pattern = new RegExp(`^${escapeRegExp(canonical).replace(/\*/g, '.*')}$`);
  // `ns:shop` and `ns:team-*` pick the namespaces and everything in them.
  if (prefix === 'ns')
    return {text, matches: (id, namespace) => pattern.test(id) || (namespace !== undefined && pattern.test(namespaceId(namespace)))};
  return {text, matches: (id) => pattern.test(id)};
}

/** Checks the selectors' syntax, naming the flag, before anything is read: a typo must not cost a live cluster's collection first. */
export function checkSelectors(texts: readonly string[] | undefined, flag: string): void {
  for (const text of texts ?? []) {
    try {
      parseSelector(text);
    } catch (error) {
      throw error instanceof UsageError ? new UsageError(`${flag}: ${error.message}`) : error;
    }
  }
}

/** The graph nodes the selectors pick, in id order; a selector that picks nothing is a usage error naming the flag. */
export function selectNodes(
  graph: {forEachNode(callback: (id: string, attributes: {namespace?: string}) => void): void},
  texts: readonly string[],
  flag: string,
): string[] {
  const picked = new Set<string>();
  for (const text of texts) {
    const selector = parseSelector(text);
    let matched = false;
    graph.forEachNode((id, attributes) => {
      if (selector.matches(id, attributes.namespace)) {
        picked.add(id);
        matched = true;
      }
    });
    if (!matched) throw new UsageError(`${flag} ${JSON.stringify(text)} matches no node of the graph`);
  }
  return [...picked].sort(compareStrings);
}
