/**
 * kubepath who-can output
 * =======================
 *
 * `kubepath who-can` as a table (one row per grant: identity, binding, role, rule
 * index, scope, and the subject that matched) or as JSON. Both only read what the
 * RBAC engine returned, in its order (identities by id, grants by binding,
 * subject and rule).
 */
import type {Grant, WhoCanEntry} from '../engines/rbac/engine.js';
import {describeRequest, type RbacRequest} from '../engines/rbac/request.js';
import {safe} from './escape.js';

export interface WhoCanJson {
  request: RbacRequest;
  /** The Kubernetes version of the bootstrap policy added where the input lacks it; null when none was. */
  bootstrap: string | null;
  allowed: Array<{identity: string; kind: string; source: string; grants: Grant[]}>;
}

export function whoCanJson(request: RbacRequest, entries: readonly WhoCanEntry[], bootstrapVersion: string | undefined): WhoCanJson {
  return {
    request,
    bootstrap: bootstrapVersion ?? null,
    allowed: entries.map(({identity, grants}) => ({identity: identity.id, kind: identity.kind, source: identity.source, grants})),
  };
}

const BOOTSTRAP_MARK = ' [bootstrap]';

function row(identity: string, grant: Grant): string[] {
  if (grant.kind === 'system:masters') return [identity, '-', '(system:masters bypasses RBAC)', '-', grant.scope, grant.via];
  const aggregated = grant.origin.role !== grant.role ? ` (from ${grant.origin.role} rules[${grant.origin.rule}])` : '';
  return [
    identity,
    grant.binding + (grant.bindingBootstrap ? BOOTSTRAP_MARK : ''),
    grant.role + (grant.bootstrap ? BOOTSTRAP_MARK : ''),
    `${grant.ruleIndex}${aggregated}`,
    grant.scope,
    grant.via,
  ];
}

export function formatWhoCanTable(request: RbacRequest, entries: readonly WhoCanEntry[]): string {
  if (entries.length === 0) return `No identity can ${safe(describeRequest(request))}.\n`;
  const rows = [
    ['IDENTITY', 'BINDING', 'ROLE', 'RULE', 'SCOPE', 'VIA'],
    ...entries.flatMap(({identity, grants}) => grants.map((g) => row(identity.id, g).map(safe))),
  ];
  const widths = rows[0]!.map((_h, column) => rows.reduce((widest, cells) => Math.max(widest, cells[column]!.length), 0));
  return (
    rows
      .map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '))
      .join('\n') + '\n'
  );
}
