/**
 * `kubepath reach` as users call it: --from/--to narrow the list to exactly the lines
 * the full list holds for those peers, --explain names the rule behind each verdict,
 * --cni switches plugin behaviour, and bad selectors are usage errors (exit 2).
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EXAMPLE, runCli} from './helpers/cli.js';
import {writeFiles} from './helpers/load.js';

interface Line {
  src: string;
  dst: string;
  conn: string;
}

function reachJson(args: string[]): Line[] {
  const result = runCli(['reach', ...args, '-o', 'json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Line[];
}

const SMALL = writeFiles({
  'cluster.yaml': `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {nodeName: n1, containers: [{name: web, image: web}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: shop, labels: {app: agent}}
spec: {nodeName: n1, hostNetwork: true, containers: [{name: agent, image: agent}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {nodeName: n1, containers: [{name: db, image: db, ports: [{containerPort: 5432, name: pg}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [web, agent]}]}}], ports: [{port: pg}]}]
`,
});

describe('reach --from / --to', () => {
  const all = reachJson([EXAMPLE]);

  it('gives exactly the full list restricted to the selected sources or destinations', () => {
    expect(all.length).toBeGreaterThan(100);
    const fromShop = reachJson([EXAMPLE, '--from', 'ns:shop']);
    expect(fromShop.length).toBeGreaterThan(0);
    expect(fromShop).toEqual(all.filter((l) => l.src.startsWith('shop/')));
    const toPayments = reachJson([EXAMPLE, '--to', 'ns:payments', '--to', 'ns:data']);
    expect(toPayments).toEqual(all.filter((l) => l.dst.startsWith('payments/') || l.dst.startsWith('data/')));
  });

  it('takes workload ids, pod wildcards, peer names and internet', () => {
    const storefront = all.filter((l) => l.src === 'shop/storefront[Deployment]');
    expect(reachJson([EXAMPLE, '--from', 'workload:shop/Deployment/storefront'])).toEqual(storefront);
    expect(reachJson([EXAMPLE, '--from', 'shop/storefront[Deployment]'])).toEqual(storefront);
    expect(reachJson([EXAMPLE, '--from', 'pod:shop/store*'])).toEqual(storefront);
    const fromOutside = reachJson([EXAMPLE, '--from', 'internet']);
    expect(fromOutside.length).toBeGreaterThan(0);
    expect(fromOutside).toEqual(all.filter((l) => l.src.endsWith('[External]') || l.src === '{ingress-controller}'));
  });

  it('refuses a selector it cannot read, or one that picks nothing, with exit 2 and one line', () => {
    for (const [selector, message] of [
      ['bogus', /unknown selector "bogus"/],
      ['pod:nowhere/x', /"pod:nowhere\/x" matches no workload or pod/],
    ] as const) {
      const result = runCli(['reach', EXAMPLE, '--from', selector]);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('reach --explain', () => {
  it('names the allowing rule per port and the isolation that denies the rest', () => {
    const result = runCli(['reach', join(SMALL, 'cluster.yaml'), '--explain', 'pod:shop/web', 'pod:shop/db']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        'shop/web[Pod] => shop/db[Pod] : TCP 5432',
        '  egress of shop/web[Pod]:',
        '    allow All Connections [default] no NetworkPolicy selects it for egress',
        '  ingress of shop/db[Pod]:',
        '    allow TCP 5432 [NetworkPolicy] NetworkPolicy/shop/db spec.ingress[0]',
        '    deny SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535 [NetworkPolicy] isolated for ingress by NetworkPolicy/shop/db, and no rule of theirs allows these',
        '',
      ].join('\n'),
    );
  });

  it('lists denied pairs too, and gives the verdicts as JSON', () => {
    const result = runCli(['reach', join(SMALL, 'cluster.yaml'), '--explain', 'pod:shop/db', 'ns:shop', '-o', 'json']);
    expect(result.status, result.stderr).toBe(0);
    const explanations = JSON.parse(result.stdout);
    expect(explanations.map((e: {dst: string; conn: string}) => `${e.dst} ${e.conn}`)).toEqual([
      'shop/agent[Pod] All Connections',
      'shop/web[Pod] All Connections',
    ]);
    const back = JSON.parse(
      runCli(['reach', join(SMALL, 'cluster.yaml'), '--explain', 'pod:shop/agent', 'pod:shop/db', '--cni', 'cilium', '-o', 'json']).stdout,
    );
    // Under cilium the agent is node traffic: the selector no longer admits it.
    expect(back).toEqual([
      {
        src: 'shop/agent[Pod]',
        dst: 'shop/db[Pod]',
        conn: 'No Connections',
        egress: [
          {
            tier: 'default',
            action: 'Allow',
            ports: 'All Connections',
            by: 'host network: outside NetworkPolicy under the cilium CNI profile',
          },
        ],
        ingress: [
          {
            tier: 'NetworkPolicy',
            action: 'Deny',
            ports: 'All Connections',
            by: 'isolated for ingress by NetworkPolicy/shop/db, and no rule of theirs allows these',
          },
        ],
      },
    ]);
  });

  it('takes exactly two selectors', () => {
    const result = runCli(['reach', join(SMALL, 'cluster.yaml'), '--explain', 'pod:shop/web']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--explain takes two selectors, SRC and DST, not 1/);
  });
});

describe('reach --cni', () => {
  it('generic treats a host-networked pod as a pod; cilium as its node', () => {
    const file = join(SMALL, 'cluster.yaml');
    const line = (lines: Line[]) => lines.find((l) => l.src === 'shop/agent[Pod]' && l.dst === 'shop/db[Pod]')?.conn;
    expect(line(reachJson([file]))).toBe('TCP 5432');
    expect(line(reachJson([file, '--cni', 'cilium']))).toBeUndefined();
    const bad = runCli(['reach', file, '--cni', 'weave']);
    expect(bad.status).toBe(2);
  });
});

describe('policies the API server would reject', () => {
  const policy = (spec: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: web}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: shop}
spec:
  podSelector: {}
${spec}
`;
  it.each([
    ['an empty peer', '  ingress: [{from: [{}]}]', 'spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock'],
    [
      'ipBlock with a selector',
      '  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]',
      'spec.ingress[0].from[0]: ipBlock cannot be combined with podSelector or namespaceSelector',
    ],
    [
      'endPort with a named port',
      '  ingress: [{ports: [{port: http, endPort: 90}]}]',
      'spec.ingress[0].ports[0]: endPort cannot be used with the named port "http"',
    ],
    ['endPort below port', '  egress: [{ports: [{port: 90, endPort: 80}]}]', 'spec.egress[0].ports[0]: endPort 80 is below port 90'],
    [
      'a malformed CIDR',
      '  ingress: [{from: [{ipBlock: {cidr: 10.0.0.300/8}}]}]',
      'spec.ingress[0].from[0].ipBlock: not a CIDR: "10.0.0.300/8"',
    ],
    [
      'In without values',
      '  ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: In}]}}]}]',
      'spec.ingress[0].from[0].podSelector.matchExpressions[0]: In needs values',
    ],
  ])('%s: exit 2, naming the file, line, policy and field, for reach and graph', (_name, spec, detail) => {
    const dir = writeFiles({'bad.yaml': policy(spec)});
    for (const command of [['reach'], ['graph', '-o', 'json']]) {
      const result = runCli([...command, join(dir, 'bad.yaml')]);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`kubepath: error: ${join(dir, 'bad.yaml')}:6: NetworkPolicy/shop/bad: ${detail}\n`);
    }
  });
});

describe('admin policies the API server would reject', () => {
  const admin = (kind: string, name: string, spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: ${kind}
metadata: {name: ${name}}
spec:
${spec}
`;
  it.each([
    [
      'networks as a string',
      admin(
        'AdminNetworkPolicy',
        'x',
        '  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny, to: [{networks: 10.0.0.0/8}]}]',
      ),
      ':7: AdminNetworkPolicy x: spec.egress[0].to[0].networks: expected array, received string',
    ],
    [
      'a lower-case protocol',
      admin(
        'AdminNetworkPolicy',
        'x',
        '  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny, to: [{namespaces: {}}], ports: [{portNumber: {protocol: tcp, port: 80}}]}]',
      ),
      'spec.egress[0].ports[0].portNumber.protocol: Invalid option',
    ],
    [
      'a port number without port',
      admin(
        'AdminNetworkPolicy',
        'x',
        '  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP}}]}]',
      ),
      'spec.ingress[0].ports[0].portNumber.port: missing',
    ],
    [
      'an inverted port range',
      admin(
        'AdminNetworkPolicy',
        'x',
        '  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {}}], ports: [{portRange: {start: 90, end: 80}}]}]',
      ),
      'a portRange needs start below end',
    ],
    [
      'a subject with neither namespaces nor pods',
      admin('AdminNetworkPolicy', 'x', '  priority: 1\n  subject: {namespaceSelector: {}}'),
      'spec.subject: a subject sets exactly one of namespaces, pods',
    ],
    [
      'a nodes peer on ingress',
      admin('AdminNetworkPolicy', 'x', '  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{nodes: {}}]}]'),
      'spec.ingress[0].from[0]: an ingress peer sets exactly one of namespaces, pods',
    ],
    [
      'a Pass in the baseline',
      admin('BaselineAdminNetworkPolicy', 'default', '  subject: {namespaces: {}}\n  ingress: [{action: Pass, from: [{namespaces: {}}]}]'),
      'spec.ingress[0].action: BaselineAdminNetworkPolicy action must be one of Allow, Deny, not "Pass"',
    ],
    [
      'a baseline not named default',
      admin('BaselineAdminNetworkPolicy', 'other', '  subject: {namespaces: {}}'),
      'metadata.name: the BaselineAdminNetworkPolicy is a singleton named default',
    ],
  ])('%s: exit 2 with the file and what is wrong', (_name, text, detail) => {
    const dir = writeFiles({'bad.yaml': text});
    const result = runCli(['reach', join(dir, 'bad.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`kubepath: error: ${join(dir, 'bad.yaml')}`);
    expect(result.stderr).toContain(detail);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a NetworkPolicy port outside 1-65535, a numeric string port, or an except outside its cidr', () => {
    for (const [rule, detail] of [
      ['ingress: [{ports: [{port: 0}]}]', 'a port is 1 to 65535'],
      ['ingress: [{ports: [{port: "8080"}]}]', 'a port name is 1 to 15 lower-case letters'],
      [
        'ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}]',
        'except "10.1.0.0/24" is not inside cidr "10.0.0.0/16"',
      ],
    ]) {
      const dir = writeFiles({
        'bad.yaml': `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  podSelector: {}\n  ${rule}\n`,
      });
      const result = runCli(['reach', join(dir, 'bad.yaml')]);
      expect(result.status, rule).toBe(2);
      expect(result.stderr, rule).toContain(detail);
    }
  });
});
