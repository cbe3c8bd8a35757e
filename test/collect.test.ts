/**
 * The live collector against a local HTTPS server that speaks the Kubernetes list API
 * (src/bench/fake-api-server.ts), driven through the real @kubernetes/client-node by
 * the built CLI with a generated kubeconfig.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {fakeSecretValue, type FakeApiServer, type FakeObject, type Faults} from '../src/bench/fake-api-server.js';
import {generateCluster} from '../src/generate/cluster.js';
import {ApiClient, retryAfterMs} from '../src/collect/api-client.js';
import {collectCluster} from '../src/collect/collector.js';
import {resolveTarget} from '../src/collect/kubeconfig.js';
import {LIST_RESOURCES} from '../src/collect/resources.js';
import {KINDS} from '../src/snapshot/kinds.js';
import {objectKey, type Snapshot} from '../src/snapshot/snapshot.js';
import {runCli, runCliAsync, tempDir} from './helpers/cli.js';
import {closeServed, collectFake, serveFake} from './helpers/fake-api.js';

const CLUSTER: FakeObject[] = [
  ...generateCluster({pods: 40, seed: 7}),
  // Gateway API objects, which this cluster serves only at v1beta1 in one test.
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {name: 'public', namespace: 'default'},
    spec: {gatewayClassName: 'cloud', listeners: [{name: 'http', port: 80, protocol: 'HTTP'}]},
  },
  // A legacy token Secret: metadata-only lists carry no type, so the collector knows it by its annotation.
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: 'deployer-token', namespace: 'default', annotations: {'kubernetes.io/service-account.name': 'default'}},
    type: 'kubernetes.io/service-account-token',
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {name: 'shop', namespace: 'default'},
    spec: {parentRefs: [{name: 'public'}], rules: [{backendRefs: [{name: 'web', port: 80}]}]},
  },
];

const keyOf = (object: {kind: string; metadata: Record<string, unknown>}): string =>
  objectKey(
    object.kind,
    KINDS.find((k) => k.kind === object.kind)!.namespaced ? String(object.metadata.namespace) : undefined,
    String(object.metadata.name),
  );

function servedKeys(kind: string, namespaces?: string[]): string[] {
  return CLUSTER.filter((o) => o.kind === kind && (!namespaces || namespaces.includes(String(o.metadata.namespace))))
    .map(keyOf)
    .sort();
}

function snapshotKeys(snapshot: Snapshot, kind: string): string[] {
  const spec = KINDS.find((k) => k.kind === kind)!;
  return ((snapshot.objects as unknown as Record<string, FakeObject[]>)[spec.key] ?? []).map(keyOf).sort();
}

afterEach(closeServed);

const serve = (faults: Faults = {}) => serveFake(CLUSTER, faults);
const collect = (faults: Faults, extra: string[] = [], objects: FakeObject[] = []) => collectFake([...CLUSTER, ...objects], faults, extra);

const DISCOVERY = /^\/(version|api(\/v1)?|apis(\/[^/]+\/[^/]+)?)$/;
const listRequests = (api: FakeApiServer) => api.requests.filter((r) => !DISCOVERY.test(r.path));

describe('kubepath collect from a live API server', () => {
  it('pages every list at a small page size to the end, and the snapshot holds every object, redacted', async () => {
    const {api, result, snapshot} = await collect({}, ['--chunk-size', '4']);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    const requests = listRequests(api);
    expect(requests.every((r) => r.query.limit === '4')).toBe(true);
    for (const {kind} of KINDS) {
      const served = servedKeys(kind);
      expect(snapshotKeys(snapshot!, kind), kind).toEqual(served);
      if (served.length > 4) {
        // One request per page: the first without a continue token, every later one with the token the last page gave.
        const {resource} = LIST_RESOURCES.find((r) => r.spec.kind === kind)!;
        const pages = requests.filter((r) => r.status === 200 && r.path.endsWith(`/${resource}`));
        expect(pages.length, kind).toBe(Math.ceil(served.length / 4));
        expect(pages.filter((r) => r.query.continue !== undefined).length, kind).toBe(pages.length - 1);
      }
    }
    expect(snapshot!.source).toMatchObject({
      mode: 'live',
      context: 'fake',
      cluster: 'fake-cluster',
      server: api.url,
      serverVersion: 'v1.30.4',
    });
    expect(JSON.stringify(snapshot)).not.toContain('managedFields');
    // Items come without kind and apiVersion; the snapshot names them from the list.
    const deployment = (snapshot!.objects as unknown as Record<string, FakeObject[]>).deployments![0]!;
    expect([deployment.kind, deployment.apiVersion]).toEqual(['Deployment', 'apps/v1']);
    expect(snapshot!.coverage.gaps).toEqual([]);
  });

  it('records a kind it may not list (403) as a coverage gap, warns, and reads the rest', async () => {
    const {result, snapshot} = await collect({forbidden: ['ClusterRoleBinding']});
    expect(result.status).toBe(0);
    expect(snapshot!.coverage.gaps).toEqual([
      {
        kind: 'ClusterRoleBinding',
        reason: 'forbidden',
        message: expect.stringMatching(
          /403 clusterrolebindings\.rbac\.authorization\.k8s\.io is forbidden: User "system:serviceaccount:kubepath:collector" cannot list/,
        ),
      },
    ]);
    expect(snapshotKeys(snapshot!, 'ClusterRoleBinding')).toEqual([]);
    expect(snapshotKeys(snapshot!, 'Pod')).toEqual(servedKeys('Pod'));
    expect(result.stderr).toMatch(
      /warning: coverage gap: ClusterRoleBinding could not be read \(forbidden\): permissions granted cluster-wide are missing/,
    );
    expect(result.stderr).toMatch(/with 1 coverage gap\n/);
  });

  it('waits as a 429 asks (Retry-After) and finishes the list', async () => {
    const {api, result, snapshot} = await collect({throttle: {kind: 'Pod', page: 2, retryAfter: '1'}}, ['--chunk-size', '10']);
    expect(result.status).toBe(0);
    expect(snapshotKeys(snapshot!, 'Pod')).toEqual(servedKeys('Pod'));
    const pods = api.requests.filter((r) => r.path === '/api/v1/pods');
    const throttled = pods.findIndex((r) => r.status === 429);
    expect(throttled).toBeGreaterThan(0);
    // The same page again, no sooner than the server asked.
    expect(pods[throttled + 1]).toMatchObject({status: 200, query: pods[throttled]!.query});
    expect(pods[throttled + 1]!.at - pods[throttled]!.at).toBeGreaterThanOrEqual(950);
    expect(result.stderr).toMatch(/retried 1 request \(first: GET \/api\/v1\/pods\?limit=10&continue=\S+: 429, Retry-After 1\)/);
  });

  it('retries a 500 and starts a list again when its continue token expires (410), with no object twice', async () => {
    const {api, result, snapshot} = await collect({serverError: {kind: 'ServiceAccount', page: 1}, expire: {kind: 'Pod', page: 3}}, [
      '--chunk-size',
      '5',
    ]);
    expect(result.status).toBe(0);
    const accounts = api.requests.filter((r) => r.path === '/api/v1/serviceaccounts');
    expect(accounts.map((r) => r.status).slice(0, 2)).toEqual([500, 200]);
    expect(snapshotKeys(snapshot!, 'ServiceAccount')).toEqual(servedKeys('ServiceAccount'));
    const pods = api.requests.filter((r) => r.path === '/api/v1/pods');
    const expired = pods.findIndex((r) => r.status === 410);
    expect(expired).toBe(2);
    // Started again from the first page: the expired token is not sent again.
    expect(pods[expired + 1]!.query.continue).toBeUndefined();
    expect(snapshotKeys(snapshot!, 'Pod')).toEqual(servedKeys('Pod'));
    expect(result.stderr).not.toMatch(/appears again/);
    // The progress counts each object once, the restarted list included.
    const total = CLUSTER.length;
    expect(result.stderr).toMatch(new RegExp(`collecting: 26/26 lists done, ${total.toLocaleString('en-US')} objects\n`));
  });

  it('reads a list whole when its continue tokens keep expiring, as client-go does', async () => {
    const {api, result, snapshot} = await collect({expireAlways: 'Pod'}, ['--chunk-size', '5']);
    expect(result.status).toBe(0);
    const pods = api.requests.filter((r) => r.path === '/api/v1/pods');
    expect(pods.filter((r) => r.status === 410).length).toBe(2);
    expect(pods.at(-1)).toMatchObject({status: 200, query: {}});
    expect(snapshotKeys(snapshot!, 'Pod')).toEqual(servedKeys('Pod'));
  });

  it('leaves out an object its kind cannot be, with a gap that names it, and reads the rest', async () => {
    const odd: FakeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'odd', namespace: 'default'},
      spec: {containers: 'not a list'},
    };
    const {result, snapshot} = await collect({}, [], [odd]);
    expect(result.status).toBe(0);
    expect(snapshotKeys(snapshot!, 'Pod')).toEqual(servedKeys('Pod'));
    expect(snapshot!.coverage.gaps).toEqual([
      {
        kind: 'Pod',
        namespace: 'default',
        reason: 'error',
        message:
          '1 object the API server sent could not be read and is left out; the first: Pod default/odd: spec.containers: expected array, received string',
      },
    ]);
  });

  it('asks for secrets as metadata only: the server would send values otherwise, and the snapshot holds none', async () => {
    const secrets = CLUSTER.filter((o) => o.kind === 'Secret');
    expect(secrets.length).toBeGreaterThan(3);
    const {api, result, snapshot, out} = await collect({});
    expect(result.status).toBe(0);
    const secretRequests = api.requests.filter((r) => r.path === '/api/v1/secrets');
    expect(secretRequests.length).toBeGreaterThan(0);
    expect(secretRequests.every((r) => r.accept === 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1')).toBe(true);
    expect(snapshotKeys(snapshot!, 'Secret')).toEqual(servedKeys('Secret'));
    const written = readFileSync(out, 'utf8');
    for (const secret of secrets) expect(written).not.toContain(fakeSecretValue(secret));
    // Token secrets are known by their annotation (metadata carries no type).
    const tokens = snapshot!.objects.secrets.filter((s) => s.type === 'kubernetes.io/service-account-token').map(keyOf);
    const annotated = secrets
      .filter((s) => (s.metadata.annotations as Record<string, string> | undefined)?.['kubernetes.io/service-account.name'])
      .map(keyOf);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.sort()).toEqual(annotated.sort());
  });

  it('reads no secret when the server ignores the metadata-only request, and says so', async () => {
    const {result, snapshot, out} = await collect({ignoreMetadataOnly: true});
    expect(result.status).toBe(0);
    expect(snapshot!.objects.secrets).toEqual([]);
    expect(snapshot!.coverage.gaps).toEqual([
      {kind: 'Secret', reason: 'error', message: expect.stringMatching(/not metadata only.*kubepath never reads secret values/)},
    ]);
    const written = readFileSync(out, 'utf8');
    for (const secret of CLUSTER.filter((o) => o.kind === 'Secret')) expect(written).not.toContain(fakeSecretValue(secret));
  });

  it('sends the kubeconfig bearer token on every request, and stops with exit 2 when the server refuses it', async () => {
    const {api, result} = await collect({});
    expect(result.status).toBe(0);
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${api.token}`]));
    const dir = tempDir();
    const wrong = join(dir, 'kubeconfig');
    writeFileSync(wrong, api.kubeconfig({token: 'stolen-but-revoked'}));
    const refused = await runCliAsync(['collect', '--kubeconfig', wrong, '--out', join(dir, 'x.json')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /^kubepath: error: the API server at https:\/\/127\.0\.0\.1:\d+ refused the credentials of context fake \(.*kubeconfig\): GET \/version: 401 Unauthorized$/m,
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  it('records kinds the server does not serve, from discovery even where listing them is forbidden, and reads an API group at the older version a cluster serves', async () => {
    const faults: Faults = {
      notServed: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
      forbidden: ['AdminNetworkPolicy'],
      versions: {Gateway: ['v1beta1'], HTTPRoute: ['v1beta1']},
    };
    const {api, result, snapshot} = await collect(faults);
    expect(result.status).toBe(0);
    expect(snapshot!.coverage.gaps.map((g) => [g.kind, g.reason])).toEqual([
      ['AdminNetworkPolicy', 'not-served'],
      ['BaselineAdminNetworkPolicy', 'not-served'],
    ]);
    expect(api.requests.filter((r) => r.path.endsWith('networkpolicies') && r.path.includes('policy.networking'))).toEqual([]);
    expect(result.stderr).toMatch(/not served by this cluster, so it holds none: AdminNetworkPolicy, BaselineAdminNetworkPolicy/);
    expect(snapshot!.objects.gateways.map((g) => g.apiVersion)).toEqual(['gateway.networking.k8s.io/v1beta1']);
    expect(api.requests.filter((r) => r.path.endsWith('/gateways')).map((r) => [r.path, r.status])).toEqual([
      ['/apis/gateway.networking.k8s.io/v1beta1/gateways', 200],
    ]);
    // Without discovery, every version is tried by listing; a forbidden one is then all the collector can know.
    const blind = await collect({...faults, discoveryForbidden: true});
    expect(blind.snapshot!.coverage.gaps.map((g) => [g.kind, g.reason])).toEqual([
      ['AdminNetworkPolicy', 'forbidden'],
      ['BaselineAdminNetworkPolicy', 'not-served'],
    ]);
    expect(blind.api.requests.filter((r) => r.path.endsWith('/gateways')).map((r) => [r.path, r.status])).toEqual([
      ['/apis/gateway.networking.k8s.io/v1/gateways', 404],
      ['/apis/gateway.networking.k8s.io/v1beta1/gateways', 200],
    ]);
  });

  it('with -n lists namespaced kinds in those namespaces only', async () => {
    const namespaces = [...new Set(CLUSTER.filter((o) => o.kind === 'Pod').map((o) => String(o.metadata.namespace)))].sort();
    const chosen = namespaces.slice(0, 2);
    expect(chosen.length).toBe(2);
    const {api, result, snapshot} = await collect({}, ['-n', chosen[1]!, '-n', chosen[0]!]);
    expect(result.status).toBe(0);
    expect(snapshotKeys(snapshot!, 'Pod')).toEqual(servedKeys('Pod', chosen));
    expect(snapshotKeys(snapshot!, 'ClusterRole')).toEqual(servedKeys('ClusterRole'));
    expect(listRequests(api).filter((r) => r.path === '/api/v1/pods')).toEqual([]);
    expect(
      listRequests(api)
        .filter((r) => r.path.endsWith('/pods'))
        .map((r) => r.path)
        .sort(),
    ).toEqual(chosen.map((ns) => `/api/v1/namespaces/${ns}/pods`));
  });

  it('fails with exit 2 and nothing written when nothing can be read', async () => {
    const {result, out} = await collect({forbidden: KINDS.map((k) => k.kind)});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^kubepath: error: nothing could be read from https:\/\/127\.0\.0\.1:\d+ \(context fake\): GET .*: 403 .* is forbidden/m,
    );
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('kubepath without INPUT: which cluster, and clear errors', () => {
  it('exits 2 with a clear message for an empty kubeconfig, an unknown context, a missing file, and no configuration at all', () => {
    const dir = tempDir();
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--kubeconfig', empty], {}, /^kubepath: error: --kubeconfig .*empty: the kubeconfig is empty \(no clusters, users or contexts\)$/m],
      [[], {KUBECONFIG: empty}, /^kubepath: error: KUBECONFIG lists no kubeconfig with anything in it \(.*empty\), and this is not a pod/m],
      [['--kubeconfig', join(dir, 'missing')], {}, /^kubepath: error: --kubeconfig .*missing: no such file$/m],
      [
        [],
        {},
        /^kubepath: error: no cluster to read: no INPUT given, no --kubeconfig, KUBECONFIG is unset, .*\.kube\/config does not exist, and this is not a pod/m,
      ],
    ];
    for (const [args, env, message] of cases) {
      const result = runCli(['collect', ...args], {env});
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });

  it('picks the context --context names, and refuses one that does not exist', async () => {
    const {server, kubeconfig, dir} = await serve();
    const unknown = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--context', 'prod']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^kubepath: error: --context prod: .* has no such context \(contexts: fake\)$/m);
    const named = join(dir, 'named');
    writeFileSync(named, server.kubeconfig({context: 'staging'}).replace(/current-context: .*/, ''));
    const unset = await runCliAsync(['collect', '--kubeconfig', named]);
    expect(unset.stderr).toMatch(/no current-context is set; choose one with --context \(contexts: staging\)/);
    const chosen = await runCliAsync(['collect', '--kubeconfig', named, '--context', 'staging', '--out', join(dir, 's.json')]);
    expect(chosen.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).source.context).toBe('staging');
  });

  it('says when no credentials can be had (an exec plugin that is not installed), exit 2', async () => {
    const {kubeconfig, dir} = await serve();
    const exec = join(dir, 'exec');
    const text = readFileSync(kubeconfig, 'utf8').replace(
      / {4}token: .*/,
      '    exec: {apiVersion: client.authentication.k8s.io/v1, command: kubepath-no-such-credential-plugin, interactiveMode: Never}',
    );
    writeFileSync(exec, text);
    const result = await runCliAsync(['collect', '--kubeconfig', exec]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^kubepath: error: cannot get credentials for context fake \(.*exec\): .*kubepath-no-such-credential-plugin/m,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses INPUT files together with live flags', () => {
    const result = runCli(['analyze', 'examples/multi-tenant', '--context', 'prod']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^kubepath: error: --context reads a live cluster, so it cannot be given with INPUT files/m);
  });
});

