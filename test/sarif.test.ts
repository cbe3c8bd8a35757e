/**
 * `-o sarif` (src/output/sarif.ts) validates against the SARIF 2.1.0 schema (fetched by
 * test/helpers/sarif-schema.ts), holds a result per finding or path with the file and
 * line of manifest inputs, and a code flow per path.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Ajv} from 'ajv';
import addFormats from 'ajv-formats';
import {beforeAll, describe, expect, it} from 'vitest';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';
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
    const kinds = new Set(
      report.findings.map((f: {category: string; rootCause: {technique: string}}) => `${f.category}/${f.rootCause.technique}`),
    );
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

  it('keeps cluster strings from forming embedded links or placeholders, and percent-encodes file URIs', () => {
    // A binding name the API server accepts (a path segment: no / or %) that reads as a link and a placeholder.
    const binding = '[click](javascript:alert(1)){0}\\';
    const folder = join(tempDir(), 'dir with #hash');
    mkdirSync(folder);
    const file = join(folder, 'cluster.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {nodeName: n1, serviceAccountName: web, containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}',
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ${JSON.stringify(binding)}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: web, namespace: shop}]`,
      ].join('\n---\n'),
    );
    const result = runCli(['analyze', folder, '-o', 'sarif']);
    expect(result.status, result.stderr).toBe(0);
    const sarif = JSON.parse(result.stdout);
    expect(validate(sarif)).toEqual([]);
    const texts: string[] = [];
    const uris: string[] = [];
    JSON.stringify(sarif, (key, value) => {
      if (key === 'message') texts.push(value.text);
      if (key === 'artifactLocation') uris.push(value.uri);
      return value;
    });
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) {
      expect(uri).not.toMatch(/[ #]/);
      expect(fileURLToPath(uri)).toBe(file);
    }
    // Escapes removed (an escaped backslash, bracket or brace), nothing is left that a viewer reads as a link or a placeholder.
    for (const text of texts) expect(text.replace(/\\[\\[\]]|\{\{|\}\}/g, '')).not.toMatch(/[[\]{}]/);
    const shown = texts.map((text) => text.replace(/\\([\\[\]])/g, '$1').replace(/([{}])\1/g, '$1'));
    expect(shown.some((text) => text.includes(`delete ClusterRoleBinding/${binding}`))).toBe(true);
  });

  it('writes the file locations a saved snapshot names as URIs too: a lone surrogate, a path that opens with //', () => {
    const folder = tempDir();
    const snapshot = join(folder, 'snapshot.json');
    expect(runCli(['collect', EXAMPLE, '--out', snapshot]).status).toBe(0);
    const saved = JSON.parse(readFileSync(snapshot, 'utf8')) as {locations: Record<string, {file: string}>};
    for (const location of Object.values(saved.locations)) location.file = '//evil.example/x\ud800.yaml';
    writeFileSync(snapshot, JSON.stringify(saved));
    const result = runCli(['analyze', snapshot, '-o', 'sarif']);
    expect(result.status, result.stderr).toBe(0);
    const sarif = JSON.parse(result.stdout);
    expect(validate(sarif)).toEqual([]);
    const uris = new Set<string>();
    JSON.stringify(sarif, (key, value) => (key === 'artifactLocation' ? uris.add(value.uri) : value));
    expect([...uris]).toEqual(['file:////evil.example/x%EF%BF%BD.yaml']);
    // No host: the whole of it is the path.
    expect(new URL([...uris][0]!).host).toBe('');
  });

  it('the validator rejects what breaks the schema', () => {
    expect(validate({version: '2.1.0', runs: [{tool: {driver: {}}}]}).length).toBeGreaterThan(0);
  });
});
