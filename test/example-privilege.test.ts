/**
 * The RBAC rules on the bundled example (examples/multi-tenant): the edges its README
 * names in the genuine paths P1-P13, and none of those its non-paths N1-N15 rule out,
 * for every rule of the rbac family (IS_CLUSTER_ADMIN, CAN_READ_SECRET, CAN_EXEC, ...).
 * Written from the README's statements, not from tool output.
 */
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {createRuleContext} from '../src/engines/context.js';
import {RULES} from '../src/edges/index.js';
import {ruleEdges, type AttackEdge} from '../src/edges/rule.js';
import {buildGraph} from '../src/graph/build.js';
import {buildModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {ROOT} from './helpers/cli.js';

let edges: Map<string, AttackEdge[]>;
let secrets: string[];
let graphBuilds: () => unknown;

/** `SOURCE -> TARGET` of the rule's edges. */
const drawn = (type: string): Set<string> => new Set((edges.get(type) ?? []).map((e) => `${e.source} -> ${e.target}`));
const from = (type: string, source: string): string[] =>
  (edges.get(type) ?? [])
    .filter((e) => e.source === source)
    .map((e) => e.target)
    .sort();

beforeAll(async () => {
  const {snapshot} = await loadInputs([join(ROOT, 'examples', 'multi-tenant')]);
  const model = buildModel(snapshot);
  const context = createRuleContext(model);
  edges = new Map(RULES.filter((rule) => rule.family === 'rbac').map((rule) => [rule.type, ruleEdges(rule, context)]));
  graphBuilds = () => buildGraph(model);
  secrets = snapshot.objects.secrets.map((s) => `secret:${s.metadata.namespace}/${s.metadata.name}`).sort();
});

describe('examples/multi-tenant: IS_CLUSTER_ADMIN', () => {
  it('P1.7, P10: the cluster-operator account and group platform-admins', () => {
    expect(drawn('IS_CLUSTER_ADMIN')).toContain('sa:platform-ops/cluster-operator -> cluster-admin');
    expect(drawn('IS_CLUSTER_ADMIN')).toContain('group:platform-admins -> cluster-admin');
  });
  it('N9-N13: read-only people, narrow impersonation or bind, payments deployer are not', () => {
    for (const source of [
      'group:auditors',
      'user:readonly@acme.example',
      'user:support-bot@acme.example',
      'group:identity-leads',
      'sa:ci/deployer-payments',
      'sa:monitoring/prometheus',
    ]) {
      expect(drawn('IS_CLUSTER_ADMIN')).not.toContain(`${source} -> cluster-admin`);
    }
  });
});

describe('examples/multi-tenant: CAN_READ_SECRET', () => {
  it('P2.3: the ingress controller lists every one of the 34 secrets', () => {
    expect(secrets).toHaveLength(34);
    expect(from('CAN_READ_SECRET', 'sa:ingress-nginx/ingress-nginx')).toEqual(expect.arrayContaining(secrets));
    expect(drawn('CAN_READ_SECRET')).toContain('sa:ingress-nginx/ingress-nginx -> secret:ci/deployer-payments-token');
  });
  it('P3: the admission-job account reads the secrets of ingress-nginx', () => {
    const own = secrets.filter((s) => s.startsWith('secret:ingress-nginx/'));
    expect(own).toHaveLength(2);
    expect(from('CAN_READ_SECRET', 'sa:ingress-nginx/ingress-nginx-admission')).toEqual(expect.arrayContaining(own));
  });
  it('P4.2, P7c, P7d: backup, shop deployer, CI runner', () => {
    expect(drawn('CAN_READ_SECRET')).toContain('sa:batch/cluster-backup -> secret:platform-ops/cluster-operator-token');
    expect(drawn('CAN_READ_SECRET')).toContain('sa:ci/gitlab-runner -> secret:ci/deployer-payments-token');
    const shop = secrets.filter((s) => s.startsWith('secret:shop/'));
    expect(shop.length).toBeGreaterThan(0);
    expect(from('CAN_READ_SECRET', 'sa:ci/deployer-shop')).toEqual(expect.arrayContaining(shop));
  });
  it('N14: payments-api reads stripe-api-key and no other secret', () => {
    expect(from('CAN_READ_SECRET', 'sa:payments/payments-api')).toEqual(['secret:payments/stripe-api-key']);
  });
  it('P9, N9, N12: the payments deployer, read-only people and kube-state-metrics read none', () => {
    for (const source of [
      'sa:ci/deployer-payments',
      'sa:monitoring/kube-state-metrics',
      'group:auditors',
      'user:readonly@acme.example',
      'group:shop-devs',
      'user:bob@acme.example',
      'group:payments-devs',
    ]) {
      expect(from('CAN_READ_SECRET', source), source).toEqual([]);
    }
  });
});

describe('examples/multi-tenant: CAN_EXEC', () => {
  it('P1.3: storefront and group dba exec into every data pod', () => {
    for (const source of ['sa:shop/storefront', 'group:dba']) {
      for (const pod of ['local-volume-provisioner', 'postgres', 'redis', 'postgres-exporter'])
        expect(drawn('CAN_EXEC')).toContain(`${source} -> pod:data/${pod}`);
    }
  });
  it('P5.4: fluent-bit reaches every pod through get nodes/proxy (conditional)', () => {
    const edge = edges
      .get('CAN_EXEC')!
      .find((e) => e.source === 'sa:logging/fluent-bit' && e.target === 'pod:platform-ops/cluster-operator');
    expect(edge?.attributes.certainty).toBe('conditional');
    expect(from('CAN_EXEC', 'sa:logging/fluent-bit')).toHaveLength(43);
  });
  it('P7b, P7c: the CI runner into docker-builder, the shop deployer into netshoot-debug', () => {
    expect(drawn('CAN_EXEC')).toContain('sa:ci/gitlab-runner -> pod:ci/docker-builder');
    expect(drawn('CAN_EXEC')).toContain('sa:ci/deployer-shop -> pod:shop/netshoot-debug');
  });
  it('N9, N12: prometheus and read-only people exec nowhere', () => {
    for (const source of [
      'sa:monitoring/prometheus',
      'group:auditors',
      'user:readonly@acme.example',
      'group:shop-devs',
      'user:bob@acme.example',
      'group:payments-devs',
    ]) {
      expect(from('CAN_EXEC', source), source).toEqual([]);
    }
  });
});

describe('examples/multi-tenant: CAN_CREATE_POD_AS', () => {
  it('P4.1: group data-team runs a pod as the backup account', () => {
    expect(drawn('CAN_CREATE_POD_AS')).toContain('group:data-team -> sa:batch/cluster-backup');
  });
  it('P7c, P7e: the CI runner as the shop deployer and the release bot', () => {
    expect(drawn('CAN_CREATE_POD_AS')).toContain('sa:ci/gitlab-runner -> sa:ci/deployer-shop');
    expect(drawn('CAN_CREATE_POD_AS')).toContain('sa:ci/gitlab-runner -> sa:ci/release-bot');
  });
  it('P9: the payments deployer as every account of payments, and nothing outside payments', () => {
    const payments = ['card-vault', 'default', 'ledger-reconcile', 'payments-admin', 'payments-api', 'payments-worker'].map(
      (n) => `sa:payments/${n}`,
    );
    expect(from('CAN_CREATE_POD_AS', 'sa:ci/deployer-payments')).toEqual(payments);
  });
  it('N9: read-only people create nothing', () => {
    for (const source of [
      'group:auditors',
      'user:readonly@acme.example',
      'group:shop-devs',
      'user:bob@acme.example',
      'group:payments-devs',
    ]) {
      expect(from('CAN_CREATE_POD_AS', source), source).toEqual([]);
    }
  });
});

const READ_ONLY = ['group:auditors', 'user:readonly@acme.example', 'group:shop-devs', 'user:bob@acme.example', 'group:payments-devs'];

describe('examples/multi-tenant: CAN_CREATE_PRIVILEGED_POD', () => {
  it('P7a, P7c: the CI runner (ci is privileged) and the shop deployer (shop has no PSA label)', () => {
    expect(drawn('CAN_CREATE_PRIVILEGED_POD')).toContain('sa:ci/gitlab-runner -> node:<unscheduled>');
    expect(drawn('CAN_CREATE_PRIVILEGED_POD')).toContain('sa:ci/deployer-shop -> node:<unscheduled>');
  });
  it('P9, N13, N9: payments (restricted) and batch (baseline) deployers, read-only people: none', () => {
    for (const source of ['sa:ci/deployer-payments', 'group:data-team', ...READ_ONLY])
      expect(from('CAN_CREATE_PRIVILEGED_POD', source), source).toEqual([]);
  });
});

describe('examples/multi-tenant: CAN_PATCH', () => {
  it('P9: the payments deployer patches the Deployments of payments, not the CronJob', () => {
    for (const pod of ['payments-api', 'payments-worker', 'card-vault', 'payments-admin'])
      expect(drawn('CAN_PATCH')).toContain(`sa:ci/deployer-payments -> pod:payments/${pod}`);
    expect(drawn('CAN_PATCH')).not.toContain('sa:ci/deployer-payments -> pod:payments/ledger-reconcile');
  });
  it('N9: read-only people patch nothing', () => {
    for (const source of READ_ONLY) expect(from('CAN_PATCH', source), source).toEqual([]);
  });
});

describe('examples/multi-tenant: CAN_MINT_TOKEN', () => {
  it('P3: the admission-job account mints a token for the controller account', () => {
    expect(drawn('CAN_MINT_TOKEN')).toContain('sa:ingress-nginx/ingress-nginx-admission -> sa:ingress-nginx/ingress-nginx');
  });
  it('P4.1, P7c: edit in batch mints the backup account; the CI runner mints the shop deployer', () => {
    expect(drawn('CAN_MINT_TOKEN')).toContain('group:data-team -> sa:batch/cluster-backup');
    expect(drawn('CAN_MINT_TOKEN')).toContain('sa:ci/gitlab-runner -> sa:ci/deployer-shop');
  });
});

describe('examples/multi-tenant: CAN_IMPERSONATE', () => {
  it('P4.1: edit in batch impersonates the backup account', () => {
    expect(drawn('CAN_IMPERSONATE')).toContain('group:data-team -> sa:batch/cluster-backup');
  });
  it('P10: group sre acts as system:masters (no graph node here: the edge reaches cluster-admin) and as any user or account', () => {
    expect(drawn('CAN_IMPERSONATE')).toContain('group:sre -> cluster-admin');
    expect(drawn('CAN_IMPERSONATE')).toContain('group:sre -> sa:platform-ops/cluster-operator');
    expect(drawn('CAN_IMPERSONATE')).toContain('group:sre -> user:readonly@acme.example');
  });
  it('N10: support-bot impersonates readonly@acme.example only', () => {
    expect(from('CAN_IMPERSONATE', 'user:support-bot@acme.example')).toEqual(['user:readonly@acme.example']);
  });
});

describe('examples/multi-tenant: CAN_ESCALATE', () => {
  it('P10: rbac-manager binds cluster-admin to itself', () => {
    expect(drawn('CAN_ESCALATE')).toContain('sa:platform-ops/rbac-manager -> cluster-admin');
  });
  it('N11, N13, N9: identity-leads (bind on view only, clusterrolebindings in a Role), the payments deployer, read-only people', () => {
    for (const source of ['group:identity-leads', 'sa:ci/deployer-payments', 'user:support-bot@acme.example', ...READ_ONLY]) {
      expect(from('CAN_ESCALATE', source), source).toEqual([]);
    }
  });
});

describe('examples/multi-tenant: graph', () => {
  it('every RBAC edge joins nodes of the graph', () => {
    expect(graphBuilds).not.toThrow();
  });
});
