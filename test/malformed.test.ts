/**
 * Bad input gets one clear line naming the file (and the line, for YAML) and what is
 * wrong; exit code 2; no stack trace; nothing written.
 */
import {existsSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli, tempDir} from './helpers/cli.js';

interface Case {
  name: string;
  file: string;
  text: string;
  /** What the single error line must say, after `kubepath: error: <path>`. */
  expected: RegExp;
}

const cases: Case[] = [
  {
    name: 'broken YAML',
    file: 'broken.yaml',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n\tlabels: {app: web}\nspec: {containers: []}\n',
    expected: /broken\.yaml:5: invalid YAML: a tab used as indentation \(TAB_AS_INDENT\)$/,
  },
  {
    name: 'a pod whose containers is a string',
    file: 'pod.yaml',
    text: [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: shop}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web',
      '  namespace: shop',
      'spec:',
      '  containers: "nginx"',
      '',
    ].join('\n'),
    expected: /pod\.yaml:11: Pod shop\/web: spec\.containers: expected array, received string$/,
  },
  {
    name: 'a JSON file that is not Kubernetes',
    file: 'package.json',
    text: JSON.stringify({name: 'left-pad', version: '1.0.0'}, null, 2),
    expected: /package\.json:1: not a Kubernetes object: it has no kind$/,
  },
  {
    name: 'broken JSON',
    file: 'list.json',
    text: '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n    {"kind": "Pod",, }\n  ]\n}\n',
    expected: /list\.json:5: invalid JSON: /,
  },
  {
    name: 'a pod with a wrong type deep inside a kubectl List in JSON',
    file: 'pods.json',
    text: JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'PodList',
        items: [{metadata: {name: 'a', namespace: 'x'}, spec: {containers: [{name: 'c', ports: [{containerPort: 'eighty'}]}]}}],
      },
      null,
      2,
    ),
    expected: /pods\.json:16: Pod x\/a: spec\.containers\[0\]\.ports\[0\]\.containerPort: expected number, received string$/,
  },
  {
    name: 'a label value that is a number',
    file: 'svc.yaml',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  labels:\n    version: 2\nspec: {}\n',
    expected: /svc\.yaml:6: Service default\/api: metadata\.labels\.version: expected string, received number$/,
  },
  {
    name: 'an object without apiVersion',
    file: 'noversion.yaml',
    text: 'kind: Pod\nmetadata: {name: x}\n',
    expected: /noversion\.yaml:1: not a Kubernetes object: Pod has no apiVersion$/,
  },
  {
    name: 'a saved snapshot of a future version',
    file: 'snapshot.json',
    text: JSON.stringify({apiVersion: 'kubepath.dev/v1alpha1', kind: 'KubepathSnapshot', version: 99}),
    expected: /snapshot\.json:1: kubepath snapshot: version: /,
  },
];

function expectOneCleanLine(stderr: string, expected: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^kubepath: error: /);
  expect(lines[0]).toMatch(expected);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('malformed input', () => {
  it.each(cases)('$name: exit 2, one line naming file and line, nothing written', ({file, text, expected}) => {
    const dir = tempDir();
    const input = join(dir, file);
    writeFileSync(input, text);
    const out = tempDir();
    for (const args of [
      ['analyze', input, '--output-file', join(out, 'summary.txt')],
      ['graph', input, '-o', 'json', '--output-file', join(out, 'graph.json')],
      ['collect', input, '--out', join(out, 'snapshot.json')],
    ]) {
      const result = runCli(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expectOneCleanLine(result.stderr, expected);
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it('names a missing input', () => {
    const result = runCli(['analyze', '/nonexistent/cluster.yaml']);
    expect(result.status).toBe(2);
    expectOneCleanLine(result.stderr, /\/nonexistent\/cluster\.yaml: no such file or folder$/);
  });

  it('reports the line on stdin too', () => {
    const result = runCli(['analyze', '-'], {input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: 3\n'});
    expect(result.status).toBe(2);
    expectOneCleanLine(result.stderr, /^kubepath: error: <stdin>:6: Pod default\/x: spec\.containers: expected array, received number$/);
  });

  it('treats an unknown flag and a missing INPUT as usage errors (exit 2)', () => {
    const flag = runCli(['analyze', 'examples', '--no-such-flag']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^kubepath: error: Nonexistent flag: --no-such-flag/);
    const none = runCli(['graph', '-o', 'json']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^kubepath: error: no cluster to read: no INPUT given, no --kubeconfig, KUBECONFIG is unset/);
  });

  it('does not replace an existing output file when the input is bad', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'kind: [\n');
    const target = join(dir, 'graph.json');
    writeFileSync(target, 'previous');
    const result = runCli(['graph', join(dir, 'bad.yaml'), '--output-file', target]);
    expect(result.status).toBe(2);
    expect(existsSync(target)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'graph.json']);
  });
});
