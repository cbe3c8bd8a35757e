/**
 * kubepath markdown output
 * ========================
 *
 * `-o markdown` for `analyze` and `paths`: for pull-request comments and tickets.
 * Names from the cluster may hold markdown, HTML or pipes: every one is written as a
 * code span (never interpreted), with table pipes escaped.
 */
import {safe} from './escape.js';
import type {FindingsJson} from './findings.js';
import {describeGap, type GapNote} from '../paths/coverage.js';
import type {PathsJson} from './paths.js';
import {groupedPosture, LEVEL_NAMES, subjectList, type PostureJson} from './posture.js';

/** Text as an inline code span: a fence longer than any backtick run in it, control characters escaped. */
export function codeSpan(text: string): string {
  const clean = safe(text).replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A table cell: GitHub splits cells on `|` even inside code spans, unless escaped. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

type Step = Record<string, unknown> & {evidence: Array<{object: string; field?: string; value?: unknown; note?: string}>};

function stepsMarkdown(steps: readonly Step[]): string[] {
  const lines: string[] = [];
  steps.forEach((step, i) => {
    lines.push(
      `${i + 1}. ${codeSpan(String(step.from))} → ${codeSpan(String(step.to))} **${step.type}** (${step.technique}, ${step.certainty}, cost ${step.cost})`,
    );
    for (const item of step.evidence) {
      const parts = [codeSpan(item.object), ...(item.field ? [codeSpan(item.field)] : [])];
      const value = item.value === undefined ? '' : ` = ${codeSpan(JSON.stringify(item.value))}`;
      lines.push(`   - ${parts.join(' ')}${value}${item.note ? `: ${codeSpan(item.note)}` : ''}`);
    }
  });
  return lines;
}

const chain = (path: {source: string; steps: ReadonlyArray<Record<string, unknown>>}): string =>
  [path.source, ...path.steps.map((step) => String(step.to))].map(codeSpan).join(' → ');

export function findingsMarkdown(json: FindingsJson): string {
  const {counts} = json;
  const lines = [`## kubepath: ${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.low} low`, ''];
  lines.push(`Entry points: ${json.entryPoints.map(codeSpan).join(', ') || 'none'}.`, '');
  if (json.findings.length === 0) return `${[...lines, 'No entry point reaches a crown jewel.'].join('\n')}\n`;
  lines.push('| # | severity | reaches | root cause | cost | entry points |', '|---:|---|---|---|---:|---|');
  json.findings.forEach((finding, index) => {
    const path = finding.path as {source: string; target: string; steps: Step[]};
    const cause = finding.rootCause as Step;
    const row = [
      String(index + 1),
      String(finding.severity),
      `${finding.category}: ${codeSpan(path.target)}`,
      `${codeSpan(String(cause.from))} ${cause.type} ${codeSpan(String(cause.to))}`,
      String(finding.cost),
      (finding.entryPoints as string[]).map(codeSpan).join(', '),
    ];
    lines.push(`| ${row.map(cell).join(' | ')} |`);
  });
  if (json.chokePoints.length > 0) {
    lines.push('', '**Choke points** (paths each change cuts, of all found):', '');
    for (const fix of json.chokePoints) lines.push(`- cuts ${fix.paths}: ${codeSpan(fix.action)}`);
  }
  json.findings.forEach((finding, index) => {
    const path = finding.path as {source: string; steps: Step[]};
    const owner = finding.owner as {team: string} | undefined;
    lines.push('', `### ${index + 1}. ${finding.severity}: ${finding.category}${owner ? ` (team ${codeSpan(owner.team)})` : ''}`, '');
    const gaps = finding.coverageGaps as GapNote[];
    for (const fix of finding.fixes as Array<{action: string; paths: number}>)
      lines.push(`- fix (cuts ${fix.paths} of ${finding.paths}): ${codeSpan(fix.action)}`);
    for (const gap of gaps) lines.push(`- may not hold: ${describeGap(gap, codeSpan)}`);
    if ((finding.fixes as unknown[]).length + gaps.length > 0) lines.push('');
    lines.push(
      `Path (cost ${finding.cost}, ${finding.certainty} after the entry, ${finding.paths} found through this root cause): ${chain(path)}`,
      '',
    );
    lines.push(...stepsMarkdown(path.steps));
  });
  return `${lines.join('\n')}\n`;
}

export function pathsMarkdown(json: PathsJson, from: readonly string[], to: readonly string[]): string {
  const lines = [`## kubepath paths from ${from.map(codeSpan).join(', ')} to ${to.map(codeSpan).join(', ')}`, ''];
  if (json.paths.length === 0) {
    lines.push('No attack path.');
    if (json.reached)
      lines.push(
        '',
        `The sources reach ${json.reached.nodes} nodes: ${
          Object.entries(json.reached.byKind)
            .map(([kind, count]) => `${count} ${kind}`)
            .join(', ') || 'none'
        }.`,
      );
    return `${lines.join('\n')}\n`;
  }
  json.paths.forEach((path, index) => {
    lines.push(
      `### Path ${index + 1} of ${json.paths.length}, cost ${path.cost}`,
      '',
      chain(path),
      '',
      ...stepsMarkdown(path.steps as Step[]),
      '',
    );
  });
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `analyze -o markdown`'s posture: per team, a table of the checks broken and the workloads breaking them. */
export function postureMarkdown(json: PostureJson): string {
  const {counts} = json;
  const lines = [
    '',
    `## Pod security posture`,
    '',
    `${counts.baseline} breaking baseline, ${counts.restricted} breaking restricted, ${counts.hardening} hardening.`,
  ];
  for (const [team, levels] of groupedPosture(json.findings)) {
    lines.push('', `### Team ${codeSpan(team)}`, '', '| level | check | workloads | fix (first) |', '|---|---|---|---|');
    for (const [level, rules] of levels) {
      for (const [, findings] of rules) {
        lines.push(
          `| ${LEVEL_NAMES[level]} | ${findings[0]!.title} (${findings.length}) | ${cell(subjectList(findings, codeSpan))} | ${cell(codeSpan(findings[0]!.fixes[0] ?? ''))} |`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
