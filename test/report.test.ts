/**
 * `kubepath report` in a real Chromium (test/helpers/chromium-setup.ts) driven by
 * playwright-core, every request but the file itself refused and recorded: the example's
 * report loads without console errors, draws the nodes of the paths `analyze` reports,
 * clicking the top path highlights exactly its elements, clicking an edge shows its
 * evidence and fix, filters hide what they should, search and expansion work; a report of
 * hostile manifests runs nothing and shows their strings as text; the generated
 * 10,000-pod cluster's report stays under 10 MB and opens.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {chromium, type Browser, type Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import {EXAMPLE, generatedCluster, runCli, tempDir} from './helpers/cli.js';

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

let browser: Browser;
const opened: Page[] = [];

beforeAll(async () => {
  browser = await chromium.launch({executablePath: inject('chromium'), args: ['--no-sandbox']});
});

afterAll(async () => {
  await browser?.close();
});

function buildReport(inputs: string[], extra: string[] = []): string {
  const out = join(tempDir(), 'report.html');
  const result = runCli(['report', ...inputs, '--out', out, ...extra], {env: {SOURCE_DATE_EPOCH: '1767225600'}});
  expect(result.status, result.stderr).toBe(0);
  return out;
}

async function open(file: string): Promise<Opened> {
  const context = await browser.newContext({viewport: {width: 1600, height: 1000}});
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  opened.push(page);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as unknown as {kubepathReport?: unknown}).kubepathReport !== undefined);
  return {page, errors, requests};
}

/** Ids of the drawn elements with a class, or all of them. */
const drawn = (page: Page, selector: string) =>
  page.evaluate(
    (s) =>
      (globalThis as unknown as {kubepathReport: {cy: {elements: (s: string) => Array<{id: () => string}>}}}).kubepathReport.cy
        .elements(s)
        .map((e) => e.id())
        .sort(),
    selector,
  );

/** The drawn elements not hidden by a filter (their style, which is what the canvas draws from). */
const visible = (page: Page, group: 'node' | 'edge') =>
  page.evaluate(
    (g) =>
      (
        globalThis as unknown as {
          kubepathReport: {cy: {elements: (s: string) => Array<{style: (k: string) => string; data: (k: string) => string}>}};
        }
      ).kubepathReport.cy
        .elements(g)
        .filter((e) => e.style('display') !== 'none')
        .map((e) => ({id: e.data('id'), namespace: e.data('namespace'), type: e.data('type'), certainty: e.data('certainty')})),
    group,
  );

/** Clicks a drawn element where it is on screen. */
async function clickElement(page: Page, id: string): Promise<void> {
  const point = await page.evaluate((elementId) => {
    const {cy} = (globalThis as unknown as {kubepathReport: {cy: import('cytoscape').Core}}).kubepathReport;
    const element = cy.getElementById(elementId);
    cy.fit(element, 200);
    const position = element.isNode() ? element.renderedPosition() : (element as import('cytoscape').EdgeSingular).renderedMidpoint();
    const box = cy.container().getBoundingClientRect();
    return {x: box.left + position.x, y: box.top + position.y};
  }, id);
  await page.mouse.click(point.x, point.y);
}

interface AnalyzeJson {
  findings: Array<{
    title: string;
    path: {source: string; steps: Array<{from: string; to: string; type: string; technique: string; evidence: Array<{object: string}>}>};
    rootCause: {from: string; to: string; type: string; evidence: Array<{object: string; field?: string}>};
  }>;
}

