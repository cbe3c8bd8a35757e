/**
 * Posture rules against their fixtures (test/fixtures/posture/<rule>/): each
 * `positive.*` file names, in `# expect: <object> <field>` lines, exactly the fields its
 * rule must report; each `negative.*` file is a near miss the rule must pass. Every
 * rule has both. `# trusted-registries: a, b` gives a fixture --trusted-registries;
 * `# vulns: FILE` reads a vulnerability report beside it, as --vulns does.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRuleContext} from '../src/engines/context.js';
import {DEFAULT_PROFILE} from '../src/engines/network/profile.js';
import {buildModel} from '../src/graph/model.js';
import {postureFindings} from '../src/posture/evaluate.js';
import {POSTURE_RULES} from '../src/posture/index.js';
import {loadInputs} from '../src/snapshot/load.js';
import {attachVulnerabilities} from '../src/vulns/match.js';
import {readTrivyReport} from '../src/vulns/trivy.js';
import {EXAMPLE, ROOT, runCli} from './helpers/cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'posture');

const cases = readdirSync(FIXTURES)
  .sort()
  .flatMap((rule) =>
    readdirSync(join(FIXTURES, rule))
      .filter((file) => /^(positive|negative)\./.test(file))
      .sort()
      .map((file) => ({rule, file, positive: file.startsWith('positive.')})),
  );

async function reported(file: string, rule: string, trustedRegistries: string[], vulns: string | undefined): Promise<string[]> {
  const {snapshot} = await loadInputs([file]);
  const model = buildModel(snapshot);
  if (vulns) attachVulnerabilities(model, readTrivyReport(join(dirname(file), vulns)));
  const context = createRuleContext(model, {cni: DEFAULT_PROFILE});
  return postureFindings(context, {trustedRegistries})
    .filter((finding) => finding.rule === rule)
    .flatMap((finding) => finding.evidence.map((e) => `${e.object} ${e.field}`))
    .sort();
}

describe('posture rules: fixtures', () => {
  it('every rule has a positive and a negative fixture, and every fixture folder is a rule', () => {
    const rules = POSTURE_RULES.map((rule) => rule.id).sort();
    expect([...new Set(cases.map((c) => c.rule))]).toEqual(rules);
    for (const rule of rules) {
      expect(
        cases.some((c) => c.rule === rule && c.positive),
        rule,
      ).toBe(true);
      expect(
        cases.some((c) => c.rule === rule && c.file.startsWith('negative.')),
        rule,
      ).toBe(true);
    }
  });

  it('docs/posture.md has a row for every rule, with its level', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'posture.md'), 'utf8');
    for (const rule of POSTURE_RULES) expect(docs, rule.id).toContain(`| \`${rule.id}\` | ${rule.level} | ${rule.title} |`);
  });

  it.each(cases)('$rule: $file', async ({rule, file, positive}) => {
    const path = join(FIXTURES, rule, file);
    const text = readFileSync(path, 'utf8');
    const expected = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!).sort();
    // `# trusted-registries: a, b` sets --trusted-registries for the fixture.
    const trusted =
      /^# trusted-registries: (.+)$/m
        .exec(text)?.[1]!
        .split(',')
        .map((entry) => entry.trim()) ?? [];
    const vulns = /^# vulns: (.+)$/m.exec(text)?.[1]!.trim();
    if (positive) expect(expected.length, 'a positive fixture names what it expects').toBeGreaterThan(0);
    expect(await reported(path, rule, trusted, vulns)).toEqual(expected);
  });
});

describe('posture in analyze: the bundled example', () => {
  interface PostureJsonOut {
    teamKeys: string[];
    counts: Record<string, number>;
    findings: Array<{
      id: string;
      rule: string;
      level: string;
      subject: string;
      namespace: string;
      owner?: {team: string; from: string};
      evidence: Array<{object: string; field: string}>;
      fixes: string[];
    }>;
  }
  const analyzeJson = (extra: string[] = []) => {
    const result = runCli(['analyze', EXAMPLE, '-o', 'json', ...extra]);
    expect(result.status, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as {posture: PostureJsonOut}).posture;
  };

  it('names the owning team of every finding it can, from the namespace label acme.example/team, and groups by team', () => {
    const posture = analyzeJson();
    expect(posture.teamKeys).toEqual(['team', 'owner']);
    expect(posture.counts.baseline).toBeGreaterThan(0);
    expect(posture.counts.restricted).toBeGreaterThan(0);
    const payments = posture.findings.filter((f) => f.namespace === 'payments');
    expect(payments.length).toBeGreaterThan(0);
    for (const finding of payments)
      expect(finding.owner).toEqual({team: 'payments', from: 'label acme.example/team of namespace payments'});
    // Sorted by team, the unowned last; within a team, baseline before restricted before hardening.
    const teams = posture.findings.map((f) => f.owner?.team ?? '~');
    expect(teams).toEqual([...teams].sort());
    const table = runCli(['analyze', EXAMPLE]).stdout;
    const section = table.slice(table.indexOf('Pod security posture:'));
    const headers = [...section.matchAll(/^ {2}team (.+)$/gm)].map((m) => m[1]);
    expect(headers).toEqual([...new Set(posture.findings.map((f) => f.owner?.team ?? '(no team)'))]);
    // payments enforces the restricted level: only a hardening check is left there; shop breaks baseline.
    const paymentsText = section.slice(
      section.indexOf('  team payments\n'),
      section.indexOf('  team ', section.indexOf('  team payments\n') + 1),
    );
    expect(paymentsText).not.toContain('[breaks');
    expect(paymentsText).toContain('    [hardening] token mounted that nothing needs (1): workload:payments/Deployment/payments-worker\n');
    expect(section).toMatch(/ {2}team shop\n {4}\[breaks baseline\] privileged container \(1\): pod:shop\/netshoot-debug\n/);
  });

  it('finds the privileged debug pod and host-network DaemonSets by field, each with its fix', () => {
    const posture = analyzeJson();
    const privileged = posture.findings.find((f) => f.rule === 'privileged' && f.subject === 'pod:shop/netshoot-debug')!;
    expect(privileged.evidence.map((e) => `${e.object} ${e.field}`)).toEqual([
      'Pod/shop/netshoot-debug spec.containers[0].securityContext.privileged',
    ]);
    expect(privileged.fixes).toEqual(['remove spec.containers[0].securityContext.privileged (or set it to false)']);
    expect(posture.findings.filter((f) => f.rule === 'host-namespaces').map((f) => f.subject)).toContain(
      'workload:kube-system/DaemonSet/kube-proxy',
    );
  });

  it('checks registries against --trusted-registries, given repeated or comma-separated', () => {
    const untrusted = (extra: string[]) => analyzeJson(extra).findings.filter((f) => f.rule === 'untrusted-registry');
    expect(untrusted([])).toEqual([]);
    const found = untrusted(['--trusted-registries', 'registry.k8s.io,ghcr.io/acme', '--trusted-registries', 'docker.io/library']);
    expect(found.length).toBeGreaterThan(0);
    const images = found.flatMap((f) => f.evidence.map((e) => String((e as {value?: unknown}).value)));
    expect(images.filter((image) => /^(registry\.k8s\.io|ghcr\.io\/acme)\//.test(image))).toEqual([]);
    expect(found.map((f) => f.subject)).not.toContain('workload:kube-system/DaemonSet/kube-proxy');
  });

  it('routes attack findings too: the owner of the first pod on the path that names one', () => {
    const result = runCli(['analyze', EXAMPLE, '-o', 'json']);
    const {findings} = JSON.parse(result.stdout) as {
      findings: Array<{title: string; owner?: {team: string; from: string}; path: {source: string; steps: Array<{to: string}>}}>;
    };
    const netshoot = findings.find((f) => f.path.steps.some((s) => s.to === 'pod:shop/netshoot-debug'))!;
    expect(netshoot.owner).toEqual({team: 'shop', from: 'label acme.example/team of namespace shop'});
    // ingress-nginx names no team: a path through it to an identity pod is routed to identity.
    const keycloak = findings.find((f) => f.title.startsWith('internet reaches Secret secret:identity/keycloak-admin'))!;
    expect(keycloak.owner?.team).toBe('identity');
    expect(runCli(['analyze', EXAMPLE]).stdout).toMatch(/entry points: internet; owner: team shop\n/);
  });

  it('takes other team keys with --team-key', () => {
    const posture = analyzeJson(['--team-key', 'acme.example/owner']);
    const shop = posture.findings.find((f) => f.namespace === 'shop')!;
    expect(shop.owner).toEqual({team: 'shop-team@acme.example', from: 'annotation acme.example/owner of namespace shop'});
  });
});
