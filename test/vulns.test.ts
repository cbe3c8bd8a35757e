/**
 * `--vulns`: Trivy JSON reports mark the pods whose images have exploitable
 * vulnerabilities, and network steps into them become definite and cheaper, so the
 * paths through exploitable services rank first (docs/vulns.md). Against the bundled
 * example and the illustrative reports in examples/vulns/.
 */
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {buildModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {exploitability} from '../src/graph/vulnerabilities.js';
import {attachVulnerabilities} from '../src/vulns/match.js';
import {readTrivyReport} from '../src/vulns/trivy.js';
import {EXAMPLE, ROOT, runCli, tempDir} from './helpers/cli.js';
import {writeFiles} from './helpers/load.js';

const K8S_REPORT = join(ROOT, 'examples', 'vulns', 'trivy-k8s.json');
const IMAGE_REPORT = join(ROOT, 'examples', 'vulns', 'trivy-image-report-generator.json');
const VULNS = ['--vulns', K8S_REPORT, '--vulns', IMAGE_REPORT];

interface PathsJson {
  paths: Array<{
    source: string;
    target: string;
    cost: number;
    steps: Array<{
      from: string;
      to: string;
      type: string;
      technique: string;
      certainty: string;
      cost: number;
      evidence: Array<{object: string; field?: string; value?: unknown; note?: string}>;
    }>;
  }>;
}

function paths(args: string[]): PathsJson['paths'] {
  const result = runCli(['paths', EXAMPLE, '-o', 'json', ...args]);
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as PathsJson).paths;
}

const route = (path: PathsJson['paths'][number]): string => [path.source, ...path.steps.map((step) => step.to)].join(' -> ');

describe("--vulns reorders the bundled example's paths", () => {
  it('from the Internet to secrets: the path through the exposed, vulnerable grafana comes first, its entry costing 2 (and still conditional)', () => {
    const query = ['--from', 'internet', '--to', 'secret:*/*', '--max-paths', '6'];
    const before = paths(query);
    const after = paths([...query, ...VULNS]);
    const throughGrafana = (path: PathsJson['paths'][number]): boolean => path.steps[0]!.to === 'pod:monitoring/grafana';
    // Without the report, grafana is one of several exposed services at cost 4, not first.
    expect(throughGrafana(before[0]!)).toBe(false);
    expect(before.filter(throughGrafana).map((path) => path.cost)).toEqual([4]);
    expect(new Set(before.map((path) => path.cost))).toEqual(new Set([4]));
    // With it, grafana's path is first and cheapest; the others keep their cost.
    expect(route(after[0]!)).toBe('internet -> pod:monitoring/grafana -> secret:monitoring/grafana-admin');
    expect(after[0]!.cost).toBe(3);
    expect(after.slice(1).every((path) => path.cost === 4 && !throughGrafana(path))).toBe(true);
    const entry = after[0]!.steps[0]!;
    // Whether the Internet truly reaches the exposure stays an assumption.
    expect(entry).toMatchObject({type: 'CAN_REACH', technique: 'INTERNET_EXPOSURE', certainty: 'conditional', cost: 2});
    const flaw = entry.evidence.find((evidence) => evidence.note?.startsWith('known exploitable vulnerabilities'))!;
    expect(flaw).toMatchObject({
      object: 'Deployment/monitoring/grafana',
      field: 'spec.template.spec.containers[0].image',
      value: 'grafana/grafana:11.3.0',
    });
    expect(flaw.note).toContain('CVE-2099-10001 (CRITICAL; libexample 1.2.3-r0, fixed in 1.2.4-r0)');
    expect(flaw.note).toContain('trivy-k8s.json Resources[0]');
    // The MEDIUM, local one is not what makes the flaw known.
    expect(flaw.note).not.toContain('CVE-2099-10002');
  });

  it('from a breached pod: the network step into the vulnerable report-generator ranks its path before the other network paths', () => {
    const query = ['--from', 'pod:shop/storefront', '--to', 'secret:batch/*', '--max-paths', '4'];
    const before = paths(query);
    const after = paths([...query, ...VULNS]);
    const viaGenerator = 'pod:shop/storefront -> pod:batch/report-generator -> secret:batch/reporting-db-credentials';
    const viaBackup = 'pod:shop/storefront -> pod:batch/cluster-backup -> secret:batch/backup-s3-credentials';
    expect(before.map(route)).toContain(viaGenerator);
    expect(before.find((path) => route(path) === viaGenerator)!.cost).toBe(4);
    expect(before.map(route).indexOf(viaBackup)).toBeLessThan(before.map(route).indexOf(viaGenerator));
    expect(route(after[0]!)).toBe(viaGenerator);
    expect(after[0]!.cost).toBe(3);
    expect(after[0]!.steps[0]).toMatchObject({technique: 'POD_NETWORK_REACH', certainty: 'definite', cost: 2});
    expect(after[0]!.steps[0]!.evidence.at(-1)!.note).toContain(
      'GHSA-0000-example-0001 (HIGH, network attack vector; example-template-engine 3.1.2, fixed in 3.1.4)',
    );
  });

  it('--certainty definite follows network steps into pods with a known flaw, and only those', () => {
    const query = ['--from', 'pod:shop/storefront', '--to', 'secret:batch/*', '--certainty', 'definite'];
    expect(paths(query).some((path) => path.steps.some((step) => step.type === 'CAN_REACH'))).toBe(false);
    const found = paths([...query, ...VULNS]);
    const network = found.flatMap((path) => path.steps).filter((step) => step.type === 'CAN_REACH');
    expect(network.length).toBeGreaterThan(0);
    for (const step of network) expect(step.to).toBe('pod:batch/report-generator');
  });
});