describe('kubepath report: the bundled example', () => {
  let file: string;
  let analysis: AnalyzeJson;
  let data: {
    nodes: Array<{id: string; replicas?: string[]; namespace?: string}>;
    edges: Array<{id: string; source: string; target: string; type: string}>;
    findings: Array<{paths: string[][]}>;
  };
  let report: Opened;
  /** Where a graph node is drawn: itself, or the replicas node holding it. */
  const drawnAs = (id: string): string => data.nodes.find((node) => node.id === id || node.replicas?.includes(id))!.id;

  beforeAll(async () => {
    file = buildReport([EXAMPLE]);
    analysis = JSON.parse(runCli(['analyze', EXAMPLE, '-o', 'json']).stdout);
    report = await open(file);
    data = await report.page.evaluate(() => (globalThis as unknown as {kubepathReport: {data: typeof data}}).kubepathReport.data);
  });

  it('is one self-contained file, the same bytes for the same input, asking nothing of any server', async () => {
    const text = readFileSync(file, 'utf8');
    expect(readFileSync(buildReport([EXAMPLE]), 'utf8')).toBe(text);
    expect(text).toContain("default-src 'none'");
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/);
    expect(report.requests).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('shows the cluster, the time, the coverage and the findings by severity', async () => {
    expect(await report.page.locator('#cluster').textContent()).toBe('multi-tenant');
    const meta = await report.page.locator('#meta').textContent();
    expect(meta).toContain('2026-01-01T00:00:00.000Z');
    expect(await report.page.locator('#gaps').textContent()).toContain('Coverage');
    const counts = await report.page.locator('#counts').textContent();
    const bySeverity = (severity: string) =>
      analysis.findings.filter((f) => (f as unknown as {severity: string}).severity === severity).length;
    expect(counts).toContain(`${bySeverity('critical')} critical`);
    expect(await report.page.locator('#findings li').count()).toBe(analysis.findings.length);
    expect(await report.page.locator('#chokepoints li').count()).toBeGreaterThan(0);
  });

  it("shows analyze's posture findings by team: every team, each check with its workloads, its fix on click", async () => {
    const posture = (
      analysis as unknown as {posture: {findings: Array<{rule: string; title: string; subject: string; owner?: {team: string}}>}}
    ).posture;
    const teams = [...new Set(posture.findings.map((f) => f.owner?.team ?? '(no team)'))];
    const blocks = report.page.locator('#posture details');
    expect(await blocks.evaluateAll((all) => all.map((d) => d.getAttribute('data-team')))).toEqual(teams);
    const shop = report.page.locator('#posture details[data-team="shop"]');
    await shop.locator('summary').click();
    const checks = shop.locator('li.posture-check');
    const shopFindings = posture.findings.filter((f) => f.owner?.team === 'shop');
    expect(await checks.count()).toBe(new Set(shopFindings.map((f) => f.rule)).size);
    await checks.first().click();
    const details = report.page.locator('#details');
    const first = shopFindings[0]!;
    expect(await details.locator('h3').textContent()).toBe(`${first.title} (team shop)`);
    const listed = await details.locator('ul li').allTextContents();
    expect(listed).toEqual(shopFindings.filter((f) => f.rule === first.rule).map((f) => f.subject));
    expect(report.errors).toEqual([]);
  });

  it("draws the nodes of the reported paths: every node of analyze's paths, and nothing else", async () => {
    const nodes = await drawn(report.page, 'node');
    for (const finding of analysis.findings) {
      for (const node of [finding.path.source, ...finding.path.steps.map((step) => step.to)]) expect(nodes, node).toContain(drawnAs(node));
    }
    const ends = new Set<string>();
    for (const finding of data.findings)
      for (const path of finding.paths)
        for (const id of path) {
          const edge = data.edges.find((e) => e.id === id)!;
          ends.add(edge.source).add(edge.target);
        }
    expect(nodes).toEqual([...ends].sort());
    expect(nodes.length).toBeGreaterThan(10);
  });

  it('clicking the top path highlights exactly its elements and dims the rest', async () => {
    await report.page.locator('#findings li[data-finding="0"]').click();
    const top = analysis.findings[0]!;
    const highlighted = await drawn(report.page, '.highlighted');
    const nodes = [top.path.source, ...top.path.steps.map((step) => step.to)].map(drawnAs);
    const highlightedNodes = await drawn(report.page, 'node.highlighted');
    expect(highlightedNodes).toEqual([...new Set(nodes)].sort());
    expect(highlighted.length - highlightedNodes.length).toBe(top.path.steps.length);
    const dimmed = await drawn(report.page, '.dimmed');
    expect(dimmed.length + highlighted.length).toBe((await drawn(report.page, '*')).length);
    expect(await report.page.locator('#details h3').textContent()).toBe(top.title);
  });

  it('clicking an edge shows its evidence, down to object and field, and its fix', async () => {
    const cause = analysis.findings[0]!.rootCause;
    const edge = data.edges.find((e) => e.source === drawnAs(cause.from) && e.target === drawnAs(cause.to) && e.type === cause.type)!;
    await clickElement(report.page, edge.id);
    expect(await report.page.locator('#details h3').textContent()).toBe(cause.type);
    const evidence = await report.page.locator('#details table.evidence').textContent();
    for (const item of cause.evidence) {
      expect(evidence).toContain(item.object);
      if (item.field) expect(evidence).toContain(item.field);
    }
    expect(await report.page.locator('#details .fix, #details .hint').count()).toBeGreaterThan(0);
  });

  it('clicking a node shows it, and expanding adds its other attack edges', async () => {
    const {page} = report;
    await page.locator('#reset').click();
    const before = (await drawn(page, 'edge')).length;
    const node = data.nodes.find(
      (n) => n.id.startsWith('sa:') && (data as unknown as {neighbours: Record<string, {edges: string[]}>}).neighbours[n.id]?.edges.length,
    )!;
    await clickElement(page, node.id);
    expect(await page.locator('#details h3').textContent()).toContain(node.id.split('/').pop()!);
    expect(await page.locator('#details h4').allTextContents()).toContain('Fixes for the edges drawn at this node');
    await page.locator('#expand').click();
    expect((await drawn(page, 'edge')).length).toBeGreaterThan(before);
  });

  it('filters hide what they should: namespace, certainty, edge type; search marks matches', async () => {
    const {page} = report;
    await page.locator('#reset').click();
    await page.selectOption('#filter-namespace', 'shop');
    const nodes = await visible(page, 'node');
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(['shop', '']).toContain(node.namespace);
    await page.selectOption('#filter-namespace', '');
    await page.selectOption('#filter-certainty', 'definite');
    const edges = await visible(page, 'edge');
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) expect(edge.certainty).toBe('definite');
    await page.selectOption('#filter-certainty', '');
    await page.locator('#filter-types input[value="CAN_REACH"]').uncheck();
    const withoutReach = await visible(page, 'edge');
    expect(withoutReach.some((edge) => edge.type === 'CAN_REACH')).toBe(false);
    expect(withoutReach.length).toBeGreaterThan(0);
    await page.locator('#reset').click();
    expect((await visible(page, 'edge')).some((edge) => edge.type === 'CAN_REACH')).toBe(true);
    await page.fill('#search', 'ingress-nginx-controller');
    const matches = await drawn(page, 'node.match');
    expect(matches.length).toBeGreaterThan(0);
    for (const id of matches) expect(id).toContain('ingress-nginx-controller');
    expect(report.errors).toEqual([]);
  });
});

