/**
 * `kubepath contain`: the steps that contain a breached pod, printed and never run,
 * checked against what the input says (its controller, the bindings naming its
 * account, the policies that select it) and against shell quoting of hostile names.
 */
import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {EXAMPLE, runCli} from './helpers/cli.js';

interface Plan {
  pod: string;
  workload?: string;
  serviceAccount: string;
  steps: Array<{action: string; commands: string[]; manifest?: string; caveats: string[]}>;
}

function plans(args: string[], input?: string): Plan[] {
  const result = runCli(['contain', ...args, '-o', 'json'], input === undefined ? {} : {input});
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as {plans: Plan[]}).plans;
}

const step = (plan: Plan, action: string) => plan.steps.find((s) => s.action === action)!;

describe('kubepath contain', () => {
  it('stops each kind of controller its own way, and deletes a bare pod', () => {
    const byId = new Map(
      [
        ...plans(['workload:ci/Deployment/docker-builder', EXAMPLE]),
        ...plans(['workload:monitoring/DaemonSet/node-exporter', EXAMPLE]),
        ...plans(['workload:batch/CronJob/report-generator', EXAMPLE]),
        ...plans(['pod:shop/netshoot-debug', EXAMPLE]),
      ].map((plan) => [plan.workload ?? plan.pod, step(plan, 'stop').commands]),
    );
    expect(byId.get('workload:ci/Deployment/docker-builder')).toEqual(['kubectl -n ci scale deployment/docker-builder --replicas=0']);
    expect(byId.get('workload:monitoring/DaemonSet/node-exporter')![0]).toMatch(
      /^kubectl -n monitoring patch daemonset\/node-exporter --type merge -p '\{"spec":\{"template":\{"spec":\{"nodeSelector":/,
    );
    expect(byId.get('workload:batch/CronJob/report-generator')).toEqual([
      `kubectl -n batch patch cronjob/report-generator --type merge -p '{"spec":{"suspend":true}}'`,
    ]);
    expect(byId.get('pod:shop/netshoot-debug')).toEqual(['kubectl -n shop delete pod netshoot-debug']);
  });

  it("deletes exactly the bindings that name the pod's service account, and says which policies still let traffic in", () => {
    const graph = JSON.parse(runCli(['graph', EXAMPLE, '-o', 'json']).stdout) as {nodes: Array<{id: string; kind: string}>};
    // An account some RoleBinding or ClusterRoleBinding of the example names directly.
    const yaml = runCli(['collect', EXAMPLE]).stdout;
    const snapshot = JSON.parse(yaml) as {
      objects: {
        roleBindings: Array<{
          metadata: {name: string; namespace: string};
          subjects?: Array<{kind: string; name: string; namespace?: string}>;
        }>;
        clusterRoleBindings: Array<{metadata: {name: string}; subjects?: Array<{kind: string; name: string; namespace?: string}>}>;
      };
    };
    const [plan] = plans(['workload:ci/Deployment/gitlab-runner', EXAMPLE]);
    const [namespace, account] = plan!.serviceAccount.slice('sa:'.length).split('/') as [string, string];
    const names = (binding: {subjects?: Array<{kind: string; name: string; namespace?: string}>}, bindingNamespace?: string) =>
      (binding.subjects ?? []).some(
        (s) => s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? bindingNamespace) === namespace,
      );
    const expected = [
      ...snapshot.objects.roleBindings
        .filter((b) => names(b, b.metadata.namespace))
        .map((b) => `kubectl -n ${b.metadata.namespace} delete rolebinding ${b.metadata.name}`),
      ...snapshot.objects.clusterRoleBindings.filter((b) => names(b)).map((b) => `kubectl delete clusterrolebinding ${b.metadata.name}`),
    ];
    expect(expected.length).toBeGreaterThan(0);
    expect(
      step(plan!, 'revoke')
        .commands.filter((c) => c.includes('binding'))
        .sort(),
    ).toEqual(expected.sort());
    expect(graph.nodes.some((n) => n.id === plan!.serviceAccount)).toBe(true);
    const isolate = step(plan!, 'isolate');
    expect(isolate.manifest).toContain('kubepath.dev/quarantine: "true"');
    expect(isolate.manifest).toContain('policyTypes: [Ingress, Egress]');
  });

  it("contains a finding's landing pod, given the finding id", () => {
    const {findings} = JSON.parse(runCli(['analyze', EXAMPLE, '-o', 'json']).stdout) as {
      findings: Array<{id: string; path: {source: string; steps: Array<{to: string}>}}>;
    };
    const finding = findings.find((f) => f.path.steps.some((s) => s.to.startsWith('pod:')))!;
    const landing = finding.path.steps.map((s) => s.to).find((to) => to.startsWith('pod:'));
    const [plan] = plans([finding.id, EXAMPLE]);
    expect(plan!.pod).toBe(landing);
  });

  it('quotes what the cluster named, so that no command runs more than it says', () => {
    const yaml = `
apiVersion: v1
kind: Pod
metadata: {name: "web'; touch kubepath-pwned; '", namespace: shop}
spec: {containers: [{name: web, image: nginx}]}
`;
    const text = runCli(['contain', "pod:shop/web'; touch kubepath-pwned; '", '-'], {input: yaml}).stdout;
    const command = text.split('\n').find((line) => line.includes('delete pod'))!;
    expect(command).toBe(`kubectl -n shop delete pod 'web'\\''; touch kubepath-pwned; '\\'''`);
    // The shell reads it as one word: echo prints the name back whole.
    const echoed = execFileSync('sh', ['-c', command.replace(/^kubectl -n shop delete pod /, 'printf %s ')], {encoding: 'utf8'});
    expect(echoed).toBe("web'; touch kubepath-pwned; '");
  });

  it('refuses a selector that names no pod (exit 2)', () => {
    const result = runCli(['contain', 'pod:nowhere/*', EXAMPLE]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^kubepath: error: /);
  });
});
