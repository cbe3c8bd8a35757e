/**
 * kubepath SARIF output
 * =====================
 *
 * `-o sarif` (SARIF 2.1.0, for code scanning): one result per finding (`analyze`) or
 * per path (`paths`). A rule per finding kind: the crown-jewel category and the root
 * cause's edge rule, with the rule's doc page. Each result's location is the object of
 * its root cause's evidence, with file and line when the input is manifests; its code
 * flow walks the path, a location per step. Levels: critical and high are errors,
 * medium a warning, low a note.
 */
import type {Location} from '../snapshot/snapshot.js';
import {LONE_SURROGATE} from '../util/unprintable.js';
import type {Finding, Severity} from '../paths/findings.js';
import type {AttackPath, PathStep} from '../paths/search.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/kubepath/kubepath';
const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {critical: 'error', high: 'error', medium: 'warning', low: 'note'};
/** GitHub code scanning reads a 0-10 score from this property to rank results. */
const SECURITY_SEVERITY: Record<Severity, string> = {critical: '9.5', high: '8.0', medium: '5.5', low: '3.0'};

export interface SarifContext {
  version: string;
  /** Where each snapshot object came from (file and line), by object key. */
  locations: Readonly<Record<string, Location>>;
}

interface Rule {
  id: string;
  name: string;
  shortDescription: {text: string};
  helpUri: string;
  properties: {tags: string[]};
}

/**
 * A plain-text SARIF message. Cluster strings in it (names, evidence notes) must not
 * form an embedded link, `[text](target)` (SARIF 2.1.0 §3.11.6), which viewers render as
 * a link; kubepath's own words hold none, so every bracket is escaped, and every
 * backslash, so that a cluster string cannot undo an escape. Braces are doubled, as
 * §3.11.5 requires of every message string.
 */
function messageText(text: string): {text: string} {
  return {text: text.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/[{}]/g, (c) => c + c)};
}

/**
 * A file path as the URI reference `artifactLocation.uri` must be (SARIF 2.1.0 §3.4.3,
 * RFC 3986): each segment percent-encoded (a space, `%`, `#`, `?` or `:` would otherwise
 * change what it names; a lone surrogate, which no URI can hold, as U+FFFD); an absolute
 * path, or a Windows drive path, as a `file:` URI (`//x/y` alone would name the host x).
 * A saved snapshot's locations come from its file, so they are input like any other.
 */
function fileUri(file: string): string {
  const path = file.split('\\').join('/').replace(LONE_SURROGATES, '\ufffd');
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(path)) return `file:///${path.slice(0, 2)}${encoded.slice(encoded.indexOf('/'))}`;
  return path.startsWith('/') ? `file://${encoded}` : encoded;
}
const LONE_SURROGATES = new RegExp(LONE_SURROGATE, 'g');

/** The physical location of the object a step's first evidence item names, or a logical one when its file is unknown. */
function locationOf(step: PathStep, context: SarifContext, message: string): Record<string, unknown> {
  const object = step.attributes.evidence[0]?.object ?? step.from;
  const where = context.locations[object];
  const logical = [{name: object, kind: 'object', fullyQualifiedName: `${step.from} -> ${step.to}`}];
  if (!where) return {logicalLocations: logical, message: messageText(message)};
  const physical: Record<string, unknown> = {artifactLocation: {uri: fileUri(where.file)}};
  if (where.line !== undefined) physical.region = {startLine: where.line};
  return {physicalLocation: physical, logicalLocations: logical, message: messageText(message)};
}

const describeStep = (step: PathStep): string => {
  const note = step.attributes.evidence[0]?.note;
  return `${step.from} ${step.attributes.type} ${step.to} (${step.attributes.technique}, ${step.attributes.certainty}, cost ${step.attributes.cost})${note ? `: ${note}` : ''}`;
};

function codeFlow(path: AttackPath, context: SarifContext): Record<string, unknown> {
  return {
    threadFlows: [{locations: path.steps.map((step) => ({location: locationOf(step, context, describeStep(step))}))}],
  };
}

function ruleFor(id: string, name: string, text: string, technique: string, tags: string[]): Rule {
  return {
    id,
    name,
    shortDescription: {text},
    helpUri: `${INFORMATION_URI}/blob/main/docs/edges/${technique}.md`,
    properties: {tags: ['security', 'kubernetes', ...tags]},
  };
}

function log(context: SarifContext, rules: Rule[], results: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{tool: {driver: {name: 'kubepath', version: context.version, informationUri: INFORMATION_URI, rules}}, results}],
  };
}

const chain = (path: AttackPath): string => [path.source, ...path.steps.map((step) => step.to)].join(' -> ');

/** `analyze -o sarif`: a result per finding, ranked as the findings are. */
export function findingsSarif(findings: readonly Finding[], context: SarifContext): Record<string, unknown> {
  const rules = new Map<string, Rule>();
  const results = findings.map((finding) => {
    const technique = finding.rootCause.attributes.technique;
    const ruleId = `${finding.category}/${technique}`;
    if (!rules.has(ruleId)) {
      rules.set(
        ruleId,
        ruleFor(
          ruleId,
          `${finding.category} via ${technique}`,
          `An entry point reaches ${finding.category} through ${technique}`,
          technique,
          [finding.category, technique],
        ),
      );
    }
    const fixes = finding.fixes.map((fix) => `fix (cuts ${fix.paths} of ${finding.paths}): ${fix.action}`);
    return {
      ruleId,
      level: LEVELS[finding.severity],
      message: messageText([`${finding.title}. Path (cost ${finding.path.cost}): ${chain(finding.path)}.`, ...fixes].join('\n')),
      locations: [locationOf(finding.rootCause, context, describeStep(finding.rootCause))],
      codeFlows: [codeFlow(finding.path, context)],
      partialFingerprints: {kubepathFinding: finding.id},
      properties: {
        'security-severity': SECURITY_SEVERITY[finding.severity],
        severity: finding.severity,
        category: finding.category,
        cost: finding.path.cost,
        entryPoints: finding.entryPoints,
      },
    };
  });
  return log(
    context,
    [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    results,
  );
}

/** `paths -o sarif`: a result per path, cheapest first, located at its first step. */
export function pathsSarif(paths: readonly AttackPath[], context: SarifContext): Record<string, unknown> {
  const rule = ruleFor('attack-path', 'attack path', 'An attack path between the selected nodes', 'README', ['attack-path']);
  rule.helpUri = `${INFORMATION_URI}/blob/main/docs/paths.md`;
  const results = paths.map((path, index) => ({
    ruleId: rule.id,
    level: 'warning',
    message: messageText(`Path ${index + 1} of ${paths.length} (cost ${path.cost}): ${chain(path)}`),
    locations: [locationOf(path.steps[0]!, context, describeStep(path.steps[0]!))],
    codeFlows: [codeFlow(path, context)],
    partialFingerprints: {kubepathPath: path.steps.map((step) => `${step.from} ${step.attributes.technique} ${step.to}`).join(' | ')},
    properties: {cost: path.cost},
  }));
  return log(context, [rule], results);
}
