/**
 * `-o markdown` (src/output/markdown.ts) for pull-request comments: data from the
 * cluster stays inert text (code spans, escaped table pipes), and the sections hold the
 * findings and paths the JSON holds.
 */
import {join} from 'node:path';
import {writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {codeSpan} from '../src/output/markdown.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';

describe('code spans', () => {
  it('fence longer than any backtick run, padded where the text touches a backtick, control characters escaped', () => {
    expect(codeSpan('pod:shop/web')).toBe('`pod:shop/web`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(codeSpan('<img src=x onerror=alert(1)>')).toBe('`<img src=x onerror=alert(1)>`');
    expect(codeSpan('line\nbreak\u001b[31m')).not.toMatch(/[\n\u001b]/);
  });
});

describe('kubepath analyze -o markdown', () => {
  it('counts, a table row per finding, then each finding with its path and evidence', () => {
    const result = runCli(['analyze', EXAMPLE, '-o', 'markdown']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(runCli(['analyze', EXAMPLE, '-o', 'json']).stdout);
    const {critical, high, medium, low} = report.counts;
    expect(result.stdout.split('\n')[0]).toBe(`## kubepath: ${critical} critical, ${high} high, ${medium} medium, ${low} low`);
    const rows = result.stdout.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(report.findings.length);
    expect(result.stdout.match(/^### \d+\. /gm)).toHaveLength(report.findings.length);
    expect(result.stdout).toContain('**CAN_REACH** (INTERNET_EXPOSURE, conditional, cost 3)');
  });

  it('writes hostile names as code, and escapes pipes inside table cells', () => {
    const dir = tempDir();
    const file = join(dir, 'hostile.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: vault, labels: {kubepath.io/crown-jewel: "true"}}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: "a|b`<b>", namespace: vault, labels: {app: v}}\nspec: {automountServiceAccountToken: false, containers: [{name: "x", image: "evil</script>|<img src=x onerror=alert(1)>", ports: [{containerPort: 80}]}]}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: v, namespace: vault}\nspec: {type: LoadBalancer, selector: {app: v}, ports: [{port: 80}]}',
      ].join('\n---\n'),
    );
    const result = runCli(['analyze', file, '-o', 'markdown']);
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(1);
    // Six cells: no unescaped pipe inside any of them.
    expect(rows[0]!.split(/(?<!\\)\|/).length - 2).toBe(6);
  });
});

describe('kubepath analyze --fail-on', () => {
  it('exits 3 when a finding is at or above the severity, 0 otherwise, with the report written either way', () => {
    const failing = runCli(['analyze', EXAMPLE, '--fail-on', 'critical', '-o', 'json']);
    expect(failing.status).toBe(3);
    expect(JSON.parse(failing.stdout).counts.critical).toBeGreaterThan(0);
    const dir = tempDir();
    const file = join(dir, 'quiet.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: lone, namespace: a}\nspec: {automountServiceAccountToken: false, containers: [{name: c, image: c}]}\n',
    );
    expect(runCli(['analyze', file, '--fail-on', 'low']).status).toBe(0);
  });
});

describe('kubepath paths -o markdown', () => {
  it('one section per path, the chain, each step with its evidence', () => {
    const result = runCli(['paths', EXAMPLE, '--from', 'internet', '--to', 'cluster-admin', '--max-paths', '2', '-o', 'markdown']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.match(/^### Path \d of 2, cost \d+$/gm)).toHaveLength(2);
    expect(result.stdout).toContain('`internet` → ');
  });
});
