/**
 * The live collector's bounds (src/collect/bounds.ts, docs/collect.md) against the
 * stand-in API server misbehaving as a hostile or broken one would: a continue token
 * handed back again, a list that never ends, an answer trickled a byte every 3 s, a 429
 * storm, a page of millions of empty items, an object larger than any the API server
 * stores, continue tokens of 200 KB. Each list ends within its bound as a coverage gap
 * that names the flag raising it, keeping nothing of itself, and the whole collection
 * within its own; the command reads the rest, warns and exits 0. A whole-list answer
 * larger than the old 256 MB cap is read, item by item. And the user:password a server
 * URL may carry, however it is spelt, reaches neither the snapshot nor stderr.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {FakeObject, RecordedRequest} from '../src/bench/fake-api-server.js';
import {ApiError} from '../src/collect/api-client.js';
import {DEFAULT_LIST_BOUNDS, listBoundsOf, ListBudget} from '../src/collect/bounds.js';
import {ListReader} from '../src/collect/list-reader.js';
import {listPath, LIST_RESOURCES} from '../src/collect/resources.js';
import {generateCluster} from '../src/generate/cluster.js';
import {KINDS, kindNamed} from '../src/snapshot/kinds.js';
import {loadInputs} from '../src/snapshot/load.js';
import type {CoverageGap, Snapshot} from '../src/snapshot/snapshot.js';
import {runCli, runCliAsync, tempDir} from './helpers/cli.js';
import {closeServed, collectFake, serveFake} from './helpers/fake-api.js';

const CLUSTER: FakeObject[] = [...generateCluster({pods: 40, seed: 7})];
const PODS = CLUSTER.filter((o) => o.kind === 'Pod').length;

/** Above any bound a test sets: a Node start per command, and CI's two cores shared by two test files. */
const MARGIN_SECONDS = 20;
/**
 * Peak memory of a collection that holds little: the CLI takes about 170 MB here, and its
 * young generation (64 MB semispaces, bin/run.js) may hold some 200 MB of garbage more.
 * Parsing a 60 MB page of empty items whole took 2.1 GB.
 */
const SMALL_PEAK_MIB = 600;
const MiB = 1024 * 1024;

afterEach(closeServed);

const countOf = (snapshot: Snapshot, kind: string): number => snapshot.objects[kindNamed(kind)!.key].length;
const served = (kind: string): number => CLUSTER.filter((o) => o.kind === kind).length;
const podGap = (snapshot: Snapshot | undefined): CoverageGap | undefined => snapshot?.coverage.gaps.find((gap) => gap.kind === 'Pod');
const podLists = (requests: readonly RecordedRequest[]): RecordedRequest[] => requests.filter((r) => r.path === '/api/v1/pods');

/** The list behind `gap` left nothing of itself, every other kind was read whole, and stderr warns of the gap. */
function expectOnlyPodsMissing(collected: Awaited<ReturnType<typeof collectFake>>, reason: CoverageGap['reason']): void {
  const {result, snapshot} = collected;
  expect(result.status, result.stderr).toBe(0);
  expect(snapshot!.coverage.gaps.map((gap) => [gap.kind, gap.reason])).toEqual([['Pod', reason]]);
  expect(countOf(snapshot!, 'Pod')).toBe(0);
  for (const kind of ['Namespace', 'Service', 'Deployment', 'RoleBinding']) expect(countOf(snapshot!, kind), kind).toBe(served(kind));
  expect(result.stderr).toMatch(
    new RegExp(`kubepath: warning: coverage gap: Pod could not be read \\(${reason}\\): pods there are not seen`),
  );
  expect(result.stderr).toMatch(/with 1 coverage gap\n/);
}

