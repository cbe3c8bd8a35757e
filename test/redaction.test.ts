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
  const secretList = {
    apiVersion: 'v1',
    kind: 'SecretList',
    items: [secret, tokenSecret].map(({kind: _k, apiVersion: _a, ...rest}) => rest),
  };
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
      expect(snapshot.objects.secrets.map((s: {metadata: {name: string}}) => s.metadata.name).sort()).toEqual([
        'db-credentials',
        'deployer-token',
      ]);
      expect(
        snapshot.objects.secrets.find((s: {type: string}) => s.type === 'kubernetes.io/service-account-token').metadata.annotations,
      ).toEqual({
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

describe('what containers are told stays out of the snapshot', () => {
  const TOLD = 'T0ld-value';
  const container = (name: string) => ({
    name,
    image: 'registry.example.com/app:1.0',
    command: ['sh', '-c', `curl -u admin:${TOLD}-command http://db`],
    args: [`--password=${TOLD}-arg`],
    env: [
      {name: 'PLAIN', value: `${TOLD}-env`},
      {name: 'FROM_SECRET', valueFrom: {secretKeyRef: {name: 'db', key: 'password'}}},
    ],
    livenessProbe: {exec: {command: ['check', `${TOLD}-probe`]}},
    readinessProbe: {httpGet: {path: '/healthz', port: 8080, httpHeaders: [{name: 'Authorization', value: `Bearer ${TOLD}-header`}]}},
    lifecycle: {preStop: {exec: {command: ['drain', `${TOLD}-hook`]}}},
  });
  // What volumes hand their drivers, which can be passwords as env values can.
  const volumes = [
    {
      name: 'share',
      flexVolume: {driver: 'example.com/cifs', secretRef: {name: 'cifs'}, options: {password: `${TOLD}-flex`, domain: `${TOLD}-domain`}},
    },
    {
      name: 'vault',
      csi: {driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: {secretProviderClass: 'db', token: `${TOLD}-csi`}},
    },
  ];
  const podSpec = {containers: [container('app')], initContainers: [container('init')], volumes};
  const template = {
    metadata: {
      labels: {app: 'web'},
      annotations: {'kubectl.kubernetes.io/last-applied-configuration': `{"password":"${TOLD}-applied"}`, team: 'payments'},
    },
    spec: podSpec,
  };
  const meta = (name: string) => ({name, namespace: 'shop'});
  const objects = [
    {apiVersion: 'v1', kind: 'Pod', metadata: meta('bare'), spec: {...podSpec, ephemeralContainers: [container('debug')]}},
    ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((kind) => ({
      apiVersion: 'apps/v1',
      kind,
      metadata: meta(kind.toLowerCase()),
      spec: {selector: {matchLabels: {app: 'web'}}, template},
    })),
    {apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('rc'), spec: {selector: {app: 'web'}, template}},
    {apiVersion: 'batch/v1', kind: 'Job', metadata: meta('job'), spec: {template}},
    {apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('cron'), spec: {schedule: '@daily', jobTemplate: {spec: {template}}}},
  ];

  it('keeps env names and valueFrom, drops commands, args, env and header values, volume driver options and the template last-applied annotation', () => {
    const dir = tempDir();
    const input = join(dir, 'workloads.yaml');
    writeFileSync(input, objects.map((o) => stringify(o)).join('---\n'));
    const snapshotFile = join(dir, 'snapshot.json');
    const collected = runCli(['collect', input, '--out', snapshotFile]);
    expect(collected.status, collected.stderr).toBe(0);
    const text = readFileSync(snapshotFile, 'utf8');
    expect(text).not.toContain(TOLD);

    const snapshot = JSON.parse(text);
    const specs: Array<{spec: Record<string, Array<Record<string, unknown>>>; annotations?: unknown}> = [
      {spec: snapshot.objects.pods[0].spec},
      ...['deployments', 'statefulSets', 'daemonSets', 'replicaSets', 'replicationControllers', 'jobs'].map(
        (key) => snapshot.objects[key][0].spec.template,
      ),
      snapshot.objects.cronJobs[0].spec.jobTemplate.spec.template,
    ].map((found) => ({spec: found.spec, annotations: found.metadata?.annotations}));
    expect(specs).toHaveLength(objects.length);
    for (const {spec, annotations} of specs) {
      if (annotations !== undefined) expect(annotations).toEqual({team: 'payments'});
      expect(spec.volumes).toEqual([
        {
          name: 'share',
          flexVolume: {driver: 'example.com/cifs', secretRef: {name: 'cifs'}, options: {password: '<redacted>', domain: '<redacted>'}},
        },
        {
          name: 'vault',
          csi: {
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            volumeAttributes: {secretProviderClass: '<redacted>', token: '<redacted>'},
          },
        },
      ]);
      const containers = [...spec.containers!, ...spec.initContainers!, ...(spec.ephemeralContainers ?? [])];
      expect(containers.map((c) => c.name)).toEqual(spec.ephemeralContainers ? ['app', 'init', 'debug'] : ['app', 'init']);
      for (const kept of containers) {
        expect(kept).toEqual({
          name: kept.name,
          image: 'registry.example.com/app:1.0',
          env: [{name: 'PLAIN'}, {name: 'FROM_SECRET', valueFrom: {secretKeyRef: {name: 'db', key: 'password'}}}],
          livenessProbe: {exec: {}},
          readinessProbe: {httpGet: {path: '/healthz', port: 8080, httpHeaders: [{name: 'Authorization'}]}},
          lifecycle: {preStop: {exec: {}}},
        });
      }
    }

    // What kubepath reads of them still works: the env reference to the Secret is an edge.
    const graph = runCli(['graph', snapshotFile, '-o', 'json']);
    expect(graph.status, graph.stderr).toBe(0);
    expect(graph.stdout).not.toContain(TOLD);
    expect(graph.stdout).toContain('"source":"pod:shop/bare","target":"secret:shop/db","type":"MOUNTS_SECRET"');
    // And the posture rule on volume types still sees a flexVolume.
    const analyzed = runCli(['analyze', snapshotFile, '-o', 'json']);
    expect(analyzed.status, analyzed.stderr).toBe(0);
    expect(analyzed.stdout).not.toContain(TOLD);
    expect(analyzed.stdout).toContain('volume share is of type flexVolume');
  });
});