describe('kubepath report: coverage gaps', () => {
  it('marks the findings an unread kind may make untrue, and says what each gap may change', async () => {
    const dir = tempDir();
    const snapshotFile = join(dir, 'snapshot.json');
    expect(runCli(['collect', EXAMPLE, '--out', snapshotFile]).status).toBe(0);
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as {coverage: {gaps: unknown[]}};
    // As a live collection records it when the credentials may not list NetworkPolicies in ingress-nginx.
    snapshot.coverage.gaps = [
      {
        kind: 'NetworkPolicy',
        namespace: 'ingress-nginx',
        reason: 'forbidden',
        message:
          'networkpolicies.networking.k8s.io is forbidden: User "x" cannot list resource "networkpolicies" in the namespace "ingress-nginx"',
      },
    ];
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    const findings = (
      JSON.parse(runCli(['analyze', snapshotFile, '-o', 'json']).stdout) as {findings: Array<{title: string; coverageGaps: unknown[]}>}
    ).findings;
    const marked = findings.filter((f) => f.coverageGaps.length > 0);
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.length).toBeLessThan(findings.length);
    const {page, errors} = await open(buildReport([snapshotFile]));
    expect(await page.locator('#gaps').textContent()).toContain(
      'NetworkPolicy in ingress-nginx could not be read (forbidden): network policies there are not seen',
    );
    const items = page.locator('#findings li');
    const gapTexts = await items.evaluateAll((lis) => lis.map((li) => [...li.querySelectorAll('.gap')].map((g) => g.textContent)));
    expect(gapTexts.map((texts) => texts.length > 0)).toEqual(findings.map((f) => f.coverageGaps.length > 0));
    expect(
      gapTexts.flat().every((text) => text!.startsWith('may not hold: NetworkPolicy in ingress-nginx could not be read (forbidden)')),
    ).toBe(true);
    await items.nth(findings.indexOf(marked[0]!)).click();
    expect(await page.locator('#details').textContent()).toContain('May not hold: kubepath could not read');
    expect(errors).toEqual([]);
  });
});

