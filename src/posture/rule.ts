/**
 * kubepath posture rules
 * ======================
 *
 * A posture rule reads one pod spec (a workload's template, or a bare pod) and says
 * where it breaks a Pod Security Standards level, or a hardening practice beyond
 * them: each violation is the exact field (or the field that is missing), its value,
 * and the change that fixes it. One file per rule, listed in index.ts; fixtures in
 * test/fixtures/posture/<rule id>/ (positive.*, negative.*).
 */
import type {PodInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import type {RuleContext} from '../engines/context.js';

/** The Pod Security Standards level a rule belongs to; `hardening` is beyond them (the checklist's). */
export const POSTURE_LEVELS = ['baseline', 'restricted', 'hardening'] as const;
export type PostureLevel = (typeof POSTURE_LEVELS)[number];

export interface Violation {
  /** The field that breaks the rule, or the one that should be set; `note` says what is wrong. */
  evidence: Evidence;
  /** The change that fixes it, in the words of the manifest. */
  fix: string;
}

export interface PostureRule {
  /** Kebab-case, the fixtures' folder and the docs' anchor. */
  id: string;
  title: string;
  level: PostureLevel;
  /** Why it matters to an attacker, in a sentence. */
  why: string;
  check(pod: PodInfo, context: PostureContext): Violation[];
}

/** What posture rules read: the model and engines, and the user's settings. */
export interface PostureContext extends RuleContext {
  /** Registries (and repository prefixes) images may come from (`--trusted-registries`); none given, none is checked. */
  trustedRegistries: readonly string[];
}
