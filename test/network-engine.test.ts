/**
 * The network engine's two ways in must agree: the bitset sweep (`reachableFrom`, what
 * path search reads) against the exact per-pair evaluation (`connection`, what `reach`
 * prints), on every class pair of the reference corpus, the bundled example and
 * generated clusters, under every CNI profile. Plus the class grouping and the bitsets.
 */
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRuleContext} from '../src/engines/context.js';
import {podNetworkReach} from '../src/edges/pod-network-reach.js';
import {ClassSet} from '../src/engines/network/classset.js';
import {buildNetworkEngine, type NetworkEngine} from '../src/engines/network/engine.js';
import {CNI_PROFILES} from '../src/engines/network/profile.js';
import {CORPUS, EXAMPLE, generatedCluster} from './helpers/cli.js';
import {loadAll, loadYaml} from './helpers/load.js';

/** Class pairs where the sweep and the exact evaluation disagree (empty when they agree). */
function disagreements(engine: NetworkEngine): string[] {
  const problems: string[] = [];
  for (const source of engine.classes) {
    const reached = engine.reachableFrom(source);
    for (const destination of engine.classes) {
      const exact = !engine.connection({kind: 'pod', cls: source}, {kind: 'pod', cls: destination}).isEmpty();
      if (reached.has(destination.index) !== exact)
        problems.push(`${source.pods[0]} -> ${destination.pods[0]}: sweep ${!exact}, exact ${exact}`);
    }
  }
  return problems;
}

const NETPOL_CASES = readdirSync(join(CORPUS, 'netpol-analyzer', 'cases')).sort();

describe('reachableFrom agrees with connection on every class pair', () => {
  it.each(NETPOL_CASES)('netpol-analyzer case %s', async (name) => {
    const {model} = await loadAll([join(CORPUS, 'netpol-analyzer', 'cases', name)]);
    for (const profile of Object.values(CNI_PROFILES)) expect(disagreements(buildNetworkEngine(model, profile)), profile.name).toEqual([]);
  });

  it('the bundled example, under every profile', async () => {
    const {model} = await loadAll([EXAMPLE]);
    for (const profile of Object.values(CNI_PROFILES)) expect(disagreements(buildNetworkEngine(model, profile)), profile.name).toEqual([]);
  });

  it.each([
    [1500, 1],
    [1500, 2],
    [3000, 5],
  ])('a generated cluster of %i pods (seed %i), under every profile', async (pods, seed) => {
    const {model} = await loadAll([generatedCluster(pods, seed)]);
    for (const profile of Object.values(CNI_PROFILES)) {
      const engine = buildNetworkEngine(model, profile);
      expect(engine.classes.length).toBeGreaterThan(20);
      expect(disagreements(engine), profile.name).toEqual([]);
    }
  });
});

