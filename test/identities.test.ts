/**
 * Identities from any subject the API server accepts (issue 18, point 1): a User or
 * Group name may be any non-empty string and a ServiceAccount subject's namespace is
 * not checked, so one odd subject must neither stop a command nor be lost. Ids escape
 * what would make them ambiguous and parse back exactly (src/graph/ids.ts); the three
 * subject files of test/fixtures/identities/ go through every command, from files, a
 * saved snapshot and a live API server; subjects the API server refuses are exit 2.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {parseAllDocuments} from 'yaml';
import {afterEach, describe, expect, it} from 'vitest';
import {startFakeApiServer, type FakeApiServer, type FakeObject} from '../src/bench/fake-api-server.js';
import {buildRbacEngine} from '../src/engines/rbac/engine.js';
import {identityFromId, userIdentity} from '../src/engines/rbac/identities.js';
import {generateCluster} from '../src/generate/cluster.js';
import * as ids from '../src/graph/ids.js';
import {subjectIdentity} from '../src/graph/model.js';
import {parseSelector} from '../src/graph/selector.js';
import {ROOT, runCli, runCliAsync, tempDir} from './helpers/cli.js';
import {loadYaml} from './helpers/load.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'identities');

/** Each subject file, the identity its binding names, and that binding. */
const SUBJECTS = [
  {file: 'user-newline.yaml', id: 'user:alice%0Abob', kind: 'User', name: 'alice\nbob', binding: 'RoleBinding/data/odd-user'},
  {file: 'group-newline.yaml', id: 'group:dev%0Aops', kind: 'Group', name: 'dev\nops', binding: 'RoleBinding/data/odd-group'},
  {
    file: 'serviceaccount-namespace-slash.yaml',
    id: 'user:system:serviceaccount:a/b:c',
    kind: 'User',
    name: 'system:serviceaccount:a/b:c',
    binding: 'RoleBinding/data/odd-account',
  },
] as const;
const SECRET = 'secret:data/db';
const literally = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Names the API server accepts for users and groups, and that ids must carry whole. */
const HOSTILE = [
  'alice\nbob',
  'https://issuer.example/#sub',
  '%0A',
  '100%',
  'a/b',
  'x\u2028y',
  'tab\there',
  '\u202eevil',
  'bell\u0007',
  'nel\u0085',
  'lone\ud800',
  '\udc00',
  '😀',
  ':',
  'system:serviceaccount:a/b:c',
  'system:kube-controller-manager\u200b',
  'tag\u{e0041}',
];

