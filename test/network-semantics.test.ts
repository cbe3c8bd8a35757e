/**
 * The NetworkPolicy semantics checklist (docs/network.md), one small cluster per
 * rule, positive and negative: what `reach` must and must not conclude.
 */
import {describe, expect, it} from 'vitest';
import {buildNetworkEngine} from '../src/engines/network/engine.js';
import {ingressRoutes} from '../src/engines/network/routes.js';
import {connectivityList} from '../src/output/connlist.js';
import {loadYaml} from './helpers/load.js';

const ns = (name: string, labels = '') =>
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}${labels ? `, labels: {${labels}}` : ''}}\n---\n`;
const pod = (namespace: string, name: string, labels: string, ports = '[{containerPort: 80}]') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: {${labels}}}\nspec: {containers: [{name: c, ports: ${ports}}]}\n---\n`;
const policy = (namespace: string, name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${spec}\n---\n`;

/** `src => dst` to CONN, for every connection reach reports. */
async function reach(yaml: string): Promise<Record<string, string>> {
  const {model} = await loadYaml(yaml);
  const engine = buildNetworkEngine(model);
  return Object.fromEntries([...connectivityList(engine, ingressRoutes(model, engine))].map((l) => [`${l.src} => ${l.dst}`, l.conn]));
}

const ANY = '0.0.0.0-255.255.255.255[External]';
const TWO_PODS =
  ns('a') +
  pod('a', 'client', 'app: client') +
  pod('a', 'server', 'app: server', '[{containerPort: 80, name: http}, {containerPort: 53, name: dns, protocol: UDP}]');

describe('NetworkPolicy v1 semantics', () => {
  it('without policies everything is open, to and from outside too', async () => {
    const conns = await reach(TWO_PODS);
    expect(conns['a/client[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(conns[`${ANY} => a/server[Pod]`]).toBe('All Connections');
    expect(conns[`a/server[Pod] => ${ANY}`]).toBe('All Connections');
  });

  it('a policy with no ingress rules isolates its pods: nothing gets in, egress stays open', async () => {
    const conns = await reach(TWO_PODS + policy('a', 'deny', '{podSelector: {matchLabels: {app: server}}}'));
    expect(conns['a/client[Pod] => a/server[Pod]']).toBeUndefined();
    expect(conns[`${ANY} => a/server[Pod]`]).toBeUndefined();
    expect(conns[`a/server[Pod] => ${ANY}`]).toBe('All Connections');
  });

  it('`egress: []` without policyTypes does not isolate egress; with policyTypes: [Egress] it does', async () => {
    const open = await reach(TWO_PODS + policy('a', 'p', '{podSelector: {matchLabels: {app: client}}, egress: []}'));
    expect(open['a/client[Pod] => a/server[Pod]']).toBe('All Connections');
    const closed = await reach(
      TWO_PODS + policy('a', 'p', '{podSelector: {matchLabels: {app: client}}, policyTypes: [Egress], egress: []}'),
    );
    expect(closed['a/client[Pod] => a/server[Pod]']).toBeUndefined();
    expect(closed[`a/client[Pod] => ${ANY}`]).toBeUndefined();
    expect(closed[`${ANY} => a/client[Pod]`]).toBe('All Connections');
  });

  it('`ingress: [{}]` admits every source, outside the cluster too, and voids a deny-all', async () => {
    const conns = await reach(
      TWO_PODS +
        policy('a', 'deny', '{podSelector: {}}') +
        policy('a', 'all', '{podSelector: {matchLabels: {app: server}}, ingress: [{}]}'),
    );
    expect(conns['a/client[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(conns[`${ANY} => a/server[Pod]`]).toBe('All Connections');
    expect(conns['a/server[Pod] => a/client[Pod]']).toBeUndefined();
  });

  const CROSS =
    ns('a', 'team: ex') +
    ns('b', 'team: why') +
    pod('a', 'server', 'app: server') +
    pod('a', 'web', 'app: web') +
    pod('b', 'web', 'app: web') +
    pod('b', 'db', 'app: db');

  it('namespaceSelector and podSelector in one peer AND; in two peers OR', async () => {
    const and = await reach(
      CROSS +
        policy(
          'a',
          'p',
          '{podSelector: {matchLabels: {app: server}}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: why}}, podSelector: {matchLabels: {app: web}}}]}]}',
        ),
    );
    expect(and['b/web[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(and['b/db[Pod] => a/server[Pod]']).toBeUndefined();
    expect(and['a/web[Pod] => a/server[Pod]']).toBeUndefined();
    const or = await reach(
      CROSS +
        policy(
          'a',
          'p',
          '{podSelector: {matchLabels: {app: server}}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: why}}}, {podSelector: {matchLabels: {app: web}}}]}]}',
        ),
    );
    expect(or['b/web[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(or['b/db[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(or['a/web[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(or[`${ANY} => a/server[Pod]`]).toBeUndefined();
  });

  it('a podSelector-only peer means pods of the policy namespace; namespaces match by the synthesised name label', async () => {
    const own = await reach(
      CROSS +
        policy('a', 'p', '{podSelector: {matchLabels: {app: server}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}'),
    );
    expect(own['a/web[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(own['b/web[Pod] => a/server[Pod]']).toBeUndefined();
    const byName = await reach(
      CROSS +
        policy(
          'a',
          'p',
          "{podSelector: {matchLabels: {app: server}}, ingress: [{from: [{namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': b}}}]}]}",
        ),
    );
    expect(byName['b/db[Pod] => a/server[Pod]']).toBe('All Connections');
    expect(byName['a/web[Pod] => a/server[Pod]']).toBeUndefined();
  });

  it('ports: TCP by default, endPort ranges, a protocol with no port means all its ports', async () => {
    const conns = await reach(
      TWO_PODS +
        policy(
          'a',
          'p',
          '{podSelector: {matchLabels: {app: server}}, ingress: [{ports: [{port: 8000, endPort: 8080}, {protocol: UDP}, {port: 443}]}]}',
        ),
    );
    expect(conns['a/client[Pod] => a/server[Pod]']).toBe('TCP 443,8000-8080,UDP 1-65535');
  });

  it('named ports resolve on the destination, and only with the same protocol', async () => {
    const conns = await reach(
      TWO_PODS +
        policy(
          'a',
          'p',
          '{podSelector: {matchLabels: {app: server}}, ingress: [{ports: [{port: http}, {port: dns}, {port: dns, protocol: UDP}, {port: nope}]}]}',
        ),
    );
    // `dns` over TCP (the default) names no TCP port: that entry matches nothing.
    expect(conns['a/client[Pod] => a/server[Pod]']).toBe('TCP 80,UDP 53');
  });

  it('a connection needs the source egress and the destination ingress', async () => {
    const conns = await reach(
      TWO_PODS +
        policy('a', 'in', '{podSelector: {matchLabels: {app: server}}, ingress: [{ports: [{port: 80}, {port: 81}]}]}') +
        policy(
          'a',
          'out',
          '{podSelector: {matchLabels: {app: client}}, policyTypes: [Egress], egress: [{ports: [{port: 81}, {port: 82}]}]}',
        ),
    );
    expect(conns['a/client[Pod] => a/server[Pod]']).toBe('TCP 81');
  });

  it('ipBlock with except cuts the outside into atoms; pods are not matched by ipBlocks', async () => {
    const conns = await reach(
      TWO_PODS +
        policy(
          'a',
          'p',
          '{podSelector: {matchLabels: {app: server}}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]}',
        ),
    );
    expect(conns['0.0.0.0-9.255.255.255[External] => a/server[Pod]']).toBeUndefined();
    expect(conns['10.0.0.0-10.0.255.255[External] => a/server[Pod]']).toBe('All Connections');
    expect(conns['10.1.0.0-10.1.255.255[External] => a/server[Pod]']).toBeUndefined();
    expect(conns['10.2.0.0-10.255.255.255[External] => a/server[Pod]']).toBe('All Connections');
    expect(conns['a/client[Pod] => a/server[Pod]']).toBeUndefined();
  });
});

const admin = (kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy', name: string, spec: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n---\n`;

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy tiers', () => {
  const subject = '{namespaces: {matchLabels: {"kubernetes.io/metadata.name": a}}}';
  const fromA = '[{namespaces: {matchLabels: {"kubernetes.io/metadata.name": a}}}]';

  it('an ANP Allow wins over a NetworkPolicy deny, a Deny over a NetworkPolicy allow', async () => {
    const allow = await reach(
      TWO_PODS +
        policy('a', 'deny', '{podSelector: {}}') +
        admin(
          'AdminNetworkPolicy',
          'x',
          `{priority: 10, subject: ${subject}, ingress: [{action: Allow, from: ${fromA}, ports: [{portNumber: {protocol: TCP, port: 80}}]}]}`,
        ),
    );
    expect(allow['a/client[Pod] => a/server[Pod]']).toBe('TCP 80');
    const deny = await reach(
      TWO_PODS +
        policy('a', 'all', '{podSelector: {}, ingress: [{}]}') +
        admin('AdminNetworkPolicy', 'x', `{priority: 10, subject: ${subject}, ingress: [{action: Deny, from: ${fromA}}]}`),
    );
    expect(deny['a/client[Pod] => a/server[Pod]']).toBeUndefined();
    expect(deny[`${ANY} => a/server[Pod]`]).toBe('All Connections');
  });

  it('lower priority numbers and earlier rules decide first, port by port', async () => {
    const conns = await reach(
      TWO_PODS +
        admin('AdminNetworkPolicy', 'late', `{priority: 20, subject: ${subject}, ingress: [{action: Allow, from: ${fromA}}]}`) +
        admin(
          'AdminNetworkPolicy',
          'early',
          `{priority: 5, subject: ${subject}, ingress: [{action: Deny, from: ${fromA}, ports: [{portRange: {protocol: TCP, start: 1, end: 79}}]}, {action: Allow, from: ${fromA}, ports: [{portNumber: {protocol: TCP, port: 20}}]}]}`,
        ),
    );
    expect(conns['a/client[Pod] => a/server[Pod]']).toBe('SCTP 1-65535,TCP 80-65535,UDP 1-65535');
  });

  it('Pass hands a port to the NetworkPolicy tier, and to the baseline when no NetworkPolicy selects the pod', async () => {
    const pass = `{priority: 1, subject: ${subject}, ingress: [{action: Pass, from: ${fromA}, ports: [{portNumber: {protocol: TCP, port: 80}}]}, {action: Deny, from: ${fromA}}]}`;
    const toPolicy = await reach(
      TWO_PODS +
        admin('AdminNetworkPolicy', 'x', pass) +
        policy('a', 'p', '{podSelector: {matchLabels: {app: server}}, ingress: [{ports: [{port: 80}]}]}'),
    );
    expect(toPolicy['a/client[Pod] => a/server[Pod]']).toBe('TCP 80');
    const denyingPolicy = await reach(
      TWO_PODS + admin('AdminNetworkPolicy', 'x', pass) + policy('a', 'p', '{podSelector: {matchLabels: {app: server}}}'),
    );
    expect(denyingPolicy['a/client[Pod] => a/server[Pod]']).toBeUndefined();
    const toBaseline = await reach(
      TWO_PODS +
        admin('AdminNetworkPolicy', 'x', pass) +
        admin(
          'BaselineAdminNetworkPolicy',
          'default',
          `{subject: ${subject}, ingress: [{action: Deny, from: ${fromA}, ports: [{portNumber: {protocol: TCP, port: 80}}]}]}`,
        ),
    );
    expect(toBaseline['a/client[Pod] => a/server[Pod]']).toBeUndefined();
  });

  it('the baseline applies only where no NetworkPolicy selects the pod', async () => {
    const banp = admin('BaselineAdminNetworkPolicy', 'default', `{subject: ${subject}, ingress: [{action: Deny, from: ${fromA}}]}`);
    const baselineOnly = await reach(TWO_PODS + banp);
    expect(baselineOnly['a/client[Pod] => a/server[Pod]']).toBeUndefined();
    expect(baselineOnly[`${ANY} => a/server[Pod]`]).toBe('All Connections');
    const policyFirst = await reach(
      TWO_PODS + banp + policy('a', 'p', '{podSelector: {matchLabels: {app: server}}, ingress: [{ports: [{port: 80}]}]}'),
    );
    expect(policyFirst['a/client[Pod] => a/server[Pod]']).toBe('TCP 80');
    expect(policyFirst['a/server[Pod] => a/client[Pod]']).toBeUndefined();
  });
});
