/**
 * kubepath findings output
 * ========================
 *
 * `analyze`'s findings: as JSON (each with its cheapest path in `paths`' shape), and
 * as a table of findings by severity, each with its path and root cause.
 */
import type {FindingChange, FindingsDiff} from '../paths/diff.js';
import type {RankedFix} from '../paths/fixes.js';
import type {Finding, Severity} from '../paths/findings.js';
import {describeGap, type GapNote} from '../paths/coverage.js';
import type {Ownership} from '../posture/evaluate.js';
import {SEVERITIES} from '../paths/findings.js';
import {safe} from './escape.js';
import {PLAIN, type Palette} from './colour.js';
import {pathToJson, stepLines, stepToJson} from './paths.js';

export interface FindingsJson {
  counts: Record<Severity, number>;
  entryPoints: string[];
  /** The changes that cut the most paths of all findings, with how many each cuts. */
  chokePoints: RankedFix[];
  findings: Array<Record<string, unknown>>;
}

/** One finding as JSON: its summary, root cause, fixes and cheapest path. */
export function findingToJson(f: Finding): Record<string, unknown> {
  return {
    id: f.id,
    severity: f.severity,
    category: f.category,
    title: f.title,
    certainty: f.certainty,
    cost: f.path.cost,
    entryPoints: f.entryPoints,
    paths: f.paths,
    rootCause: stepToJson(f.rootCause),
    fixes: f.fixes,
    coverageGaps: f.coverageGaps,
    ...(f.owner ? {owner: f.owner} : {}),
    path: pathToJson(f.path),
  };
}

export function findingsToJson(findings: readonly Finding[], entryPoints: readonly string[], choke: readonly RankedFix[]): FindingsJson {
  const counts = Object.fromEntries(
    SEVERITIES.map((severity) => [severity, findings.filter((f) => f.severity === severity).length]),
  ) as Record<Severity, number>;
  return {
    counts,
    entryPoints: [...entryPoints],
    chokePoints: [...choke],
    findings: findings.map(findingToJson),
  };
}

export function formatFindingsText(json: FindingsJson, palette: Palette = PLAIN): string {
  const lines = [
    '',
    `${palette.heading('Findings:')} ${SEVERITIES.map((severity) => `${json.counts[severity]} ${severity}`).join(', ')} (entry points: ${json.entryPoints.map(safe).join(', ') || 'none'})`,
  ];
  if (json.findings.length === 0) lines.push('  No entry point reaches a crown jewel.');
  if (json.chokePoints.length > 0) {
    const total = json.findings.reduce((sum, finding) => sum + (finding.paths as number), 0);
    lines.push('', `Choke points (of the ${total} paths found):`);
    for (const fix of json.chokePoints) lines.push(`  cuts ${fix.paths}: ${safe(fix.action)}`);
  }
  json.findings.forEach((finding, index) => {
    const path = finding.path as {source: string; steps: Array<Record<string, unknown>>};
    lines.push(
      '',
      `${index + 1}. ${palette.severity(finding.severity as Severity, `[${String(finding.severity).toUpperCase()}]`)} ${safe(String(finding.title))}`,
    );
    const owner = finding.owner as Ownership | undefined;
    lines.push(
      `   cost ${finding.cost}, ${finding.certainty} after the entry, ${finding.paths} path${finding.paths === 1 ? '' : 's'} found through this root cause; entry points: ${(finding.entryPoints as string[]).map(safe).join(', ')}; owner: ${owner ? `team ${safe(owner.team)}` : 'no team'}`,
    );
    lines.push(`   ${[path.source, ...path.steps.map((s) => String(s.to))].map(safe).join(' -> ')}`);
    for (const fix of finding.fixes as RankedFix[]) lines.push(`   fix (cuts ${fix.paths} of ${finding.paths}): ${safe(fix.action)}`);
    for (const gap of finding.coverageGaps as GapNote[]) lines.push(`   ${palette.heading('may not hold:')} ${describeGap(gap, safe)}`);
    lines.push(...stepLines(path.steps, '   ', palette));
  });
  return `${lines.join('\n')}\n`;
}

/** `diff -o json`: findings added and removed (each with the changed objects behind it), severity moves, path counts. */
export function diffToJson(diff: FindingsDiff): Record<string, unknown> {
  const entry = ({finding, changedObjects}: FindingChange) => ({...findingToJson(finding), changedObjects});
  return {paths: diff.paths, added: diff.added.map(entry), removed: diff.removed.map(entry), severityChanged: diff.severityChanged};
}

export function formatDiffText(diff: FindingsDiff, palette: Palette = PLAIN): string {
  const lines = [
    `kubepath diff: ${diff.added.length} finding${diff.added.length === 1 ? '' : 's'} added, ${diff.removed.length} removed; ${diff.paths.added} paths added, ${diff.paths.removed} removed`,
  ];
  const section = (title: string, changes: readonly FindingChange[]): void => {
    if (changes.length === 0) return;
    lines.push('', `${title}:`);
    for (const {finding, changedObjects} of changes) {
      lines.push(`  ${palette.severity(finding.severity, `[${finding.severity.toUpperCase()}]`)} ${safe(finding.title)}`);
      lines.push(`     ${[finding.path.source, ...finding.path.steps.map((s) => s.to)].map(safe).join(' -> ')}`);
      lines.push(
        `     changed: ${changedObjects.map((c) => `${safe(c.object)} (${c.change})`).join(', ') || 'no changed object found on or near its paths'}`,
      );
    }
  };
  section('Added', diff.added);
  section('Removed', diff.removed);
  if (diff.severityChanged.length > 0) {
    lines.push('', 'Severity changed:');
    for (const change of diff.severityChanged) lines.push(`  ${safe(change.id)}: ${change.before} -> ${change.after}`);
  }
  return `${lines.join('\n')}\n`;
}