describe('network classes', () => {
  const cluster = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-canary, namespace: shop, labels: {app: web, version: v2}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-old, namespace: shop, labels: {app: web, version: v0}}
spec: {containers: [{name: c, ports: [{containerPort: 9090, name: http}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: shop, labels: {app: agent}}
spec: {hostNetwork: true, containers: [{name: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: Exists}]}}]}]
`;

  it('split pods only by what policies can tell apart: selector keys, named ports, host network under the profile', async () => {
    const {model} = await loadYaml(cluster);
    const generic = buildNetworkEngine(model);
    const classOf = (engine: NetworkEngine, pod: string) => engine.classOfPod(pod)!.index;
    // `version` is read by no selector: the canary joins the Deployment's class; a different named port does not.
    expect(classOf(generic, 'pod:shop/web-canary')).toBe(classOf(generic, 'pod:shop/web'));
    expect(classOf(generic, 'pod:shop/web-old')).not.toBe(classOf(generic, 'pod:shop/web'));
    expect(generic.classes).toHaveLength(3);
    expect(generic.classes.every((c) => !c.nodeNetwork)).toBe(true);
    const cilium = buildNetworkEngine(model, CNI_PROFILES.cilium);
    expect(cilium.classOfPod('pod:shop/agent')!.nodeNetwork).toBe(true);
  });

  it('a host-networked pod is a pod to the generic profile and node traffic to cilium and calico', async () => {
    const {model} = await loadYaml(cluster);
    const agent = (engine: NetworkEngine) => ({kind: 'pod' as const, cls: engine.classOfPod('pod:shop/agent')!});
    const web = (engine: NetworkEngine) => ({kind: 'pod' as const, cls: engine.classOfPod('pod:shop/web')!});
    const generic = buildNetworkEngine(model);
    expect(generic.connection(agent(generic), web(generic)).format()).toBe('All Connections');
    const cilium = buildNetworkEngine(model, CNI_PROFILES.cilium);
    // `app Exists` no longer picks the agent: it is the node now, and the web pods are isolated.
    expect(cilium.connection(agent(cilium), web(cilium)).isEmpty()).toBe(true);
    expect(cilium.explain(web(cilium), agent(cilium)).ingress).toEqual([
      {
        tier: 'default',
        action: 'Allow',
        ports: expect.anything(),
        reason: 'host network: outside NetworkPolicy under the cilium CNI profile',
      },
    ]);
  });

  it('calico lets an ipBlock match pod addresses; generic and cilium do not', async () => {
    const {model} = await loadYaml(`
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {role: peer}}
spec: {containers: [{name: c}]}
status: {hostIP: 10.0.0.1, podIP: 10.1.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: a, labels: {role: peer}}
spec: {containers: [{name: c}]}
status: {hostIP: 10.0.0.1, podIP: 10.2.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: a, labels: {app: server}}
spec: {containers: [{name: c}]}
status: {hostIP: 10.0.0.1, podIP: 10.1.0.9}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-block, namespace: a}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress: [{from: [{ipBlock: {cidr: 10.1.0.0/16}}], ports: [{port: 443}]}]
`);
    const pair = (engine: NetworkEngine, from: string) =>
      engine.connection({kind: 'pod', cls: engine.classOfPod(from)!}, {kind: 'pod', cls: engine.classOfPod('pod:a/server')!}).format();
    const calico = buildNetworkEngine(model, CNI_PROFILES.calico);
    expect(pair(calico, 'pod:a/client')).toBe('TCP 443');
    expect(pair(calico, 'pod:a/other')).toBe('');
    expect(calico.classOfPod('pod:a/client')).not.toBe(calico.classOfPod('pod:a/other'));
    const generic = buildNetworkEngine(model);
    expect(pair(generic, 'pod:a/client')).toBe('');
    expect(generic.classOfPod('pod:a/client')).toBe(generic.classOfPod('pod:a/other'));
  });
});

describe('class sets', () => {
  it('add ranges across word boundaries, count, list members in order, and intersect', () => {
    const set = new ClassSet(100);
    set.addRange(30, 70);
    set.add(99);
    expect(set.count()).toBe(41);
    expect([...set.members()].slice(0, 3)).toEqual([30, 31, 32]);
    expect([...set.members()].slice(-2)).toEqual([69, 99]);
    expect(set.has(70)).toBe(false);
    const other = ClassSet.of(100, [5, 69]);
    expect(set.intersects(other)).toBe(true);
    const into = new ClassSet(100);
    into.unionWithIntersection(set, other);
    expect([...into.members()]).toEqual([69]);
    expect(ClassSet.all(33).count()).toBe(33);
    expect(() => new ClassSet(-1)).toThrow(RangeError);
  });
});

describe('review regressions', () => {
  it('node-local edges carry every port, and run both ways', async () => {
    const {model} = await loadYaml(`
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: kube-system, labels: {app: agent}}
spec: {nodeName: n1, hostNetwork: true, containers: [{name: agent}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {nodeName: n1, containers: [{name: web}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{ports: [{port: 80}]}]}
`);
    const context = createRuleContext(model, {cni: CNI_PROFILES.cilium});
    const ports = (from: string) => podNetworkReach.edgesFrom!(context, from).map((e) => `${e.target} ${e.attributes.ports}`);
    expect(ports('pod:kube-system/agent')).toEqual(['pod:shop/web All Connections']);
    expect(ports('pod:shop/web')).toEqual(['pod:kube-system/agent All Connections']);
  });

  it('explains only the baseline verdicts on ports the admin tier left open', async () => {
    const {model} = await loadYaml(`
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec: {containers: [{name: c}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: web}
spec:
  priority: 1
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}
  ingress: [{action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress: [{action: Deny, from: [{namespaces: {}}]}]
`);
    const engine = buildNetworkEngine(model);
    const explained = engine.explain(
      {kind: 'pod', cls: engine.classOfPod('pod:a/client')!},
      {kind: 'pod', cls: engine.classOfPod('pod:b/server')!},
    );
    expect(explained.ports.format()).toBe('TCP 80');
    expect(explained.ingress!.map((v) => `${v.action} ${v.ports.format()} ${v.tier}`)).toEqual([
      'Allow TCP 80 AdminNetworkPolicy',
      'Deny SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535 BaselineAdminNetworkPolicy',
    ]);
  });

  it('a finished pod stands for its next run, as netpol-analyzer keeps it; a pod without a host IP carries nothing', async () => {
    const {model} = await loadYaml(`
apiVersion: v1
kind: Pod
metadata: {name: job-x, namespace: a}
spec: {containers: [{name: c}]}
status: {phase: Succeeded, hostIP: 10.0.0.1, podIP: 10.1.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: pending, namespace: a}
spec: {containers: [{name: c}]}
status: {phase: Pending}
`);
    const engine = buildNetworkEngine(model);
    expect(engine.classOfPod('pod:a/job-x')).toBeDefined();
    expect(engine.classOfPod('pod:a/pending')).toBeUndefined();
  });
});