describe('analysis commands read the live cluster directly', () => {
  // Same time stamp for the live runs and the saved snapshot: the outputs must then be the same bytes.
  const env = {SOURCE_DATE_EPOCH: '1790000000'};

  it('analyze, paths, reach, graph, who-can, report and export give what they give on the collected snapshot', async () => {
    const {kubeconfig, dir} = await serve({});
    const snapshot = join(dir, 'snapshot.json');
    expect((await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--out', snapshot], {env})).status).toBe(0);
    // Each command as [before the source, after it]; the source is the live cluster, then the snapshot.
    const commands: Array<{args: [string[], string[]]; out?: string}> = [
      {args: [['analyze'], ['-o', 'json', '--assume-breach', 'all']]},
      {args: [['paths'], ['--from', 'internet', '--to', 'cluster-admin', '--to', 'secret:*/*', '-o', 'json']]},
      {args: [['reach'], ['-o', 'json']]},
      {args: [['graph'], ['-o', 'json']]},
      {
        args: [
          ['who-can', 'list', 'secrets'],
          ['-o', 'json'],
        ],
      },
      {args: [['report'], []], out: 'report.html'},
      {args: [['export', 'opengraph'], []], out: 'graph.opengraph.json'},
    ];
    for (const {
      args: [before, after],
      out,
    } of commands) {
      const args = [...before, ...after];
      const outputs: string[] = [];
      for (const source of [['--kubeconfig', kubeconfig], [snapshot]]) {
        const file = out ? join(dir, `${source.length}-${out}`) : undefined;
        const argv = [...before, ...source, ...after, ...(file ? ['--out', file] : [])];
        const result = await runCliAsync(argv, {env});
        expect(result.status, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
        outputs.push(file ? readFileSync(file, 'utf8') : result.stdout);
      }
      expect(outputs[0]!.length, args.join(' ')).toBeGreaterThan(100);
      expect(outputs[0], args.join(' ')).toBe(outputs[1]);
    }
  });

  it('shows a gap next to the findings it may make untrue: unread network policies under network steps', async () => {
    const {kubeconfig} = await serve({forbidden: ['NetworkPolicy']});
    const result = await runCliAsync(['analyze', '--kubeconfig', kubeconfig, '-o', 'json', '--assume-breach', 'all']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as {
      coverageGaps: Array<{kind: string; reason: string; effect: string}>;
      findings: Array<{coverageGaps: Array<{kind: string; effect: string}>; path: {steps: Array<{type: string; to: string}>}}>;
    };
    expect(json.coverageGaps).toEqual([
      expect.objectContaining({
        kind: 'NetworkPolicy',
        reason: 'forbidden',
        effect: expect.stringMatching(/network steps into or out of those pods may be blocked/),
      }),
    ]);
    const reaching = json.findings.filter((f) => f.path.steps.some((s) => s.type === 'CAN_REACH' && s.to.startsWith('pod:')));
    expect(reaching.length).toBeGreaterThan(0);
    for (const finding of reaching) expect(finding.coverageGaps.map((g) => g.kind)).toEqual(['NetworkPolicy']);
    // A finding none of whose paths takes a network step is not affected.
    expect(json.findings.some((f) => f.coverageGaps.length === 0)).toBe(true);
    const table = await runCliAsync(['analyze', '--kubeconfig', kubeconfig]);
    expect(table.stdout).toMatch(/may not hold: NetworkPolicy could not be read \(forbidden\): network policies there are not seen/);
    expect(table.stdout).toMatch(
      /Coverage gaps \(kinds kubepath could not read, and what that may change\):\n {2}NetworkPolicy could not be read \(forbidden\): network policies there are not seen/,
    );
  });
});

describe('cluster configuration as kubectl finds it', () => {
  const config = (cluster: string, server: string, contexts: string[], current?: string): string =>
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: ${cluster}, cluster: {server: '${server}'}}]`,
      'users: [{name: me, user: {token: t}}]',
      `contexts: [${contexts.map((name) => `{name: ${name}, context: {cluster: ${cluster}, user: me}}`).join(', ')}]`,
      ...(current ? [`current-context: ${current}`] : []),
      '',
    ].join('\n');

  it('merges the files KUBECONFIG lists, the first to define a name winning, and passes over missing ones', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'one'), config('first', 'https://one.example:6443', ['a']));
    writeFileSync(join(dir, 'two'), config('second', 'https://two.example:6443', ['a', 'b'], 'b'));
    const KUBECONFIG = [join(dir, 'one'), join(dir, 'gone'), join(dir, 'two')].join(':');
    const environment = {env: {KUBECONFIG}, home: dir, inClusterRoot: dir};
    expect(resolveTarget({}, environment)).toMatchObject({context: 'b', cluster: 'second', server: 'https://two.example:6443'});
    expect(resolveTarget({context: 'a'}, environment)).toMatchObject({context: 'a', cluster: 'first', server: 'https://one.example:6443'});
    // --kubeconfig wins over KUBECONFIG; ~/.kube/config is read when neither is given.
    expect(resolveTarget({kubeconfig: join(dir, 'one'), context: 'a'}, environment).server).toBe('https://one.example:6443');
    mkdirSync(join(dir, '.kube'));
    writeFileSync(join(dir, '.kube', 'config'), config('home', 'https://home.example', ['h'], 'h'));
    expect(resolveTarget({}, {...environment, env: {}}).cluster).toBe('home');
    writeFileSync(join(dir, 'empty'), '');
    expect(() => resolveTarget({}, {...environment, env: {KUBECONFIG: [join(dir, 'gone'), join(dir, 'empty')].join(':')}})).toThrow(
      /KUBECONFIG lists no kubeconfig with anything in it/,
    );
    // An empty file in the list adds nothing; the others still count.
    expect(resolveTarget({}, {...environment, env: {KUBECONFIG: [join(dir, 'empty'), join(dir, 'two')].join(':')}}).context).toBe('b');
    writeFileSync(join(dir, 'http'), config('plain', 'http://10.0.0.1:8080', ['p'], 'p'));
    expect(() => resolveTarget({kubeconfig: join(dir, 'http')}, environment)).toThrow(
      /the server must be https:\/\/ \(http:\/\/ only with insecure-skip-tls-verify\)/,
    );
  });

  it("reads the cluster as the pod's own service account when in a cluster with no kubeconfig", async () => {
    const {server: api} = await serve();
    const root = tempDir();
    const accountDir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(accountDir, {recursive: true});
    writeFileSync(join(accountDir, 'token'), api.token);
    writeFileSync(join(accountDir, 'ca.crt'), api.ca);
    writeFileSync(join(accountDir, 'namespace'), 'kubepath');
    const port = new URL(api.url).port;
    const saved = {host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT};
    // client-node's in-cluster loader reads these from the process itself.
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = port;
    try {
      // KUBECONFIG names only a file that is not there: as client-go, the pod's own account is used.
      const target = resolveTarget({}, {env: {...process.env, KUBECONFIG: join(root, 'missing')}, home: root, inClusterRoot: root});
      expect(target).toMatchObject({from: 'in-cluster service account', server: `https://127.0.0.1:${port}`});
      const {snapshot} = await collectCluster(new ApiClient(target), {chunkSize: 50});
      expect(snapshotKeys(snapshot, 'Pod')).toEqual(servedKeys('Pod'));
      expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${api.token}`]));
    } finally {
      for (const [name, value] of [
        ['KUBERNETES_SERVICE_HOST', saved.host],
        ['KUBERNETES_SERVICE_PORT', saved.port],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
