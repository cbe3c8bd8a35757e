/**
 * kubepath posture output
 * =======================
 *
 * `analyze`'s pod security posture: as JSON (every finding with its evidence and
 * fixes), and as text and Markdown grouped by owning team, then by the Pod Security
 * Standards level broken, each rule with the workloads that break it.
 */
import type {PostureFinding} from '../posture/evaluate.js';
import {POSTURE_LEVELS, type PostureLevel} from '../posture/rule.js';
import {PLAIN, type Palette} from './colour.js';
import {safe} from './escape.js';
import {pushTo} from '../util/group.js';

export const NO_TEAM = '(no team)';

export interface PostureJson {
  teamKeys: string[];
  counts: Record<PostureLevel, number>;
  findings: PostureFinding[];
}

export function postureJson(findings: readonly PostureFinding[], teamKeys: readonly string[]): PostureJson {
  const counts = Object.fromEntries(POSTURE_LEVELS.map((level) => [level, findings.filter((f) => f.level === level).length])) as Record<
    PostureLevel,
    number
  >;
  return {teamKeys: [...teamKeys], counts, findings: [...findings]};
}

/** Team → level → rule → findings, in the findings' own order (they come sorted by team, level, rule). */
export function groupedPosture(findings: readonly PostureFinding[]): Map<string, Map<PostureLevel, Map<string, PostureFinding[]>>> {
  const teams = new Map<string, Map<PostureLevel, Map<string, PostureFinding[]>>>();
  for (const finding of findings) {
    const team = finding.owner?.team ?? NO_TEAM;
    const levels = teams.get(team) ?? new Map<PostureLevel, Map<string, PostureFinding[]>>();
    teams.set(team, levels);
    const rules = levels.get(finding.level) ?? new Map<string, PostureFinding[]>();
    levels.set(finding.level, rules);
    pushTo(rules, finding.rule, finding);
  }
  return teams;
}

export const LEVEL_NAMES: Record<PostureLevel, string> = {
  baseline: 'breaks baseline',
  restricted: 'breaks restricted',
  hardening: 'hardening',
};
const SUBJECTS_SHOWN = 8;

export function subjectList(findings: readonly PostureFinding[], name: (text: string) => string): string {
  const shown = findings.slice(0, SUBJECTS_SHOWN).map((f) => name(f.subject));
  return shown.join(', ') + (findings.length > SUBJECTS_SHOWN ? ` and ${findings.length - SUBJECTS_SHOWN} more` : '');
}

export function formatPostureText(json: PostureJson, palette: Palette = PLAIN): string {
  const {counts} = json;
  const lines = [
    '',
    `${palette.heading('Pod security posture:')} ${counts.baseline} breaking baseline, ${counts.restricted} breaking restricted, ${counts.hardening} hardening (by team: ${json.teamKeys.map(safe).join(', ')}; -o json for every field and fix)`,
  ];
  if (json.findings.length === 0) lines.push('  Every workload meets the restricted level and the hardening checks.');
  for (const [team, levels] of groupedPosture(json.findings)) {
    lines.push(`  ${palette.heading(`team ${safe(team)}`)}`);
    for (const [level, rules] of levels) {
      for (const [, findings] of rules) {
        lines.push(`    [${LEVEL_NAMES[level]}] ${findings[0]!.title} (${findings.length}): ${subjectList(findings, safe)}`);
        lines.push(`      fix: ${safe(findings[0]!.fixes[0] ?? '')}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
