/**
 * `-o sarif` (src/output/sarif.ts) validates against the SARIF 2.1.0 schema (fetched by
 * test/helpers/sarif-schema.ts), holds a result per finding or path with the file and
 * line of manifest inputs, and a code flow per path.
 */
import {Ajv} from 'ajv';
import addFormats from 'ajv-formats';
import {beforeAll, describe, expect, it} from 'vitest';
import {EXAMPLE, runCli} from './helpers/cli.js';
import {sarifSchema} from './helpers/sarif-schema.js';

let validate: (data: unknown) => string[];
beforeAll(async () => {
  // The schema's language pattern is not valid with the u flag (a lone ']'): compile patterns without it.
  const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false});
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  const check = ajv.compile(await sarifSchema());
  validate = (data) => (check(data) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
});

describe('kubepath analyze -o sarif', () => {
  it('validates against the SARIF 2.1.0 schema, a result per finding, a rule per finding kind', () => {
    const result = runCli(['analyze', EXAMPLE, '-o', 'sarif']);
    expect(result.status, result.stderr).toBe(0);
    const sarif = JSON.parse(result.stdout);
    expect(validate(sarif)).toEqual([]);
    const report = JSON.parse(runCli(['analyze', EXAMPLE, '-o', 'json']).stdout);
    const [run] = sarif.runs;
    expect(run.results).toHaveLength(report.findings.length);
    const kinds = new Set(report.findings.map((f: {category: string; rootCause: {technique: string}}) => `${f.category}/${f.rootCause.technique}`));
    expect(run.tool.driver.rules.map((r: {id: string}) => r.id).sort()).toEqual([...kinds].sort());
    for (const [i, finding] of report.findings.entries()) {
      const sarifResult = run.results[i];
      expect(sarifResult.partialFingerprints.kubepathFinding).toBe(finding.id);
      expect(sarifResult.level).toBe({critical: 'error', high: 'error', medium: 'warning', low: 'note'}[finding.severity as string]);
      // Manifest input: the root cause's object, by file and line.
      const {physicalLocation} = sarifResult.locations[0];
      expect(physicalLocation.artifactLocation.uri).toMatch(/examples\/multi-tenant\/[a-z-]+\.yaml$/);
      expect(physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(sarifResult.codeFlows[0].threadFlows[0].locations).toHaveLength(finding.path.steps.length);
    }
  });

  it('paths -o sarif validates too, a result per path', () => {
    const result = runCli(['paths', EXAMPLE, '--from', 'internet', '--to', 'cluster-admin', '--max-paths', '3', '-o', 'sarif']);
    expect(result.status, result.stderr).toBe(0);
    const sarif = JSON.parse(result.stdout);
    expect(validate(sarif)).toEqual([]);
    expect(sarif.runs[0].results).toHaveLength(3);
  });

  it('the validator rejects what breaks the schema', () => {
    expect(validate({version: '2.1.0', runs: [{tool: {driver: {}}}]}).length).toBeGreaterThan(0);
  });
});