describe('kubepath report: the cluster version', () => {
  it("says when the control plane is out of support on the report's day, and that the version is unknown without one", async () => {
    const {page, errors} = await open(buildReport([EXAMPLE], ['--kube-version', 'v1.31.2']));
    // SOURCE_DATE_EPOCH 1767225600 is 2026-01-01, after 1.31's end of life.
    expect(await page.locator('#versions .unsupported').textContent()).toBe(
      'Kubernetes v1.31.2 (--kube-version): out of support: 1.31 reached end of life on 2025-10-28: no security fixes since; upgrade to a supported minor (1.32, 1.33, 1.34, 1.35 on 2026-01-01)',
    );
    expect(errors).toEqual([]);
    const unknown = await open(buildReport([EXAMPLE]));
    expect(await unknown.page.locator('#versions').textContent()).toBe(
      'Kubernetes version unknown: give --kube-version to judge its support and the version-dependent edges.',
    );
  });
});

describe('kubepath report: --vulns', () => {
  it('rings the pods whose images have exploitable vulnerabilities, lists them in the node details, and their entry costs 2', async () => {
    const vulns = join(EXAMPLE, '..', 'vulns', 'trivy-k8s.json');
    const {page, errors} = await open(buildReport([EXAMPLE], ['--vulns', vulns]));
    const ringed = await page.evaluate(() =>
      (
        globalThis as unknown as {kubepathReport: {cy: {nodes: (s: string) => Array<{id: () => string; style: (k: string) => string}>}}}
      ).kubepathReport.cy
        .nodes('[?exploitable]')
        .map((node) => `${node.id()} ${node.style('border-color')}`),
    );
    expect(ringed).toEqual(['pod:monitoring/grafana rgb(217,48,37)']);
    expect(await page.locator('#legend').textContent()).toContain('red double ring: known exploitable vulnerabilities (--vulns)');
    const entry = await page.evaluate(() =>
      (globalThis as unknown as {kubepathReport: {cy: {edges: (s: string) => Array<{data: (k: string) => string}>}}}).kubepathReport.cy
        .edges('[source = "internet"][target = "pod:monitoring/grafana"]')
        .map((edge) => edge.data('id')),
    );
    expect(entry).toHaveLength(1);
    const data = await page.evaluate(
      () => (globalThis as unknown as {kubepathReport: {data: {edges: Array<{id: string; cost: number}>}}}).kubepathReport.data.edges,
    );
    expect(data.find((edge) => edge.id === entry[0])!.cost).toBe(2);
    await clickElement(page, 'pod:monitoring/grafana');
    expect(await page.locator('#details').textContent()).toContain('CVE-2099-10001');
    expect(errors).toEqual([]);
  });
});