describe('each list of the live collector is bounded', () => {
  it('stops a list at once when the server hands back a continue token it already gave', async () => {
    const collected = await collectFake(CLUSTER, {repeatContinue: 'Pod'}, ['--chunk-size', '5']);
    expectOnlyPodsMissing(collected, 'continue-loop');
    expect(podGap(collected.snapshot)!.message).toBe(
      'the list of pods would never end: page 2 hands back a continue token the API server already gave in this list; nothing of it is kept',
    );
    // The first page, then the page whose token came back: nothing after.
    expect(podLists(collected.api.requests).length).toBe(2);
    expect(collected.seconds).toBeLessThan(MARGIN_SECONDS);
  });

  it('stops a list that hands out fresh continue tokens forever at --max-list-pages', async () => {
    // Pages of 10: every other kind has at most 3.
    const collected = await collectFake(CLUSTER, {endless: 'Pod'}, ['--chunk-size', '10', '--max-list-pages', '4']);
    expectOnlyPodsMissing(collected, 'too-large');
    expect(podGap(collected.snapshot)!.message).toBe(
      'the list of pods has more than 4 pages (--max-list-pages raises it); nothing of it is kept',
    );
    expect(podLists(collected.api.requests).length).toBe(4);
  });

  it('caps the objects of a list (--max-list-objects) and its bytes (--max-list-bytes)', async () => {
    const cap = PODS - 1;
    const objects = await collectFake(CLUSTER, {}, ['--max-list-objects', String(cap)]);
    expect(objects.result.status).toBe(0);
    // Every kind with more objects than the cap is a gap and holds none; every other is whole.
    for (const {kind} of KINDS) {
      const gap = objects.snapshot!.coverage.gaps.find((g) => g.kind === kind);
      if (served(kind) > cap) {
        expect(gap, kind).toEqual({
          kind,
          reason: 'too-large',
          message: expect.stringMatching(
            new RegExp(`^the list of \\w+ has more than ${cap} objects \\(--max-list-objects raises it\\); nothing of it is kept$`),
          ),
        });
        expect(countOf(objects.snapshot!, kind), kind).toBe(0);
      } else {
        expect(gap, kind).toBeUndefined();
        expect(countOf(objects.snapshot!, kind), kind).toBe(served(kind));
      }
    }
    expect(podGap(objects.snapshot)).toBeDefined();

    const bytes = await collectFake(CLUSTER, {}, ['--max-list-bytes', '16Ki']);
    expect(bytes.result.status).toBe(0);
    expect(podGap(bytes.snapshot)).toEqual({
      kind: 'Pod',
      reason: 'too-large',
      message: 'the list of pods is larger than 16 KiB (--max-list-bytes raises it); nothing of it is kept',
    });
    expect(countOf(bytes.snapshot!, 'Pod')).toBe(0);
    expect(countOf(bytes.snapshot!, 'Namespace')).toBe(served('Namespace'));
    expect(bytes.result.stderr).toMatch(/coverage gap: Pod could not be read \(too-large\): .*--max-list-bytes raises it/);
  });

  it('cuts off an answer trickled a byte every 3 s at the list deadline (--list-timeout)', async () => {
    const collected = await collectFake(CLUSTER, {trickle: {kinds: ['Pod'], intervalMs: 3000}}, ['--list-timeout', '4']);
    expectOnlyPodsMissing(collected, 'timeout');
    expect(podGap(collected.snapshot)!.message).toBe(
      'the list of pods was cut off at its deadline, 4 s (--list-timeout raises it): GET /api/v1/pods?limit=500 was still being answered; nothing of it is kept',
    );
    // The server had begun to answer (200): it is the body that never ended.
    expect(podLists(collected.api.requests).map((r) => r.status)).toEqual([200]);
    expect(collected.seconds).toBeLessThan(4 + MARGIN_SECONDS);
  });

  it('in a 429 storm, ends the list at once when Retry-After asks for more time than the list has left', async () => {
    const collected = await collectFake(CLUSTER, {throttleAlways: {kinds: ['Pod'], retryAfter: '60'}}, ['--list-timeout', '30']);
    expectOnlyPodsMissing(collected, 'timeout');
    expect(podGap(collected.snapshot)!.message).toBe(
      'the list of pods was cut off at its deadline, 30 s (--list-timeout raises it): GET /api/v1/pods?limit=500 answered 429 and asked to wait 60 s (Retry-After); nothing of it is kept',
    );
    expect(podLists(collected.api.requests).map((r) => r.status)).toEqual([429]);
    // No wait of 60 s, nor of 30.
    expect(collected.seconds).toBeLessThan(MARGIN_SECONDS);
  });

  it('in a 429 storm, retries as the server asks while the list has time, then ends it within its deadline', async () => {
    const collected = await collectFake(CLUSTER, {throttleAlways: {kinds: ['Pod'], retryAfter: '1'}}, ['--list-timeout', '5']);
    expectOnlyPodsMissing(collected, 'timeout');
    expect(podGap(collected.snapshot)!.message).toBe(
      'the list of pods was cut off at its deadline, 5 s (--list-timeout raises it): GET /api/v1/pods?limit=500 answered 429 and asked to wait 1 s (Retry-After); nothing of it is kept',
    );
    // A try a second while a wait of 1 s still ends before the deadline: at most one at 0, 1, 2, 3 and 4 s.
    const tries = podLists(collected.api.requests);
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(tries.length).toBeLessThanOrEqual(5);
    expect(tries.every((r) => r.status === 429)).toBe(true);
    expect(collected.result.stderr).toMatch(/retried \d+ requests? \(first: GET \/api\/v1\/pods\?limit=500: 429, Retry-After 1\)/);
    expect(collected.seconds).toBeLessThan(5 + MARGIN_SECONDS);
  });

  it('ends a page of millions of empty items at the object bound as they arrive, in bounded memory and time', async () => {
    // 20 million `{}` in one 60 MB page: under every byte cap, and 200 times the object bound.
    const collected = await collectFake(CLUSTER, {hugePage: {kind: 'Pod', items: 20_000_000}}, [
      '--max-list-objects',
      '100000',
      '--list-timeout',
      '10',
    ]);
    expectOnlyPodsMissing(collected, 'too-large');
    expect(podGap(collected.snapshot)!.message).toBe(
      'the list of pods has more than 100,000 objects (--max-list-objects raises it); nothing of it is kept',
    );
    expect(collected.seconds).toBeLessThan(10 + MARGIN_SECONDS);
    expect(collected.peakMiB).toBeLessThan(SMALL_PEAK_MIB);
  });

  it('refuses an object larger than any the API server stores before it is all read', async () => {
    const collected = await collectFake(CLUSTER, {bulky: {kind: 'Pod', bytes: 17 * MiB}});
    expectOnlyPodsMissing(collected, 'too-large');
    expect(podGap(collected.snapshot)!.message).toBe(
      "the list of pods holds an object larger than 16 MiB, which no API server stores (etcd's own limit is 1.5 MiB unless raised); nothing of it is kept",
    );
    expect(collected.peakMiB).toBeLessThan(SMALL_PEAK_MIB);
  });

  it('reads a whole-list answer larger than 256 MB item by item, bounded by --max-list-bytes alone', async () => {
    // Continue tokens that always expire: the list is read whole, 40 pods of 7 MiB (their managedFields) in one answer of 280 MiB.
    const collected = await collectFake(CLUSTER, {bulky: {kind: 'Pod', bytes: 7 * MiB}, expireAlways: 'Pod'}, ['--chunk-size', '1']);
    expect(collected.result.status, collected.result.stderr).toBe(0);
    expect(collected.snapshot!.coverage.gaps).toEqual([]);
    expect(countOf(collected.snapshot!, 'Pod')).toBe(PODS);
    expect(podLists(collected.api.requests).map((r) => [r.status, r.query.limit])).toEqual([
      [200, '1'],
      [410, '1'],
      [200, '1'],
      [410, '1'],
      [200, undefined],
    ]);
    expect(readFileSync(collected.out, 'utf8')).not.toContain('xxxxxxxx');
    expect(collected.peakMiB).toBeLessThan(SMALL_PEAK_MIB);
  });

  it('names every request with its continue token cut short, however long the server makes it', async () => {
    // Fresh 200 KB tokens, and from page 3 a 429 on every try (Retry-After 0): retried, then a gap.
    const faults = {longContinue: {kind: 'Pod', bytes: 200 * 1024}, throttleAlways: {kinds: ['Pod'], retryAfter: '0', fromPage: 3}};
    const collected = await collectFake(CLUSTER, faults, ['--chunk-size', '5']);
    expect(collected.result.status, collected.result.stderr).toBe(0);
    const tries = podLists(collected.api.requests);
    expect(tries.map((r) => r.status)).toEqual([200, 200, 429, 429, 429, 429, 429, 429]);
    expect(tries.at(-1)!.query.continue!.length).toBeGreaterThan(200 * 1024);
    const request = /GET \/api\/v1\/pods\?limit=5&continue=[\w-]{15}…/.source;
    expect(podGap(collected.snapshot)).toEqual({
      kind: 'Pod',
      reason: 'error',
      message: expect.stringMatching(
        new RegExp(`^${request}: 429 The API server is handling too many requests; please try again later\\. \\(after 6 tries\\)$`),
      ),
    });
    expect(collected.result.stderr).toMatch(new RegExp(`coverage gap: Pod could not be read \\(error\\): .*; ${request}: 429 `));
    expect(collected.result.stderr).toMatch(new RegExp(`retried 5 requests \\(first: ${request}: 429, Retry-After 0\\)`));
    // The token's padding, base64 of `xxx...`, is nowhere.
    for (const text of [collected.result.stderr, readFileSync(collected.out, 'utf8')]) expect(text).not.toContain('eHh4eHh4eHh4');
  });

  it('ends the whole collection at --collect-timeout: lists under way are cut off there, those not begun are not tried', async () => {
    // The four lists after namespaces and nodes, trickled a byte a second, hold every slot past the collection's deadline.
    const trickled: string[] = LIST_RESOURCES.slice(2, 6).map((r) => r.spec.kind);
    expect(LIST_RESOURCES.slice(0, 2).map((r) => r.spec.kind)).toEqual(['Namespace', 'Node']);
    const collected = await collectFake(CLUSTER, {trickle: {kinds: trickled, intervalMs: 1000}}, [
      '--collect-timeout',
      '5',
      '--list-timeout',
      '60',
    ]);
    expect(collected.result.status, collected.result.stderr).toBe(0);
    const deadline = "was cut off at the collection's deadline, 5 s (--collect-timeout raises it)";
    const gaps = collected.snapshot!.coverage.gaps;
    expect(gaps.map((gap) => gap.kind).sort()).toEqual(
      LIST_RESOURCES.map((r) => r.spec.kind)
        .filter((kind) => kind !== 'Namespace' && kind !== 'Node')
        .sort(),
    );
    for (const gap of gaps) {
      const resource = LIST_RESOURCES.find((r) => r.spec.kind === gap.kind)!;
      const request = `GET ${listPath(resource, resource.versions[0]!)}?limit=500`;
      const why = trickled.includes(gap.kind) ? `${request} was still being answered` : `no time was left for ${request}`;
      expect(gap, gap.kind).toEqual({
        kind: gap.kind,
        reason: 'timeout',
        message: `the list of ${resource.resource} ${deadline}: ${why}; nothing of it is kept`,
      });
    }
    for (const kind of ['Namespace', 'Node']) expect(countOf(collected.snapshot!, kind), kind).toBe(served(kind));
    expect(collected.seconds).toBeLessThan(5 + MARGIN_SECONDS);
  });

  it('reads the bounds from the flags, in seconds or with units, and refuses malformed ones (exit 2)', () => {
    expect(listBoundsOf({})).toEqual(DEFAULT_LIST_BOUNDS);
    expect(
      listBoundsOf({'collect-timeout': '1h', 'list-timeout': '10m', 'max-list-bytes': '512Mi', 'max-list-pages': 7, 'max-list-objects': 9}),
    ).toEqual({
      collectTimeoutMs: 3_600_000,
      timeoutMs: 600_000,
      maxBytes: 512 * 1024 * 1024,
      maxPages: 7,
      maxObjects: 9,
    });
    expect(listBoundsOf({'list-timeout': '90', 'max-list-bytes': '4GiB'})).toMatchObject({timeoutMs: 90_000, maxBytes: 4 * 1024 ** 3});
    const cases: Array<[string[], RegExp]> = [
      [
        ['--list-timeout', '0'],
        /^kubepath: error: --list-timeout 0: expected a positive number of seconds, or of s, m or h \(90s, 10m\)$/m,
      ],
      [['--list-timeout', '5 days'], /^kubepath: error: --list-timeout 5 days: expected/m],
      [
        ['--collect-timeout', '-1'],
        /^kubepath: error: --collect-timeout -1: expected a positive number of seconds, or of s, m or h \(90s, 10m\)$/m,
      ],
      [
        ['--max-list-bytes', '4GB'],
        /^kubepath: error: --max-list-bytes 4GB: expected a positive number of bytes, or of Ki, Mi or Gi \(512Mi, 4Gi\)$/m,
      ],
      [['--max-list-pages', '0'], /^kubepath: error: .*max-list-pages/m],
    ];
    for (const [args, message] of cases) {
      const result = runCli(['collect', ...args]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const files = runCli(['analyze', 'examples/multi-tenant', '--max-list-objects', '5']);
    expect(files.status).toBe(2);
    expect(files.stderr).toMatch(/^kubepath: error: --max-list-objects reads a live cluster, so it cannot be given with INPUT files/m);
  });
});

describe('a list answer, read item by item as it arrives (src/collect/list-reader.ts)', () => {
  /** Reads `text` in chunks of `size` bytes with an object bound of `maxObjects`; what the reader gave, or the error it threw. */
  function read(
    text: string,
    size: number,
    maxObjects = DEFAULT_LIST_BOUNDS.maxObjects,
  ): {list?: unknown; count?: number; begun?: unknown; items: unknown[]; error?: Error} {
    const items: unknown[] = [];
    let begun: unknown;
    const budget = new ListBudget({...DEFAULT_LIST_BOUNDS, maxObjects}, 'the list of pods', Date.now() + 60_000);
    const reader = new ListReader(
      {begin: (members) => (begun = members), item: (value) => items.push(value)},
      budget,
      (why) => new Error(why),
    );
    const bytes = Buffer.from(text);
    try {
      for (let at = 0; at < bytes.length; at += size) reader.write(bytes.subarray(at, at + size));
      const {list, items: count} = reader.end();
      return {list, count, begun, items};
    } catch (error) {
      return {items, error: error as Error};
    }
  }

  it('gives each item and member as JSON.parse does, wherever the chunks split it', () => {
    const head = {kind: 'PodList', apiVersion: 'v1', metadata: {continue: 'a"b\\', resourceVersion: '1'}};
    const items = [
      {metadata: {name: 'p\\"q', annotations: {'a\\\\': '\\\\"}{][,:', u: 'é🙂\u2028\u0000'}}},
      1,
      -2.5e3,
      'str"',
      null,
      true,
      [],
      {},
      [[{}, '"']],
    ];
    const after = {after: {x: [1, 2]}, '': 0};
    const text = JSON.stringify({...head, items, ...after}, null, 1); // white space everywhere it may go
    for (const size of [1, 2, 3, 5, 64, text.length]) {
      const got = read(text, size);
      expect(got.error, `chunks of ${size}`).toBeUndefined();
      expect(got.items, `chunks of ${size}`).toEqual(items);
      expect(got.count).toBe(items.length);
      expect(got.begun).toEqual(head);
      expect(got.list).toEqual({...head, ...after});
    }
    expect(read('{"kind":"PodList","items":[]}', 4)).toMatchObject({list: {kind: 'PodList'}, count: 0, items: []});
  });

  it('ends the list at the item past its object bound, before reading that item', () => {
    const got = read('{"items":[{"a":1},{"a":2},{"a":3,"rest":"never read"}]}', 1, 2);
    expect(got.items).toEqual([{a: 1}, {a: 2}]);
    expect(got.error).toBeInstanceOf(ApiError);
    expect((got.error as ApiError).failure).toBe('too-large');
    expect(got.error!.message).toBe('the list of pods has more than 2 objects (--max-list-objects raises it)');
  });

  it('refuses an answer that is not a JSON list, and says how', () => {
    // What JSON.parse says of a value cut out of the answer is V8's wording.
    const parseError = /^the API server's answer is not JSON \(.+\)$/;
    const cases: Array<[string, string | RegExp]> = [
      ['', "the API server's answer is empty"],
      ['[1]', "the API server's answer is not a JSON object"],
      ['{"kind":"PodList"}', "the API server's answer is not a list (it has no items)"],
      ['{"items":null}', "the API server's answer is not a list (it has no items)"],
      ['{"items":[1,2]', "the API server's answer ends before its JSON does"],
      ['{"items":[{"a":"b}]}', "the API server's answer ends before its JSON does"],
      ['{"items":[],"items":[]}', "the API server's answer has items twice"],
      ['{"items":[]} {}', "the API server's answer goes on after its JSON ends"],
      ['{"items":[1 2]}', "the API server's answer is not JSON (unexpected '2')"],
      ['{"items":[1,]}', parseError],
      ['{"a" 1, "items":[]}', "the API server's answer is not JSON (unexpected '1')"],
      ['{"items":[tru]}', parseError],
    ];
    for (const [text, why] of cases) {
      for (const size of [1, 1000]) {
        const message = read(text, size).error?.message;
        if (typeof why === 'string') expect(message, `${text} in chunks of ${size}`).toBe(why);
        else expect(message, `${text} in chunks of ${size}`).toMatch(why);
      }
    }
  });
});

describe('a server URL with user:password in it', () => {
  const SECRET = 's3cret-pass';
  /** Every way of writing user:password into a server URL that Node's URL parser (and so the HTTP client) reads as such. */
  const spellings = (scheme: 'https' | 'http', hostPort: string): string[] =>
    [
      `${scheme}://`,
      `${scheme}:`,
      `${scheme}:/`,
      `${scheme}:///`,
      ` ${scheme}://`,
      `${scheme.slice(0, 2)}\t${scheme.slice(2)}://`,
      `${scheme}:\\\\`,
    ].map((start) => `${start}kubepath-user:${SECRET}@${hostPort}`);
  /** The kubeconfig with its server written as `server` (a JSON string is a YAML one). */
  const withServer = (kubeconfig: string, server: string): string =>
    readFileSync(kubeconfig, 'utf8').replace(/server: https:\/\/\S+/, `server: ${JSON.stringify(server)}`);
  const expectNoCredentials = (texts: string[]): void => {
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('kubepath-user');
    }
  };

  it('is named without them in the snapshot, on stderr and in errors, however it is spelt', async () => {
    const {server: api, kubeconfig} = await serveFake(CLUSTER, {forbidden: ['Secret']});
    const hostPort = api.url.slice('https://'.length);
    const configs = (scheme: 'https' | 'http', kubeconfigOf: string, at = hostPort): string[] =>
      spellings(scheme, at).map((server, i) => {
        const file = join(tempDir(), `kubeconfig-${scheme}-${i}`);
        writeFileSync(file, withServer(kubeconfigOf, server));
        expect(readFileSync(file, 'utf8')).toContain(SECRET);
        return file;
      });
    const collect = (files: string[]): Promise<Array<Awaited<ReturnType<typeof runCliAsync>> & {out: string; config: string}>> =>
      Promise.all(
        files.map(async (config) => {
          const out = join(tempDir(), 'snapshot.json');
          return {...(await runCliAsync(['collect', '--kubeconfig', config, '--out', out])), out, config};
        }),
      );

    // Read: each spelling reaches the server (as the kubeconfig's token), and is named as api.url.
    const read = await collect(configs('https', kubeconfig));
    for (const run of read) {
      expect(run.status, `${run.config}: ${run.stderr}`).toBe(0);
      expect((JSON.parse(readFileSync(run.out, 'utf8')) as Snapshot).source.server).toBe(api.url);
      expect(run.stderr).toContain(`kubepath: reading ${api.url} (context fake from ${run.config})`);
      expect(run.stderr).toMatch(/coverage gap: Secret could not be read \(forbidden\)/);
    }
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${api.token}`]));

    // Errors: a server that cannot be reached, one that lets nothing be read, an http:// server without insecure-skip-tls-verify.
    const {server: closedApi, kubeconfig: closed} = await serveFake(CLUSTER, {forbidden: KINDS.map((k) => k.kind)});
    const [unreachable, nothing, plain] = await Promise.all([
      collect(configs('https', kubeconfig, '127.0.0.1:1')),
      collect(configs('https', closed, closedApi.url.slice('https://'.length))),
      collect(configs('http', kubeconfig)),
    ]);
    for (const run of unreachable)
      expect(run.stderr).toMatch(/^kubepath: error: cannot reach the API server at https:\/\/127\.0\.0\.1:1: ECONNREFUSED/m);
    for (const run of nothing)
      expect(run.stderr).toMatch(/^kubepath: error: nothing could be read from https:\/\/127\.0\.0\.1:\d+ \(context fake\)/m);
    for (const run of plain)
      expect(run.stderr).toMatch(/^kubepath: error: .*: the server must be https:\/\/ .*: http:\/\/127\.0\.0\.1:\d+$/m);
    for (const run of [...unreachable, ...nothing, ...plain]) expect(run.status, run.stderr).toBe(2);
    expectNoCredentials(
      [...read, ...unreachable, ...nothing, ...plain].flatMap((run) => [
        run.stdout,
        run.stderr,
        ...(run.status === 0 ? [readFileSync(run.out, 'utf8')] : []),
      ]),
    );
  });

  it('is dropped from a snapshot an older kubepath saved with it, however it is spelt', async () => {
    const {server: api, kubeconfig} = await serveFake(CLUSTER);
    const collected = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--out', join(tempDir(), 'snapshot.json')]);
    expect(collected.status, collected.stderr).toBe(0);
    const written = readFileSync(collected.stderr.match(/wrote \d+ objects to (\S+)/)![1]!, 'utf8');
    const hostPort = api.url.slice('https://'.length);
    const saved = (server: string): string => {
      const file = join(tempDir(), 'old-snapshot.json');
      writeFileSync(file, written.replace(`"server": ${JSON.stringify(api.url)}`, `"server": ${JSON.stringify(server)}`));
      expect(readFileSync(file, 'utf8')).toContain(SECRET);
      return file;
    };
    for (const scheme of ['https', 'http'] as const) {
      for (const server of spellings(scheme, hostPort)) {
        const {snapshot} = await loadInputs([saved(server)]);
        expect(snapshot.source.server, JSON.stringify(server)).toBe(`${scheme}://${hostPort}`);
      }
    }
    // Through the CLI: read, analysed and saved again without them.
    const old = saved(spellings('https', hostPort)[6]!);
    const again = join(tempDir(), 'again.json');
    const reread = [await runCliAsync(['analyze', old]), await runCliAsync(['collect', old, '--out', again])];
    for (const run of reread) expect(run.status, run.stderr).toBe(0);
    expect(reread[0]!.stdout).toContain(`kubepath: live snapshot of ${api.url}`);
    expectNoCredentials([...reread.flatMap((r) => [r.stdout, r.stderr]), readFileSync(again, 'utf8')]);
  });
});
