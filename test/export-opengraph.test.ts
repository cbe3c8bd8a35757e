/**
 * `kubepath export opengraph`: BloodHound CE's generic OpenGraph payload. Checked with a
 * zod mirror of BloodHound's payload JSON schemas (packages/go/chow/payload/jsonschema:
 * schema.json, node.json, edge.json; metadata takes only source_kind): every node and
 * edge of `kubepath graph`, ends that exist, lowercase property names, hostile values as
 * data, the same bytes every time.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {expectedExport, hostilePodFile} from './helpers/export-expected.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';

const notTag = (text: string) => !/^[Tt][Aa][Gg](?:_|$)/.test(text);
const primitive = z.union([z.string(), z.number(), z.boolean()]);
const propertyMap = z
  .record(z.string(), z.union([primitive, z.array(z.string()), z.array(z.number()), z.array(z.boolean())]))
  .refine((map) => !('objectid' in map), 'objectid is reserved')
  .nullable();
const endpoint = z.union([
  z.object({match_by: z.enum(['id', 'name']).default('id'), value: z.string(), kind: z.string().optional()}).strict(),
  z
    .object({
      match_by: z.literal('property'),
      property_matchers: z.array(z.object({key: z.string(), operator: z.literal('equals'), value: primitive})).min(1),
      kind: z.string().optional(),
    })
    .strict(),
]);
const node = z.object({id: z.string(), kinds: z.array(z.string().refine(notTag)).max(3), properties: propertyMap.optional()});
const edge = z.object({
  start: endpoint,
  end: endpoint,
  kind: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .refine(notTag),
  properties: propertyMap.optional(),
});
const payload = z.object({
  $schema: z.string().optional(),
  metadata: z.object({source_kind: z.string().nullable()}).strict().optional(),
  graph: z.object({nodes: z.array(node).optional(), edges: z.array(edge).optional()}).strict(),
});

function exported(inputs: string[], cluster = 'default'): string {
  const out = join(tempDir(), 'opengraph.json');
  const result = runCli(['export', 'opengraph', ...inputs, '--out', out, '--cluster', cluster]);
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('kubepath export opengraph', () => {
  it('validates against the OpenGraph payload schema, with every node and edge of kubepath graph and the findings', () => {
    const text = exported([EXAMPLE], 'prod');
    expect(exported([EXAMPLE], 'prod')).toBe(text);
    const json = payload.parse(JSON.parse(text));
    const graph = expectedExport([EXAMPLE]);
    expect(json.metadata).toEqual({source_kind: 'Kubepath'});
    expect(json.graph.nodes!.length).toBe(graph.nodes.length);
    expect(json.graph.edges!.length).toBe(graph.edges.length);
    const ids = new Set(json.graph.nodes!.map((n) => n.id));
    expect(ids.size).toBe(graph.nodes.length);
    for (const e of json.graph.edges!) {
      expect(ids.has((e.start as {value: string}).value)).toBe(true);
      expect(ids.has((e.end as {value: string}).value)).toBe(true);
    }
    for (const n of json.graph.nodes!) {
      expect(n.id).toMatch(/^k8s:\/\/prod\//);
      expect(n.kinds[0]).toMatch(/^K8s[A-Z]/);
      for (const key of Object.keys(n.properties ?? {})) expect(key).toMatch(/^[a-z0-9_]+$/);
    }
    expect(new Set(json.graph.edges!.map((e) => e.kind))).toEqual(
      new Set(
        graph.edges.map(
          (e) =>
            `K8s${String(e.type)
              .toLowerCase()
              .replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`,
        ),
      ),
    );
    expect(json.graph.nodes!.filter((n) => n.kinds[0] === 'K8sFinding').length).toBe(graph.findings.length);
    const pod = json.graph.nodes!.find((n) => n.id === 'k8s://prod/pod:ingress-nginx/ingress-nginx-controller')!;
    expect(pod.kinds).toEqual(['K8sPod', 'K8sBase']);
    expect(pod.properties).toMatchObject({
      kubepath_id: 'pod:ingress-nginx/ingress-nginx-controller',
      namespace: 'ingress-nginx',
      service_account: 'ingress-nginx',
    });
  });

  it('keeps hostile values as data', () => {
    const hostile = `</script><img src=x onerror=alert(1)> "quotes" \u0000`;
    const file = hostilePodFile(hostile, 'nginx');
    const json = payload.parse(JSON.parse(exported([file])));
    const pod = json.graph.nodes!.find((n) => n.id === 'k8s://default/pod:evil/web')!;
    expect(JSON.parse(pod.properties!.labels as string)).toEqual({app: hostile});
  });
});