describe('kubepath report: bad input', () => {
  it('exits 2 with one line naming the problem, and writes nothing', () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata: {name: [broken\n');
    const out = join(dir, 'report.html');
    const result = runCli(['report', bad, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('bad.yaml');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    const nowhere = runCli(['report', EXAMPLE, '--out', join(dir, 'missing', 'report.html')]);
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toContain('does not exist');
  });
});

describe('kubepath report: data', () => {
  it("lists as neighbours only edges it holds and does not draw; a replicas edge keeps every pod's fixes", () => {
    const input = generatedCluster(2_000, 3);
    const file = buildReport([input]);
    const json = /<script type="application\/json" id="kubepath-data">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'))![1]!;
    const data = JSON.parse(json) as {
      nodes: Array<{id: string; replicas?: string[]}>;
      edges: Array<{id: string; source: string; target: string; type: string; fixes: string[]; evidence: number}>;
      evidence: Array<Array<{object: string}>>;
      findings: Array<{paths: string[][]}>;
      neighbours: Record<string, {edges: string[]}>;
    };
    const edges = new Map(data.edges.map((edge) => [edge.id, edge]));
    const nodes = new Set(data.nodes.map((node) => node.id));
    const drawn = new Set(data.findings.flatMap((finding) => finding.paths.flat()));
    for (const id of drawn) expect(edges.has(id), id).toBe(true);
    for (const [node, around] of Object.entries(data.neighbours)) {
      expect(nodes.has(node), node).toBe(true);
      expect(new Set(around.edges).size).toBe(around.edges.length);
      for (const id of around.edges) {
        expect(edges.has(id), `${node}: ${id}`).toBe(true);
        expect(drawn.has(id), `${node}: ${id} is drawn already`).toBe(false);
      }
    }
    for (const edge of data.edges) expect(nodes.has(edge.source) && nodes.has(edge.target), edge.id).toBe(true);
    // A replicas node's edge explains itself for every pod behind it: each pod's own edge (graph -o json) names objects the merged edge names.
    const graph = JSON.parse(runCli(['graph', input]).stdout) as {
      edges: Array<{source: string; target: string; type: string; evidence?: Array<{object: string}>}>;
    };
    const replicas = data.nodes.filter((node) => node.replicas);
    expect(replicas.length).toBeGreaterThan(0);
    let compared = 0;
    for (const node of replicas) {
      for (const edge of data.edges.filter((e) => e.source === node.id && drawn.has(e.id))) {
        const merged = new Set(data.evidence[edge.evidence]!.map((item) => item.object));
        for (const pod of node.replicas!) {
          for (const own of graph.edges.filter((e) => e.source === pod && e.target === edge.target && e.type === edge.type)) {
            for (const item of own.evidence ?? []) expect(merged.has(item.object), `${edge.id}: ${pod}'s ${item.object}`).toBe(true);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1);
  });

  it('refuses a SOURCE_DATE_EPOCH it cannot honour (exit 2) rather than writing another time', () => {
    for (const epoch of [' 1767225600', '99999999999999', 'yesterday']) {
      const out = join(tempDir(), 'report.html');
      const result = runCli(['report', EXAMPLE, '--out', out], {env: {SOURCE_DATE_EPOCH: epoch}});
      expect(result.status, epoch).toBe(2);
      expect(result.stderr).toContain('SOURCE_DATE_EPOCH must be whole seconds since 1970');
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('kubepath report: hostile data', () => {
  it('runs nothing from the cluster and shows its strings as text', async () => {
    const payload = `"><img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>`;
    const dir = tempDir();
    writeFileSync(
      join(dir, 'hostile.yaml'),
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: web',
        '  namespace: evil',
        `  labels: {app: web, note: ${JSON.stringify(payload)}}`,
        `  annotations: {description: ${JSON.stringify(payload)}}`,
        'spec:',
        '  serviceAccountName: runner',
        `  containers: [{name: app, image: ${JSON.stringify(`registry.example/app${payload}`)}, ports: [{containerPort: 80}]}]`,
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: web, namespace: evil}',
        'spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}',
        '---',
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: {name: runner, namespace: evil}',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: runner-admin}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
        'subjects: [{kind: ServiceAccount, name: runner, namespace: evil}]',
        '',
      ].join('\n'),
    );
    const file = buildReport([join(dir, 'hostile.yaml')]);
    const text = readFileSync(file, 'utf8');
    // The data holds the payload only as JSON escapes: one closing script tag per inlined script, none from the data.
    expect(text.match(/<\/script>/g)!.length).toBe(4);
    const {page, errors, requests} = await open(file);
    expect(await page.evaluate(() => (globalThis as unknown as {__pwned?: number}).__pwned)).toBeUndefined();
    await clickElement(page, 'pod:evil/web');
    const details = await page.locator('#details').textContent();
    expect(details).toContain(`registry.example/app${payload}`);
    expect(details).toContain(payload);
    expect(await page.locator('#details img, #details script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as {__pwned?: number}).__pwned)).toBeUndefined();
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('kubepath report: a generated 10,000-pod cluster', () => {
  it('stays under 10 MB, opens, and draws its paths', async () => {
    const file = buildReport([generatedCluster(10_000, 1)]);
    const bytes = readFileSync(file).length;
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
    const {page, errors, requests} = await open(file);
    const nodes = await drawn(page, 'node');
    expect(nodes.length).toBeGreaterThan(5);
    // A workload's pods on the paths are one node, which lists them.
    const replicas = nodes.filter((id) => id.startsWith('replicas:'));
    expect(replicas.length).toBeGreaterThan(0);
    await clickElement(page, replicas[0]!);
    expect(await page.locator('#details h4').first().textContent()).toMatch(/^Pods of this workload on the paths \(\d+\)$/);
    expect(await page.locator('#details ul li').count()).toBeGreaterThan(1);
    await page.locator('#findings li[data-finding="0"]').click();
    expect((await drawn(page, '.highlighted')).length).toBeGreaterThan(2);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });
});
