/**
 * The API server's own entry points: a grant to system:unauthenticated is a path from the
 * Internet (ANONYMOUS_ACCESS), and a grant to system:authenticated is reachable by any
 * credential holder, a pod's mounted token included (MEMBER_OF).
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ROOT, runCli} from './helpers/cli.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'edges', 'ANONYMOUS_ACCESS', 'positive.unauthenticated-reads-secrets.yaml');

describe("grants to the API server's implicit groups", () => {
  it('a ClusterRoleBinding granting system:unauthenticated read on secrets is a finding from the Internet to those secrets', () => {
    const result = runCli(['analyze', FIXTURE, '-o', 'json']);
    expect(result.status, result.stderr).toBe(0);
    const {findings} = JSON.parse(result.stdout) as {
      findings: Array<{
        category: string;
        path: {
          source: string;
          target: string;
          steps: Array<{from: string; to: string; type: string; technique: string; certainty: string}>;
        };
      }>;
    };
    const secrets = findings.filter((f) => f.path.target === 'secret:shop/db-password');
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.path.source).toBe('internet');
    expect(secrets[0]!.path.steps.map((s) => `${s.from} ${s.technique} ${s.to}`)).toEqual([
      'internet ANONYMOUS_ACCESS group:system:unauthenticated',
      'group:system:unauthenticated CAN_READ_SECRET secret:shop/db-password',
    ]);
    expect(secrets[0]!.path.steps[0]!.certainty).toBe('conditional');
  });

  it('a grant to system:authenticated is reached by any pod that holds a token, and not from the Internet', () => {
    const yaml = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Secret
metadata: {name: db-password, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-reads-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}]
`;
    const fromPod = runCli(['paths', '-', '--from', 'pod:shop/web', '--to', 'secret:shop/db-password', '-o', 'json'], {input: yaml});
    expect(fromPod.status, fromPod.stderr).toBe(0);
    const [path] = (JSON.parse(fromPod.stdout) as {paths: Array<{steps: Array<{from: string; to: string; technique: string}>}>}).paths;
    expect(path!.steps.map((s) => `${s.from} ${s.technique} ${s.to}`)).toEqual([
      'pod:shop/web USES_TOKEN sa:shop/default',
      'sa:shop/default MEMBER_OF group:system:authenticated',
      'group:system:authenticated CAN_READ_SECRET secret:shop/db-password',
    ]);
    const fromInternet = runCli(['paths', '-', '--from', 'internet', '--to', 'secret:shop/db-password', '-o', 'json'], {input: yaml});
    expect((JSON.parse(fromInternet.stdout) as {paths: unknown[]}).paths).toEqual([]);
  });
});
