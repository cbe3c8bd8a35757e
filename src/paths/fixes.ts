/**
 * kubepath fixes and choke points
 * ===============================
 *
 * For a set of attack paths, the changes that cut the most of them. Each step's rule
 * names the single changes that remove its edge (`EdgeRule.fixes`, docs/findings.md);
 * a fix cuts a path when it removes one of its steps.
 */
import {RULES} from '../edges/index.js';
import type {EdgeRule, Fix} from '../edges/rule.js';
import {compareStrings} from '../util/order.js';
import type {AttackPath, PathStep} from './search.js';

export interface RankedFix extends Fix {
  /** How many of the given paths it cuts. */
  paths: number;
}

const RULE_OF = new Map<string, EdgeRule>(RULES.map((rule) => [rule.id, rule]));

/** The single changes that remove the step's edge, as its rule names them. */
export function fixesFor(step: PathStep): Fix[] {
  const rule = RULE_OF.get(step.attributes.technique);
  if (!rule) throw new Error(`no rule draws ${step.attributes.technique} edges`);
  return rule.fixes(step);
}

/** The fixes that cut the most of the paths, most first (ties by id), with how many each cuts. */
export function rankFixes(paths: readonly AttackPath[], limit = 5): RankedFix[] {
  const found = new Map<string, {fix: Fix; paths: Set<number>}>();
  paths.forEach((path, index) => {
    for (const step of path.steps) {
      for (const fix of fixesFor(step)) {
        const known = found.get(fix.id);
        if (known) known.paths.add(index);
        else found.set(fix.id, {fix, paths: new Set([index])});
      }
    }
  });
  return [...found.values()]
    .map(({fix, paths: cut}) => ({...fix, paths: cut.size}))
    .sort((a, b) => b.paths - a.paths || compareStrings(a.id, b.id))
    .slice(0, limit);
}