describe('--vulns in analyze, graph and the report', () => {
  it("analyze: a known-vulnerabilities posture finding for grafana, owned by its team, with the fixed version; redis's local HIGH is not one", () => {
    const result = runCli(['analyze', EXAMPLE, '-o', 'json', ...VULNS]);
    expect(result.status, result.stderr).toBe(0);
    const {posture} = JSON.parse(result.stdout) as {
      posture: {
        findings: Array<{rule: string; subject: string; owner?: {team: string}; evidence: Array<{field: string}>; fixes: string[]}>;
      };
    };
    const known = posture.findings.filter((finding) => finding.rule === 'known-vulnerabilities');
    expect(known.map((finding) => finding.subject).sort()).toEqual([
      'workload:batch/CronJob/report-generator',
      'workload:monitoring/Deployment/grafana',
    ]);
    const grafana = known.find((finding) => finding.subject.includes('grafana'))!;
    expect(grafana.owner?.team).toBe('platform');
    expect(grafana.evidence.map((evidence) => evidence.field)).toEqual(['spec.template.spec.containers[0].image']);
    expect(grafana.fixes).toEqual(['rebuild or upgrade the image of spec.template.spec.containers[0]: libexample to 1.2.4-r0']);
  });

  it('graph: pods carry their vulnerability count and the ids of the exploitable ones', () => {
    const result = runCli(['graph', EXAMPLE, '-o', 'json', ...VULNS]);
    expect(result.status, result.stderr).toBe(0);
    const nodes = (
      JSON.parse(result.stdout) as {nodes: Array<{id: string; vulnerabilities?: number; exploitableVulnerabilities?: string[]}>}
    ).nodes;
    const byId = new Map(nodes.map((node) => [node.id, node]));
    expect(byId.get('pod:monitoring/grafana')).toMatchObject({vulnerabilities: 2, exploitableVulnerabilities: ['CVE-2099-10001']});
    expect(byId.get('pod:data/redis')!.vulnerabilities).toBe(1);
    expect(byId.get('pod:data/redis')!.exploitableVulnerabilities).toBeUndefined();
    expect(byId.get('pod:identity/keycloak')!.vulnerabilities).toBeUndefined();
  });

  it('warns about scanned images that no container runs, naming them', () => {
    const dir = writeFiles({
      'other.json': JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: 'quay.io/other/thing:9.9',
        ArtifactType: 'container_image',
        Results: [
          {
            Target: 'quay.io/other/thing:9.9 (alpine 3.20.3)',
            Class: 'os-pkgs',
            Vulnerabilities: [{VulnerabilityID: 'CVE-2099-1', PkgName: 'x', Severity: 'CRITICAL'}],
          },
        ],
      }),
    });
    const result = runCli([
      'paths',
      EXAMPLE,
      '--from',
      'internet',
      '--to',
      'cluster-admin',
      '-o',
      'json',
      '--vulns',
      join(dir, 'other.json'),
      '--vulns',
      K8S_REPORT,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'kubepath: warning: 1 of 3 scanned images match no container of the input (quay.io/other/thing:9.9): their vulnerabilities are not used',
    );
  });
});

