/**
 * Repeatable flags take one value each: the word after a flag's value is INPUT, never a
 * second value. `--assume-breach all DIR` once took DIR as a selector and, left with no
 * INPUT, read the live cluster with the user's credentials. A stand-in API server that
 * the user's kubeconfig names records every request, and must see none.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFakeApiServer, type FakeApiServer} from '../src/bench/fake-api-server.js';
import {generateCluster} from '../src/generate/cluster.js';
import {EXAMPLE, runCliAsync, tempDir} from './helpers/cli.js';

let server: FakeApiServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startFakeApiServer(generateCluster({pods: 10, seed: 3}));
  const kubeconfig = join(tempDir(), 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig());
  env = {KUBECONFIG: kubeconfig};
});
afterAll(async () => {
  await server.close();
});

describe('repeatable flags', () => {
  it('--assume-breach all DIR reads DIR, as DIR --assume-breach all does, and asks no cluster anything', async () => {
    const before = await runCliAsync(['analyze', '--assume-breach', 'all', EXAMPLE, '-o', 'json'], {env});
    const after = await runCliAsync(['analyze', EXAMPLE, '--assume-breach', 'all', '-o', 'json'], {env});
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toBe(after.stdout);
    expect(JSON.parse(before.stdout).entryPoints).toContain('any pod');
    expect(server.requests).toEqual([]);
  });

  it('with no INPUT left, refuses a flag value that looks like a path instead of reading the live cluster', async () => {
    for (const value of [`${EXAMPLE}/`, join(EXAMPLE, 'shop.yaml'), 'cluster.json']) {
      const result = await runCliAsync(['analyze', '--assume-breach', value], {env});
      expect(result.status, value).toBe(2);
      expect(result.stderr).toContain(`--assume-breach took ${value} as its value, which looks like INPUT`);
      expect(result.stderr).not.toMatch(/reading https/);
    }
    const who = await runCliAsync(['who-can', 'get', 'secrets', '-n', `${EXAMPLE}/`], {env});
    expect(who.status).toBe(2);
    // A bare folder name (the CLI runs in the repository, beside examples/), as a selector and as contain's SEL.
    for (const args of [
      ['analyze', '--assume-breach', 'examples'],
      ['analyze', '--crown-jewel', 'examples'],
      ['paths', '--from', 'examples', '--to', 'cluster-admin'],
      ['contain', 'examples'],
    ]) {
      const result = await runCliAsync(args, {env});
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/examples .*looks like INPUT/);
    }
    expect(server.requests).toEqual([]);
  });

  it('checks selectors before reading anything: a typo costs no live collection', async () => {
    const cases: Array<[string[], string]> = [
      [['analyze', '--assume-breach', 'shop/storefront'], '--assume-breach: unknown selector "shop/storefront"'],
      [['analyze', '--crown-jewel', 'vault'], '--crown-jewel: unknown selector "vault"'],
      [['paths', '--from', 'internet', '--to', 'admin'], '--to: unknown selector "admin"'],
    ];
    for (const [args, message] of cases) {
      const result = await runCliAsync(args, {env});
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(server.requests).toEqual([]);
  });

  it('paths --from SEL INPUT --to SEL reads INPUT', async () => {
    const result = await runCliAsync(['paths', '--from', 'pod:shop/storefront', EXAMPLE, '--to', 'cluster-admin', '-o', 'json'], {env});
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).paths.length).toBeGreaterThan(0);
    expect(server.requests).toEqual([]);
  });

  it('--explain still takes its two selectors, SRC and DST, before or after INPUT', async () => {
    const first = await runCliAsync(['reach', '--explain', 'pod:shop/storefront', 'ns:payments', EXAMPLE], {env});
    const last = await runCliAsync(['reach', EXAMPLE, '--explain', 'pod:shop/storefront', 'ns:payments'], {env});
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(last.stdout);
    expect(first.stdout).toMatch(/^shop\/storefront\[Deployment\] => payments\/card-vault\[Deployment\] : No Connections$/m);
    expect(server.requests).toEqual([]);
  });
});
