/**
 * The cluster model and graph core: top controllers, manifest mode, implicit
 * namespaces, service accounts and nodes, and the context edges with their meaning.
 */
import {describe, expect, it} from 'vitest';
import {compileLabelMap, compileSelector} from '../src/engines/selectors.js';
import type {KubeGraph} from '../src/graph/types.js';
import {loadYaml} from './helpers/load.js';

function edgesOf(graph: KubeGraph, type: string): string[] {
  return graph
    .filterEdges((_e, a) => a.type === type)
    .map((e) => `${graph.source(e)} -> ${graph.target(e)}`)
    .sort();
}

const LIVE = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d8f9
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f9-abcde
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f9, controller: true}]
spec: {nodeName: worker-1, serviceAccountName: web, containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: report-28301-xyz
  namespace: batch
  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: report-28301, controller: true}]
spec: {containers: [{name: r}]}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: report-28301
  namespace: batch
  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: report, controller: true}]
spec: {template: {spec: {containers: [{name: r}]}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: orphan-rs-pod
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-7f7f7, controller: true}]
spec: {containers: [{name: a}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver-cp-1
  namespace: kube-system
  ownerReferences: [{apiVersion: v1, kind: Node, name: cp-1, controller: true}]
spec: {nodeName: cp-1, containers: [{name: apiserver}]}
`;

describe('top controllers', () => {
  it('groups pods under their top controller through the controllers present', async () => {
    const {model, graph} = await loadYaml(LIVE);
    const owner = Object.fromEntries(model.pods.map((p) => [p.id, p.workload?.id ?? null]));
    expect(owner).toEqual({
      'pod:shop/web-5d8f9-abcde': 'workload:shop/Deployment/web',
      // The CronJob itself is not in the input: the chain stops at the Job's owner reference.
      'pod:batch/report-28301-xyz': 'workload:batch/CronJob/report',
      // The ReplicaSet is known only from the owner reference.
      'pod:shop/orphan-rs-pod': 'workload:shop/ReplicaSet/api-7f7f7',
      // A static pod's owner is its Node, not a workload.
      'pod:kube-system/kube-apiserver-cp-1': null,
    });
    expect(model.pods.every((p) => !p.representative)).toBe(true);
    expect(graph.getNodeAttributes('workload:batch/CronJob/report')).toMatchObject({workloadKind: 'CronJob', declared: false});
    expect(graph.hasNode('workload:shop/ReplicaSet/web-5d8f9')).toBe(false);
    expect(edgesOf(graph, 'CONTROLS')).toEqual([
      'workload:batch/CronJob/report -> pod:batch/report-28301-xyz',
      'workload:shop/Deployment/web -> pod:shop/web-5d8f9-abcde',
      'workload:shop/ReplicaSet/api-7f7f7 -> pod:shop/orphan-rs-pod',
    ]);
    expect(edgesOf(graph, 'RUNS_ON')).toEqual([
      'pod:batch/report-28301-xyz -> node:<unscheduled>',
      'pod:kube-system/kube-apiserver-cp-1 -> node:cp-1',
      'pod:shop/orphan-rs-pod -> node:<unscheduled>',
      'pod:shop/web-5d8f9-abcde -> node:worker-1',
    ]);
  });
});

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {serviceAccountName: web-sa, containers: [{name: web, image: nginx}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup, namespace: ops}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: cleanup}}
        spec: {serviceAccount: janitor, nodeName: worker-9, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: external-db, namespace: shop}
spec: {ports: [{port: 5432}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-only, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: tier, operator: In, values: [front, edge]}]
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`;

describe('manifest mode', () => {
  it('stands each workload in with one representative pod from its template', async () => {
    const {model, graph} = await loadYaml(MANIFESTS);
    const pods = model.pods.map((p) => ({id: p.id, sa: p.serviceAccount, node: p.nodeName, source: p.source, labels: p.labels}));
    expect(pods).toEqual([
      {
        id: 'pod:ops/cleanup',
        sa: 'janitor',
        node: 'worker-9',
        source: {object: 'CronJob/ops/cleanup', specPath: 'spec.jobTemplate.spec.template.spec'},
        labels: {app: 'cleanup'},
      },
      {
        id: 'pod:shop/web',
        sa: 'web-sa',
        node: '<unscheduled>',
        source: {object: 'Deployment/shop/web', specPath: 'spec.template.spec'},
        labels: {app: 'web', tier: 'front'},
      },
      // A StatefulSet of the same name cannot take the same id.
      {
        id: 'pod:shop/web.statefulset',
        sa: 'default',
        node: '<unscheduled>',
        source: {object: 'StatefulSet/shop/web', specPath: 'spec.template.spec'},
        labels: {app: 'db'},
      },
    ]);
    expect(model.pods.every((p) => p.representative)).toBe(true);
    expect(graph.getNodeAttributes('pod:shop/web')).toMatchObject({
      representative: true,
      workload: 'workload:shop/Deployment/web',
      kind: 'Pod',
      namespace: 'shop',
      name: 'web',
    });
  });

  it('makes referenced namespaces, their default service accounts and named service accounts exist', async () => {
    const {model, graph} = await loadYaml(MANIFESTS);
    expect([...model.namespaces.values()].map((n) => [n.name, n.declared, n.labels])).toEqual([
      ['ops', false, {'kubernetes.io/metadata.name': 'ops'}],
      ['shop', true, {team: 'web', 'kubernetes.io/metadata.name': 'shop'}],
    ]);
    expect([...model.serviceAccounts.keys()]).toEqual(['sa:ops/default', 'sa:ops/janitor', 'sa:shop/default', 'sa:shop/web-sa']);
    expect(graph.getNodeAttribute('sa:shop/web-sa', 'declared')).toBe(false);
    expect(graph.hasNode('node:<unscheduled>') && graph.hasNode('node:worker-9')).toBe(true);
    expect(edgesOf(graph, 'IN_NAMESPACE')).toContain('sa:ops/janitor -> ns:ops');
  });

  it('draws SELECTS by Service selector and APPLIES_TO by NetworkPolicy podSelector', async () => {
    const {graph} = await loadYaml(MANIFESTS);
    // The selector-less Service selects nothing; the empty podSelector selects the whole namespace.
    expect(edgesOf(graph, 'SELECTS')).toEqual(['svc:shop/web -> pod:shop/web']);
    expect(edgesOf(graph, 'APPLIES_TO')).toEqual([
      'netpol:shop/default-deny -> pod:shop/web',
      'netpol:shop/default-deny -> pod:shop/web.statefulset',
      'netpol:shop/front-only -> pod:shop/web',
    ]);
  });
});

const RBAC = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: operator, namespace: platform}
- {kind: Group, name: "system:serviceaccounts:ci", apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: no-namespace}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: ServiceAccount, name: deployer}
- {kind: User, name: alice@example.com, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}
- {kind: User, name: "system:anonymous", apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner, namespace: ci}
automountServiceAccountToken: false
`;

describe('RBAC context and membership', () => {
  it('draws HAS_ROLE from each subject to its role, with binding and scope', async () => {
    const {graph} = await loadYaml(RBAC);
    const hasRole = graph
      .filterEdges((_e, a) => a.type === 'HAS_ROLE')
      .map((e) => ({from: graph.source(e), to: graph.target(e), ...graph.getEdgeAttributes(e)}))
      .sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
    expect(hasRole).toEqual([
      {
        from: 'group:system:authenticated',
        to: 'role:shop/reader',
        type: 'HAS_ROLE',
        attack: false,
        binding: 'RoleBinding/shop/readers',
        subject: 0,
        scope: 'shop',
      },
      {
        from: 'group:system:serviceaccounts:ci',
        to: 'clusterrole:cluster-admin',
        type: 'HAS_ROLE',
        attack: false,
        binding: 'ClusterRoleBinding/ops-admin',
        subject: 1,
        scope: 'cluster',
      },
      {
        from: 'sa:platform/operator',
        to: 'clusterrole:cluster-admin',
        type: 'HAS_ROLE',
        attack: false,
        binding: 'ClusterRoleBinding/ops-admin',
        subject: 0,
        scope: 'cluster',
      },
      {
        from: 'sa:shop/deployer',
        to: 'clusterrole:edit',
        type: 'HAS_ROLE',
        attack: false,
        binding: 'RoleBinding/shop/deployers',
        subject: 0,
        scope: 'shop',
      },
      {
        from: 'user:alice@example.com',
        to: 'clusterrole:edit',
        type: 'HAS_ROLE',
        attack: false,
        binding: 'RoleBinding/shop/deployers',
        subject: 1,
        scope: 'shop',
      },
      {
        from: 'user:system:anonymous',
        to: 'role:shop/reader',
        type: 'HAS_ROLE',
        attack: false,
        binding: 'RoleBinding/shop/readers',
        subject: 1,
        scope: 'shop',
      },
    ]);
    expect(graph.getNodeAttributes('clusterrole:cluster-admin')).toMatchObject({kind: 'ClusterRole', declared: false});
    expect(graph.getNodeAttributes('role:shop/reader')).toMatchObject({kind: 'Role', declared: true});
  });

  it('draws MEMBER_OF to the groups bindings name, as the authenticator grants them', async () => {
    const {graph} = await loadYaml(RBAC);
    const member = edgesOf(graph, 'MEMBER_OF');
    expect(member).toContain('sa:ci/runner -> group:system:serviceaccounts:ci');
    expect(member).toContain('sa:ci/runner -> group:system:authenticated');
    expect(member).toContain('user:alice@example.com -> group:system:authenticated');
    expect(member).not.toContain('sa:shop/deployer -> group:system:serviceaccounts:ci');
    expect(member).not.toContain('user:system:anonymous -> group:system:authenticated');
    expect(member.some((e) => e.endsWith('group:system:serviceaccounts'))).toBe(false); // no binding names it
    const edge = graph
      .edges('sa:ci/runner', 'group:system:serviceaccounts:ci')
      .find((e) => graph.getEdgeAttribute(e, 'type') === 'MEMBER_OF')!;
    expect(graph.getEdgeAttributes(edge)).toMatchObject({
      attack: true,
      technique: 'MEMBER_OF',
      certainty: 'definite',
      cost: 0,
      evidence: [{object: 'ServiceAccount/ci/runner'}],
    });
  });
});

describe('label selectors', () => {
  const labels = {app: 'web', tier: 'front'};
  it.each([
    [{}, true],
    [{matchLabels: {app: 'web'}}, true],
    [{matchLabels: {app: 'db'}}, false],
    [{matchExpressions: [{key: 'tier', operator: 'In' as const, values: ['front', 'edge']}]}, true],
    [{matchExpressions: [{key: 'tier', operator: 'NotIn' as const, values: ['front']}]}, false],
    [{matchExpressions: [{key: 'zone', operator: 'NotIn' as const, values: ['a']}]}, true],
    [{matchExpressions: [{key: 'zone', operator: 'In' as const, values: ['a']}]}, false],
    [{matchExpressions: [{key: 'app', operator: 'Exists' as const}]}, true],
    [{matchExpressions: [{key: 'app', operator: 'DoesNotExist' as const}]}, false],
    [{matchLabels: {app: 'web'}, matchExpressions: [{key: 'zone', operator: 'Exists' as const}]}, false],
  ])('%j matches %s', (selector, expected) => {
    expect(compileSelector(selector)(labels)).toBe(expected);
  });

  it('treats an empty Service selector as selecting nothing', () => {
    expect(compileLabelMap({})(labels)).toBe(false);
    expect(compileLabelMap(undefined)(labels)).toBe(false);
    expect(compileLabelMap({app: 'web'})(labels)).toBe(true);
    expect(compileLabelMap({app: 'web', tier: 'back'})(labels)).toBe(false);
  });
});