describe('reading Trivy reports', () => {
  const image = (name: string, vulnerabilities: unknown[], extra: Record<string, unknown> = {}) => ({
    SchemaVersion: 2,
    ArtifactName: name,
    ArtifactType: 'container_image',
    Results: [{Target: `${name} (debian 12.8)`, Class: 'os-pkgs', Vulnerabilities: vulnerabilities}],
    ...extra,
  });
  const critical = {VulnerabilityID: 'CVE-2099-7', PkgName: 'libx', InstalledVersion: '1', Severity: 'CRITICAL'};

  it('reads trivy image, trivy k8s (Metadata a list or one object, and the older Vulnerabilities list), arrays and concatenated reports', () => {
    const dir = writeFiles({
      'concatenated.json': `${JSON.stringify(image('nginx:1.25', [critical]))}\n${JSON.stringify([image('redis:7', [])])}\n`,
      'k8s.json': JSON.stringify({
        ClusterName: 'c',
        Resources: [
          {
            Namespace: 'shop',
            Kind: 'Deployment',
            Name: 'web',
            Metadata: [{RepoTags: ['nginx:1.25'], RepoDigests: ['nginx@sha256:' + 'a'.repeat(64)]}],
            Results: [{Target: 'nginx:1.25 (debian 12.8)', Class: 'os-pkgs', Vulnerabilities: [critical]}],
          },
          {
            Namespace: 'shop',
            Kind: 'Pod',
            Name: 'debug',
            Metadata: {RepoTags: ['busybox:1.36']},
            Results: [{Target: 'busybox:1.36 (busybox 1.36.1)', Class: 'os-pkgs', Vulnerabilities: [critical]}],
          },
          {Namespace: 'shop', Kind: 'Role', Name: 'r', Results: [{Target: 'Role/r', Class: 'config', Misconfigurations: [{ID: 'KSV041'}]}]},
          // Trivy's node checks are not images.
          {Kind: 'NodeInfo', Name: 'node-1', Results: [{Target: 'node-1', Class: 'os-pkgs', Vulnerabilities: [critical]}]},
        ],
      }),
      'old-k8s.json': JSON.stringify({
        ClusterName: 'c',
        Vulnerabilities: [
          {
            Namespace: 'shop',
            Kind: 'Deployment',
            Name: 'web',
            Results: [{Target: 'nginx:1.25 (debian 12.8)', Class: 'os-pkgs', Vulnerabilities: [critical]}],
          },
        ],
        Misconfigurations: [],
      }),
    });
    expect(readTrivyReport(join(dir, 'concatenated.json')).map((scan) => [scan.names, scan.vulnerabilities.length, scan.at])).toEqual([
      [['nginx:1.25'], 1, 'report 1'],
      [['redis:7'], 0, 'report 2 [0]'],
    ]);
    expect(readTrivyReport(join(dir, 'k8s.json')).map((scan) => [scan.workload, scan.names])).toEqual([
      [{namespace: 'shop', kind: 'Deployment', name: 'web'}, ['nginx:1.25', `nginx@sha256:${'a'.repeat(64)}`]],
      [{namespace: 'shop', kind: 'Pod', name: 'debug'}, ['busybox:1.36']],
    ]);
    expect(readTrivyReport(join(dir, 'old-k8s.json'))[0]).toMatchObject({
      workload: {namespace: 'shop', kind: 'Deployment', name: 'web'},
      names: ['nginx:1.25'],
      at: 'Vulnerabilities[0]',
    });
  });

  it('CRITICAL, or HIGH with a network attack vector from any CVSS source, is exploitable; nothing else is', () => {
    const vulnerability = (severity: 'CRITICAL' | 'HIGH' | 'MEDIUM', attackVectors: string[]) => ({
      id: 'x',
      severity,
      package: 'p',
      attackVectors,
    });
    expect(exploitability(vulnerability('CRITICAL', ['N', 'L']))).toBe('CRITICAL');
    expect(exploitability(vulnerability('CRITICAL', []))).toBe('CRITICAL');
    expect(exploitability(vulnerability('CRITICAL', ['L', 'P']))).toBeUndefined();
    expect(exploitability(vulnerability('HIGH', ['L', 'N']))).toBe('HIGH, network attack vector');
    expect(exploitability(vulnerability('HIGH', ['L']))).toBeUndefined();
    expect(exploitability(vulnerability('HIGH', []))).toBeUndefined();
    expect(exploitability(vulnerability('MEDIUM', ['N']))).toBeUndefined();
    const dir = writeFiles({
      'r.json': JSON.stringify(
        image('nginx:1.25', [
          {
            ...critical,
            Severity: 'HIGH',
            CVSS: {nvd: {V2Vector: 'AV:L/AC:L/Au:N/C:C/I:C/A:C'}, ghsa: {V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'}},
          },
        ]),
      ),
    });
    expect(readTrivyReport(join(dir, 'r.json'))[0]!.vulnerabilities[0]!.attackVectors).toEqual(['L', 'N']);
  });

  it('matches a live pod by the digest its status records, and not a tag whose digest moved; a k8s resource only its own workload', async () => {
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    const pod = (name: string, image: string, imageID: string, owner?: string) =>
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        `  name: ${name}`,
        '  namespace: shop',
        ...(owner ? ['  ownerReferences:', '  - {apiVersion: apps/v1, kind: DaemonSet, name: ' + owner + ', controller: true}'] : []),
        'spec:',
        '  nodeName: n1',
        `  containers: [{name: app, image: "${image}"}]`,
        'status:',
        '  podIP: 10.0.0.1',
        `  containerStatuses: [{name: app, image: "${image}", imageID: "docker.io/library/nginx@${imageID}"}]`,
      ].join('\n');
    const dir = writeFiles({
      'pods.yaml': [
        pod('current', 'nginx:1.25', digest('a')),
        pod('stale', 'nginx:1.25', digest('b')),
        pod('agent', 'nginx:1.25', digest('a'), 'agent'),
      ].join('\n---\n'),
      'scan.json': JSON.stringify([
        image('nginx:1.25', [critical], {Metadata: {RepoTags: ['nginx:1.25'], RepoDigests: [`nginx@${digest('a')}`]}}),
      ]),
      'k8s.json': JSON.stringify({
        ClusterName: 'c',
        Resources: [
          {
            Namespace: 'shop',
            Kind: 'DaemonSet',
            Name: 'agent',
            Metadata: [{RepoTags: ['nginx:1.25']}],
            Results: [
              {Target: 'nginx:1.25 (debian 12.8)', Class: 'os-pkgs', Vulnerabilities: [{...critical, VulnerabilityID: 'CVE-2099-8'}]},
            ],
          },
        ],
      }),
    });
    const model = buildModel((await loadInputs([join(dir, 'pods.yaml')])).snapshot);
    expect(attachVulnerabilities(model, [...readTrivyReport(join(dir, 'scan.json')), ...readTrivyReport(join(dir, 'k8s.json'))])).toEqual(
      [],
    );
    const ids = (pod: string) =>
      model.vulnerabilities.get(pod)?.containers.flatMap((container) => container.exploitable.map((v) => v.id)) ?? [];
    expect(ids('pod:shop/current')).toEqual(['CVE-2099-7']);
    expect(ids('pod:shop/stale')).toEqual([]);
    expect(ids('pod:shop/agent')).toEqual(['CVE-2099-7', 'CVE-2099-8']);
  });

  it("splits a workload's merged results by image, each from its OS result; reads no image names from a filesystem scan", async () => {
    const dir = writeFiles({
      'summary.json': JSON.stringify({
        ClusterName: 'c',
        Findings: [
          {
            Namespace: 'shop',
            Kind: 'Deployment',
            Name: 'web',
            Metadata: [{RepoTags: ['ghcr.io/acme/web:1']}, {RepoTags: ['envoyproxy/envoy:v1.30']}],
            Results: [
              {Target: 'ghcr.io/acme/web:1 (debian 12.8)', Class: 'os-pkgs', Vulnerabilities: [{...critical, VulnerabilityID: 'CVE-WEB'}]},
              {Target: 'app/package-lock.json', Class: 'lang-pkgs', Vulnerabilities: [{...critical, VulnerabilityID: 'CVE-WEB-LIB'}]},
              {Target: 'envoyproxy/envoy:v1.30 (ubuntu 22.04)', Class: 'os-pkgs', Vulnerabilities: []},
            ],
          },
        ],
      }),
      'fs.json': JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: '.',
        ArtifactType: 'filesystem',
        Results: [{Target: 'nginx:1.25 (debian 12.8)', Class: 'os-pkgs', Vulnerabilities: [critical]}],
      }),
      'web.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web, namespace: shop}',
        'spec:',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec:',
        '      containers:',
        '      - {name: app, image: ghcr.io/acme/web:1}',
        '      - {name: sidecar, image: "index.docker.io/envoyproxy/envoy:v1.30"}',
      ].join('\n'),
    });
    const scans = readTrivyReport(join(dir, 'summary.json'));
    expect(scans.map((scan) => [scan.names, scan.vulnerabilities.map((v) => v.id)])).toEqual([
      [['ghcr.io/acme/web:1'], ['CVE-WEB', 'CVE-WEB-LIB']],
      [['envoyproxy/envoy:v1.30'], []],
    ]);
    expect(readTrivyReport(join(dir, 'fs.json'))[0]!.names).toEqual([]);
    const model = buildModel((await loadInputs([join(dir, 'web.yaml')])).snapshot);
    // index.docker.io is docker.io: the sidecar matches its (clean) scan, and gets nothing of the app's.
    expect(attachVulnerabilities(model, scans)).toEqual([]);
    const containers = model.vulnerabilities.get('pod:shop/web')!.containers;
    expect(containers.map((c) => [c.container, c.vulnerabilities.map((v) => v.id)])).toEqual([
      ['app', ['CVE-WEB', 'CVE-WEB-LIB']],
      ['sidecar', []],
    ]);
  });

  it('matches a side-loaded image by the image id its status records', async () => {
    const id = `sha256:${'c'.repeat(64)}`;
    const dir = writeFiles({
      'pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: local, namespace: shop}\nspec:\n  nodeName: n1\n  containers: [{name: app, image: "acme/tool:dev"}]\nstatus:\n  podIP: 10.0.0.2\n  containerStatuses: [{name: app, image: "acme/tool:dev", imageID: "${id}"}]\n`,
      'scan.json': JSON.stringify(
        image('acme/tool:other-tag', [critical], {
          Metadata: {ImageID: id, RepoTags: ['acme/tool:other-tag'], RepoDigests: [`acme/tool@sha256:${'d'.repeat(64)}`]},
        }),
      ),
    });
    const model = buildModel((await loadInputs([join(dir, 'pod.yaml')])).snapshot);
    expect(attachVulnerabilities(model, readTrivyReport(join(dir, 'scan.json')))).toEqual([]);
    expect(model.vulnerabilities.get('pod:shop/local')?.exploitable).toBe(true);
  });

  it('bad reports: one line naming the file, line and field; exit 2; nothing written', () => {
    const dir = tempDir();
    const out = join(dir, 'out.json');
    const bad: Array<[string, string, RegExp]> = [
      ['syntax.json', '{"ArtifactName": "nginx",\n "Results": [}\n', /syntax\.json:2: /],
      [
        'severity.json',
        JSON.stringify(image('nginx:1.25', [{...critical, Severity: 'SEVERE'}]), null, 2),
        /severity\.json:\d+: Results\[0\]\.Vulnerabilities\[0\]\.Severity: unknown severity "SEVERE" \(Trivy writes CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN\)$/,
      ],
      [
        'type.json',
        JSON.stringify(image('nginx:1.25', [{...critical, VulnerabilityID: 7}]), null, 2),
        /type\.json:\d+: Results\[0\]\.Vulnerabilities\[0\]\.VulnerabilityID: expected a string, found number 7$/,
      ],
      [
        'sarif.json',
        JSON.stringify({version: '2.1.0', runs: []}),
        /sarif\.json:1: \(report\): not a Trivy JSON report: expected ArtifactName and Results \(trivy image\) or ClusterName and Resources \(trivy k8s\)$/,
      ],
      ['missing.json', '', /missing\.json: cannot read: ENOENT$/],
    ];
    for (const [name, text, expected] of bad) {
      if (name !== 'missing.json') writeFileSync(join(dir, name), text);
      const result = runCli(['analyze', EXAMPLE, '-o', 'json', '--output-file', out, '--vulns', join(dir, name)]);
      expect(result.status, name).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines, name).toHaveLength(1);
      expect(lines[0], name).toMatch(/^kubepath: error: /);
      expect(lines[0], name).toMatch(expected);
      expect(existsSync(out), name).toBe(false);
    }
  });
});