describe('ids', () => {
  it('round-trip every user and group name, and every namespace and name of a split id', () => {
    for (const name of HOSTILE) {
      expect(ids.parseId(ids.userId(name)), JSON.stringify(name)).toEqual({prefix: 'user', components: [name]});
      expect(ids.parseId(ids.groupId(name))).toEqual({prefix: 'group', components: [name]});
      expect(ids.parseId(ids.serviceAccountId(name, 'c'))).toEqual({prefix: 'sa', components: [name, 'c']});
      expect(ids.parseId(ids.workloadId(name, 'Deployment', name))).toEqual({prefix: 'workload', components: [name, 'Deployment', name]});
      expect(ids.namespaceOfId(ids.podId(name, 'web'))).toBe(name);
      // Nothing that could drive a terminal or forge a line is left in an id.
      expect(ids.userId(name)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    }
    expect(ids.userId('alice\nbob')).toBe('user:alice%0Abob');
    expect(ids.userId('https://issuer.example/#sub')).toBe('user:https://issuer.example/#sub');
    expect(ids.serviceAccountId('a/b', 'c')).toBe('sa:a%2Fb/c');
    expect(ids.userId('100%')).toBe('user:100%25');
    // Invisible characters show, so a look-alike of a built-in user cannot pass for it; astral ones as their four bytes.
    expect(ids.userId('system:kube-controller-manager\u200b')).toBe('user:system:kube-controller-manager%E2%80%8B');
    expect(ids.userId('tag\u{e0041}')).toBe('user:tag%F3%A0%81%81');
  });

  it('leave ids of DNS names as they always were: every id of a generated cluster', async () => {
    const {model, graph} = await loadYaml(
      [...generateCluster({pods: 60, seed: 3})].map((object) => JSON.stringify(object)).join('\n---\n'),
    );
    for (const pod of model.pods) expect(pod.id).toBe(`pod:${pod.namespace}/${pod.name}`);
    for (const account of model.serviceAccounts.values()) expect(account.id).toBe(`sa:${account.namespace}/${account.name}`);
    for (const workload of model.workloads) expect(workload.id).toBe(`workload:${workload.namespace}/${workload.kind}/${workload.name}`);
    graph.forEachNode((id, attributes) => {
      const parsed = ids.parseId(id);
      if (!parsed) return expect(['internet', 'cluster-admin']).toContain(id);
      // The components are the node's own namespace and name, written as they are.
      expect(parsed.components.join('/')).toBe(id.slice(parsed.prefix.length + 1));
      expect(parsed.components.at(-1)).toBe(attributes.name);
    });
  });

  it('parse only what the builders write: one spelling per id', () => {
    for (const text of [
      'user:a\nb',
      'user:%0a',
      'user:%41',
      'user:%C0%80',
      'user:%E2%80',
      'user:%',
      'user:',
      'sa:a/b/c',
      'sa:shop',
      'sa:/web',
      'ns:a/b',
      'pod:shop/',
      'internet',
      'vm:x',
    ]) {
      expect(ids.parseId(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('select by the id as printed, the escapes in either case', () => {
    expect(parseSelector('user:alice%0abob').matches('user:alice%0Abob')).toBe(true);
    expect(parseSelector('user:https://issuer.example/*').matches(ids.userId('https://issuer.example/#sub'))).toBe(true);
    expect(parseSelector('ns:a%0Ab').matches('netpol:a%0Ab/deny', 'a\nb')).toBe(true);
  });
});

describe('identities', () => {
  it('are built from their ids without loss', () => {
    expect(identityFromId('user:alice%0Abob')).toMatchObject({kind: 'User', name: 'alice\nbob', username: 'alice\nbob'});
    expect(identityFromId('group:dev%0Aops')).toMatchObject({kind: 'Group', name: 'dev\nops', groups: ['dev\nops']});
    expect(identityFromId('sa:a%0Ab/c')).toMatchObject({
      kind: 'ServiceAccount',
      namespace: 'a\nb',
      name: 'c',
      username: 'system:serviceaccount:a\nb:c',
    });
    for (const name of HOSTILE) expect(identityFromId(ids.groupId(name)).name).toBe(name);
    expect(() => identityFromId('user:alice\nbob')).toThrow(/not an identity id/);
  });

  it('match a service account by its user name as the authorizer does, and no other user name', () => {
    // serviceaccount.MatchesUsername compares system:serviceaccount:<ns>:<name> as one string; a name has no colon.
    expect(userIdentity('system:serviceaccount:shop:web').id).toBe('sa:shop/web');
    expect(userIdentity('system:serviceaccount:a:b:c')).toMatchObject({id: 'sa:a:b/c', namespace: 'a:b', name: 'c'});
    // No namespace can be called a/b: the user name is no service account's.
    expect(userIdentity('system:serviceaccount:a/b:c')).toMatchObject({id: 'user:system:serviceaccount:a/b:c', kind: 'User'});
    expect(userIdentity('system:serviceaccount:shop:').kind).toBe('User');
    expect(subjectIdentity({kind: 'ServiceAccount', name: 'c', namespace: 'a/b'}, 'data')).toEqual({
      id: 'user:system:serviceaccount:a/b:c',
      kind: 'User',
      name: 'system:serviceaccount:a/b:c',
    });
    expect(subjectIdentity({kind: 'ServiceAccount', name: 'c', namespace: 'x\ny'}, 'data')).toEqual({
      id: 'sa:x%0Ay/c',
      kind: 'ServiceAccount',
      namespace: 'x\ny',
      name: 'c',
    });
  });

  it('of hostile subjects get their grants in the engine, and a service account of an odd namespace its groups', async () => {
    const {model} = await loadYaml(
      [
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]',
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: odd}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}\nsubjects:\n${HOSTILE.map((name) => `- {kind: User, name: ${JSON.stringify(name)}}`).join('\n')}\n- {kind: ServiceAccount, name: c, namespace: "x\\ny"}`,
      ].join('\n---\n'),
    );
    const engine = buildRbacEngine(model);
    const allowed = new Set(
      engine.whoCan({verb: 'get', group: '', resource: 'secrets', namespace: 'data'}).map((entry) => entry.identity.id),
    );
    for (const name of HOSTILE) expect(allowed, JSON.stringify(name)).toContain(userIdentity(name).id);
    expect(allowed).toContain('sa:x%0Ay/c');
    expect(engine.identity('sa:x%0Ay/c')?.groups).toEqual([
      'system:authenticated',
      'system:serviceaccounts',
      'system:serviceaccounts:x\ny',
    ]);
  });
});

interface Finding {
  path: {source: string; target: string; steps: Array<{from: string; to: string; type: string; evidence: Array<{object: string}>}>};
}

describe.each(SUBJECTS)('the subject file $file', ({file, id, kind, name, binding}) => {
  const input = join(FIXTURES, file);
  /** A path of one step, the identity reading the secret, through its binding. */
  const expectReadsSecret = (path: Finding['path']) => {
    expect(path).toMatchObject({source: id, target: SECRET, steps: [{from: id, to: SECRET, type: 'CAN_READ_SECRET'}]});
    expect(path.steps[0]!.evidence[0]!.object).toBe(binding);
  };
  const run = (args: string[]) => {
    const result = runCli(args);
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };

  it('analyze, graph, who-can and paths name the identity and its grant', () => {
    const analysis = JSON.parse(run(['analyze', input, '--assume-breach', id, '-o', 'json'])) as {findings: Finding[]};
    expect(analysis.findings).toHaveLength(1);
    expectReadsSecret(analysis.findings[0]!.path);

    const graph = JSON.parse(run(['graph', input, '-o', 'json'])) as {
      nodes: Array<{id: string; kind: string; name: string}>;
      edges: Array<{source: string; target: string; type: string; binding?: string}>;
    };
    expect(graph.nodes.filter((node) => node.id === id)).toEqual([{id, kind, name}]);
    expect(graph.edges.filter((edge) => edge.source === id).map((edge) => [edge.type, edge.target, edge.binding])).toEqual([
      ['HAS_ROLE', 'clusterrole:secret-reader', binding],
      ['CAN_READ_SECRET', SECRET, undefined],
    ]);

    const whoCan = JSON.parse(run(['who-can', 'get', 'secrets', '-n', 'data', input, '-o', 'json'])) as {
      allowed: Array<{identity: string; kind: string; grants: Array<{via: string; binding?: string}>}>;
    };
    expect(whoCan.allowed.filter((entry) => entry.identity === id)).toEqual([
      expect.objectContaining({kind, grants: [expect.objectContaining({via: id, binding})]}),
    ]);
    expect(run(['who-can', 'get', 'secrets', '-n', 'data', input])).toMatch(new RegExp(`^${literally(id)} +${literally(binding)} `, 'm'));

    // The selector as printed, escapes in lower case too.
    const paths = JSON.parse(
      run(['paths', input, '--from', id.toLowerCase() === id ? id : id.replace(/%0A/g, '%0a'), '--to', SECRET, '-o', 'json']),
    ) as {paths: Finding['path'][]};
    expect(paths.paths).toHaveLength(1);
    expectReadsSecret(paths.paths[0]!);
  });

  it('report and the exports hold the identity and its edge', () => {
    const dir = tempDir();
    run(['report', input, '--assume-breach', id, '--out', join(dir, 'report.html')]);
    const report = JSON.parse(
      /<script type="application\/json" id="kubepath-data">([\s\S]*?)<\/script>/.exec(readFileSync(join(dir, 'report.html'), 'utf8'))![1]!,
    ) as {nodes: Array<{id: string; name: string}>; edges: Array<{source: string; target: string; type: string}>};
    expect(report.nodes.filter((node) => node.id === id).map((node) => node.name)).toEqual([name]);
    expect(report.edges.map((edge) => [edge.source, edge.target, edge.type])).toEqual([[id, SECRET, 'CAN_READ_SECRET']]);

    run(['export', 'cypher', input, '--out', join(dir, 'graph.cypher')]);
    const cypher = readFileSync(join(dir, 'graph.cypher'), 'utf8');
    expect(cypher).toContain(`{\`id\`: '${id}', \`properties\`: {\`kind\`: '${kind}', \`name\`: '${name.replace(/\n/g, '\\u000a')}'}}`);
    expect(cypher).toContain(`{\`source\`: '${id}', \`target\`: '${SECRET}', \`key\`: 'CAN_READ_SECRET'`);

    run(['export', 'opengraph', input, '--out', join(dir, 'graph.json')]);
    const opengraph = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as {
      graph: {
        nodes: Array<{id: string; properties: {name: string; kubepath_id: string}}>;
        edges: Array<{start: {value: string}; end: {value: string}; kind: string}>;
      };
    };
    expect(opengraph.graph.nodes.filter((node) => node.properties.kubepath_id === id).map((node) => node.properties.name)).toEqual([name]);

    run(['export', 'csv', input, '--out', join(dir, 'csv')]);
    expect(readFileSync(join(dir, 'csv', 'relationships-CAN_READ_SECRET.csv'), 'utf8')).toContain(`"${id}","${SECRET}","CAN_READ_SECRET"`);
  });

  it('collect saves it, and the saved snapshot analyses as the file does', () => {
    const snapshot = join(tempDir(), 'snapshot.json');
    run(['collect', input, '--out', snapshot]);
    const analysis = JSON.parse(run(['analyze', snapshot, '--assume-breach', id, '-o', 'json'])) as {findings: Finding[]};
    expect(analysis.findings).toHaveLength(1);
    expectReadsSecret(analysis.findings[0]!.path);
  });
});

describe('from a live API server', () => {
  let server: FakeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('analyze and who-can without INPUT name the three identities', async () => {
    // The three files' objects, each once.
    const objects = new Map<string, FakeObject>();
    for (const {file} of SUBJECTS) {
      for (const document of parseAllDocuments(readFileSync(join(FIXTURES, file), 'utf8'))) {
        const object = document.toJS() as FakeObject;
        objects.set(`${object.kind}/${String(object.metadata.namespace)}/${String(object.metadata.name)}`, object);
      }
    }
    server = await startFakeApiServer(objects.values());
    const kubeconfig = join(tempDir(), 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfig());
    const breach = SUBJECTS.flatMap(({id}) => ['--assume-breach', id]);
    const analysis = await runCliAsync(['analyze', '--kubeconfig', kubeconfig, ...breach, '-o', 'json']);
    expect(analysis.status, analysis.stderr).toBe(0);
    const findings = (JSON.parse(analysis.stdout) as {findings: Finding[]}).findings;
    expect(
      findings.map((finding) => [finding.path.source, finding.path.target, finding.path.steps[0]!.evidence[0]!.object]).sort(),
    ).toEqual(SUBJECTS.map(({id, binding}) => [id, SECRET, binding]).sort());
    const whoCan = await runCliAsync(['who-can', 'get', 'secrets', '-n', 'data', '--kubeconfig', kubeconfig, '-o', 'json']);
    expect(whoCan.status, whoCan.stderr).toBe(0);
    const allowed = (JSON.parse(whoCan.stdout) as {allowed: Array<{identity: string}>}).allowed.map((entry) => entry.identity);
    for (const {id} of SUBJECTS) expect(allowed).toContain(id);
  });
});

describe('subjects the API server refuses', () => {
  const binding = (subject: string, roleRef = 'kind: ClusterRole, name: view') =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: odd, namespace: data}\nroleRef: {apiGroup: rbac.authorization.k8s.io, ${roleRef}}\nsubjects:\n- {kind: User, name: fine}\n- ${subject}\n`;
  const cases = [
    {what: 'an empty name', text: binding('{kind: User, name: ""}'), line: 7, error: 'subjects[1].name: a subject needs a name'},
    {what: 'no name', text: binding('{kind: Group}'), line: 7, error: 'subjects[1].name: missing (expected string)'},
    {
      what: 'a ServiceAccount name with /',
      text: binding('{kind: ServiceAccount, name: "a/b", namespace: data}'),
      line: 7,
      error: 'subjects[1].name: a ServiceAccount subject names a service account',
    },
    {
      what: 'a ServiceAccount name in capitals',
      text: binding('{kind: ServiceAccount, name: Web, namespace: data}'),
      line: 7,
      error: 'subjects[1].name: a ServiceAccount subject names a service account',
    },
    {
      what: 'an unknown kind',
      text: binding('{kind: Robot, name: r2}'),
      line: 7,
      error: 'subjects[1].kind: Invalid option: expected one of "User"|"Group"|"ServiceAccount"',
    },
    {
      what: 'a roleRef name with /',
      text: binding('{kind: User, name: other}', 'kind: Role, name: "a/b"'),
      line: 4,
      error: 'roleRef.name: a name must be non-empty, without / or %',
    },
  ];

  it.each(cases)('$what: exit 2, one line naming the file, line and field', ({text, line, error}) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'odd.yaml'), text);
    const result = runCli(['analyze', join(dir, 'odd.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^kubepath: error: ${literally(join(dir, 'odd.yaml'))}:${line}: RoleBinding data/odd: ${literally(error)}[^\n]*\n$`),
    );
  });

  it('in a saved snapshot too', () => {
    const dir = tempDir();
    const snapshot = join(dir, 'snapshot.json');
    expect(runCli(['collect', join(FIXTURES, 'user-newline.yaml'), '--out', snapshot]).status).toBe(0);
    const saved = JSON.parse(readFileSync(snapshot, 'utf8')) as {objects: {roleBindings: Array<{subjects: unknown[]}>}};
    saved.objects.roleBindings[0]!.subjects.push({kind: 'User', name: ''});
    writeFileSync(snapshot, JSON.stringify(saved, null, 2));
    const result = runCli(['analyze', snapshot]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^kubepath: error: ${literally(snapshot)}:\\d+: RoleBinding data/odd-user: subjects\\[1\\]\\.name: a subject needs a name\\n$`,
      ),
    );
  });
});
