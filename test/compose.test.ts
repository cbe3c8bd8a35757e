/**
 * docker-compose.yml and the Dockerfile (no Docker engine runs here): the file is parsed
 * and checked for the Neo4j service (image, ports, data volume, health check, auth from
 * the env file) and the kubepath service (built from the Dockerfile, waiting for a
 * healthy Neo4j, the input mounted), and the kubepath service's command line is run by
 * the real CLI against the test's Neo4j, with only the mount and host put in.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, inject, it} from 'vitest';
import {parse} from 'yaml';
import {EXAMPLE, ROOT, runCli} from './helpers/cli.js';

interface Service {
  image?: string;
  build?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  healthcheck?: {test: string[]};
  depends_on?: Record<string, {condition: string}>;
  command?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
/** Compose's `${NAME:-default}` with nothing set: the default. */
const defaults = (text: string): string => text.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml', () => {
  it('runs Neo4j 5.26 Community with its ports, a data volume, a health check, and auth from the env file', () => {
    const neo4j = compose.services.neo4j!;
    expect(neo4j.image).toBe('neo4j:5.26-community');
    expect(neo4j.ports).toEqual(expect.arrayContaining(['7474:7474', '7687:7687']));
    expect(neo4j.volumes).toContain('neo4j-data:/data');
    expect(Object.keys(compose.volumes)).toContain('neo4j-data');
    expect(neo4j.healthcheck?.test.join(' ')).toContain('cypher-shell');
    expect(defaults(neo4j.environment!.NEO4J_AUTH!)).toBe('neo4j/kubepath-local');
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const name of ['NEO4J_PASSWORD', 'KUBEPATH_INPUT', 'KUBEPATH_CLUSTER']) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('builds kubepath from the Dockerfile and exports the mounted input once Neo4j is healthy', () => {
    const kubepath = compose.services.kubepath!;
    expect(kubepath.build).toBe('.');
    expect(kubepath.depends_on).toEqual({neo4j: {condition: 'service_healthy'}});
    expect(kubepath.volumes!.map(defaults)).toEqual(['./examples/multi-tenant:/input:ro']);
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "\/kubepath\/bin\/run.js"\]/);
    for (const [, copied] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
      for (const path of copied!.split(' ')) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  it("the kubepath service's command loads the input, run by the real CLI", () => {
    const {uri, password} = inject('neo4j');
    const args = compose.services
      .kubepath!.command!.map(defaults)
      .map((arg) => (arg === '/input' ? EXAMPLE : arg === 'bolt://neo4j:7687' ? uri : arg));
    expect(args.slice(0, 3)).toEqual(['export', 'neo4j', EXAMPLE]);
    const result = runCli([...args, '--json'], {env: {NEO4J_PASSWORD: password}});
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({cluster: 'default'});
  });
});
