/**
 * No secret value may appear in any output, ever: secrets with `data`, `stringData`
 * and last-applied annotations go through every loader and every output, and none
 * of their values comes out, in plain text or base64.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {describe, expect, it} from 'vitest';
import {runCli, tempDir} from './helpers/cli.js';

const VALUES = ['S3cr3t-VALUE-alpha', 'S3cr3t-VALUE-beta', 'S3cr3t-VALUE-gamma', 'S3cr3t-VALUE-delta'];
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const FORBIDDEN = [...VALUES, ...VALUES.map(b64), 'S3cr3t'];

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'db-credentials',
    namespace: 'shop',
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        data: {password: b64(VALUES[0]!)},
        stringData: {token: VALUES[1]},
      }),
      'team.example.com/owner': 'payments',
    },
  },
  type: 'Opaque',
  data: {password: b64(VALUES[0]!)},
  stringData: {token: VALUES[1]},
};

const tokenSecret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {name: 'deployer-token', namespace: 'ci', annotations: {'kubernetes.io/service-account.name': 'deployer'}},
  type: 'kubernetes.io/service-account-token',
  data: {token: b64(VALUES[3]!), 'ca.crt': b64(VALUES[3]!)},
};

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    annotations: {'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({note: VALUES[2]})},
    managedFields: [{manager: 'kubectl', fieldsV1: {note: VALUES[2]}}],
  },
  spec: {
    selector: {matchLabels: {app: 'web'}},
    template: {
      metadata: {labels: {app: 'web'}},
      spec: {containers: [{name: 'web', image: 'nginx:1.27', envFrom: [{secretRef: {name: 'db-credentials'}}]}]},
    },
  },
};

const objects = [secret, tokenSecret, deployment];

/** Every input form the loaders accept, holding the same objects. */
function inputForms(): Array<{name: string; args: string[]; stdin?: string}> {
  const dir = tempDir();
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const yamlStream = objects.map((o) => stringify(o)).join('---\n');
  const list = {apiVersion: 'v1', kind: 'List', items: objects};
  const secretList = {apiVersion: 'v1', kind: 'SecretList', items: [secret, tokenSecret].map(({kind: _k, apiVersion: _a, ...rest}) => rest)};
  const folder = join(dir, 'folder');
  mkdirSync(join(folder, 'nested'), {recursive: true});
  writeFileSync(join(folder, 'secret.yaml'), stringify(secret));
  writeFileSync(join(folder, 'nested', 'rest.json'), JSON.stringify({apiVersion: 'v1', kind: 'List', items: [tokenSecret, deployment]}));
  return [
    {name: 'multi-document YAML', args: [write('all.yaml', yamlStream)]},
    {name: 'kubectl List JSON', args: [write('list.json', JSON.stringify(list, null, 2))]},
    {name: 'typed SecretList YAML', args: [write('secrets.yaml', stringify(secretList)), write('deploy.json', JSON.stringify(deployment))]},
    {name: 'concatenated JSON objects', args: [write('stream.json', objects.map((o) => JSON.stringify(o, null, 2)).join('\n'))]},
    {name: 'a folder, recursively', args: [folder]},
    {name: 'YAML on stdin', args: ['-'], stdin: yamlStream},
    {name: 'JSON on stdin', args: ['-'], stdin: JSON.stringify(list)},
  ];
}

function expectClean(text: string, where: string): void {
  for (const value of FORBIDDEN) expect(text.includes(value), `${where} contains ${value}`).toBe(false);
}

describe('redaction at the door', () => {
  for (const form of inputForms()) {
    it(`keeps secret values out of every output: ${form.name}`, () => {
      const out = tempDir();
      const snapshotFile = join(out, 'snapshot.json');
      const collected = runCli(['collect', ...form.args, '--out', snapshotFile], form.stdin === undefined ? {} : {input: form.stdin});
      expect(collected.status, collected.stderr).toBe(0);
      const snapshotText = readFileSync(snapshotFile, 'utf8');
      expectClean(snapshotText, 'snapshot');
      // The secrets are there, as metadata and type.
      const snapshot = JSON.parse(snapshotText);
      expect(snapshot.objects.secrets.map((s: {metadata: {name: string}}) => s.metadata.name).sort()).toEqual(['db-credentials', 'deployer-token']);
      expect(snapshot.objects.secrets.find((s: {type: string}) => s.type === 'kubernetes.io/service-account-token').metadata.annotations).toEqual({
        'kubernetes.io/service-account.name': 'deployer',
      });
      expect(snapshot.objects.deployments[0].metadata.managedFields).toBeUndefined();
      expectClean(collected.stdout + collected.stderr, 'collect output');

      const stdin = form.stdin === undefined ? {} : {input: form.stdin};
      for (const args of [
        ['graph', ...form.args, '-o', 'json'],
        ['analyze', ...form.args],
        ['analyze', ...form.args, '-o', 'json', '--verbose'],
        ['graph', snapshotFile, '-o', 'json'],
        ['analyze', snapshotFile, '--json'],
        ['collect', snapshotFile],
      ]) {
        const result = runCli(args, stdin);
        expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        expectClean(result.stdout + result.stderr, args.join(' '));
      }
    });
  }

  it('keeps secret values out of error messages about a bad Secret', () => {
    const dir = tempDir();
    const bad = {...secret, metadata: {...secret.metadata, labels: {tier: 3}}};
    writeFileSync(join(dir, 'bad.yaml'), stringify(bad));
    const result = runCli(['analyze', join(dir, 'bad.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Secret shop/db-credentials');
    expectClean(result.stdout + result.stderr, 'error output');
  });
});
