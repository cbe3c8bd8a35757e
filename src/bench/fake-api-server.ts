/**
 * kubepath's stand-in Kubernetes API server
 * =========================================
 *
 * The API server cannot run here, so the collector's tests and `npm run bench` talk
 * to this one: HTTPS with a self-signed certificate, bearer-token authentication,
 * and the list API as the real server speaks it for every resource the collector
 * reads. Items carry no kind or apiVersion (the list names them), every object
 * carries managedFields, `limit` and `continue` page a list (an opaque token), and
 * Secrets come with their `data` unless the request asks for
 * PartialObjectMetadataList (their last-applied annotation holds the value too, as
 * `kubectl apply` leaves it). Discovery (`/api`, `/api/v1`, `/apis`,
 * `/apis/<group>/<version>`) lists what is served. As the real server, it authorizes
 * before it routes: a forbidden kind answers 403 even where it is not served. Faults
 * are set per kind: 403, not served (404), a 429 with Retry-After on one page, a 500 on
 * one page, continue tokens that expire (410), objects made bulky by their
 * managedFields; and what a hostile or broken server does and the real one cannot be
 * made to: a 429 on every request, an answer trickled a byte at a time, a continue
 * token handed back again, a list that never ends, continue tokens of any length, one
 * page of millions of empty items. List answers are written item by item as the client
 * takes them, so that a huge one is never held whole here. Every request is recorded.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {LIST_RESOURCES, type ListResource} from '../collect/resources.js';

type Json = Record<string, unknown>;

export interface FakeObject {
  kind: string;
  apiVersion: string;
  metadata: Json;
  [field: string]: unknown;
}

export interface Faults {
  /** Kinds every list of which answers 403, as RBAC would. */
  forbidden?: string[];
  /** Kinds the server does not serve at all (no CRD installed): 404 for every version. */
  notServed?: string[];
  /** Kinds served only at these versions (others 404): a cluster on an older API. */
  versions?: Record<string, string[]>;
  /** One page of a kind answers 429 with this Retry-After, once. */
  throttle?: {kind: string; page: number; retryAfter: string};
  /** Every list request of these kinds (from this page on; default the first) answers 429 with this Retry-After: a storm. */
  throttleAlways?: {kinds: string[]; retryAfter: string; fromPage?: number};
  /** Lists of these kinds answer 200 at once, then their body one byte every `intervalMs`. */
  trickle?: {kinds: string[]; intervalMs: number};
  /** Pages of a kind after the first hand back the continue token they were asked with: the list never ends. */
  repeatContinue?: string;
  /** A list of this kind never ends: every page hands out a fresh continue token (to the first objects again). */
  endless?: string;
  /** One page of a kind answers 500, once. */
  serverError?: {kind: string; page: number};
  /** The continue token for this page of a kind expires (410), with every token issued before it; once. */
  expire?: {kind: string; page: number};
  /** Every continue token of this kind expires at once: only a list read whole succeeds. */
  expireAlways?: string;
  /** Discovery answers 403 (the collector must then try each version by listing). */
  discoveryForbidden?: boolean;
  /** Ignore metadata-only requests for Secrets and send full SecretLists. */
  ignoreMetadataOnly?: boolean;
  /** Each object of a kind carries this many bytes more, in its managedFields (which a client drops): pages as large as etcd allows. */
  bulky?: {kind: string; bytes: number};
  /** Continue tokens of a kind are this many bytes longer: fresh each page, as long as a hostile server likes. */
  longContinue?: {kind: string; bytes: number};
  /** A list of a kind answers one page of this many empty items (`{}`, 3 bytes each), whatever its limit: 80 million make 240 MB. */
  hugePage?: {kind: string; items: number};
}

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  accept: string;
  authorization: string;
  status: number;
  /** When it was answered (ms since 1970). */
  at: number;
}

export interface FakeApiServer {
  url: string;
  /** The server's certificate (PEM), for a kubeconfig's certificate-authority-data. */
  ca: string;
  token: string;
  requests: RecordedRequest[];
  /** A kubeconfig for this server: `token` overrides the right one. */
  kubeconfig(options?: {token?: string; context?: string}): string;
  close(): Promise<void>;
}

/** A certificate for 127.0.0.1 and localhost, made by openssl for this server only. */
function selfSignedCertificate(): {key: string; cert: string} {
  const dir = mkdtempSync(join(tmpdir(), 'kubepath-fake-api-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=kubepath-fake-apiserver',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      {stdio: 'pipe'},
    );
    return {key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8')};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

function status(code: number, reason: string, message: string, details?: Json): Json {
  return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? {details} : {}), code};
}

/** An object as the API server stores it: managedFields added (with `bulk` in them); a Secret's data, and its last-applied copy, filled in. */
function stored(object: FakeObject, bulk?: string): Json {
  const {kind: _kind, apiVersion: _apiVersion, ...item} = object;
  const managedFields: Json[] = [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: object.apiVersion,
      time: '2026-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {'f:metadata': {'f:labels': {}}},
    },
  ];
  if (bulk !== undefined)
    managedFields.push({
      manager: 'bulk',
      operation: 'Apply',
      apiVersion: object.apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: {'f:metadata': {[`f:${bulk}`]: {}}},
    });
  if (object.kind !== 'Secret') return {...item, metadata: {...object.metadata, managedFields}};
  const data = {value: fakeSecretValue(object)};
  const lastApplied = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: object.metadata.name, namespace: object.metadata.namespace},
    data,
  });
  const annotations = {
    ...(object.metadata.annotations as Json | undefined),
    'kubectl.kubernetes.io/last-applied-configuration': lastApplied,
  };
  return {...item, metadata: {...object.metadata, annotations, managedFields}, data};
}

/** A Secret's value as the server would send it without metadata-only: what must never reach a snapshot. */
export function fakeSecretValue(object: FakeObject): string {
  return Buffer.from(`s3cret-value-of-${String(object.metadata.namespace)}-${String(object.metadata.name)}`).toString('base64');
}

/** Each of `objects` as JSON text, made only when it is sent. */
function* lazily<T>(objects: readonly T[], store: (object: T) => Json): Generator<string> {
  for (const object of objects) yield JSON.stringify(store(object));
}

/** `count` empty items, in runs of many (each run one part of the answer). */
function* emptyItems(count: number): Generator<string> {
  const RUN = 20_000;
  const run = Array.from({length: RUN}, () => '{}').join(',');
  for (let left = count; left > 0; left -= RUN) yield left >= RUN ? run : run.slice(0, 3 * left - 1);
}

/** A list answer in parts: `{"kind":...,"metadata":{...},"items":[` (the list's own members first, as the API server writes them), the items, `]}`. */
function* listParts(list: Json, items: Iterable<string>): Generator<string> {
  yield `${JSON.stringify(list).slice(0, -1)},"items":[`;
  let first = true;
  for (const item of items) {
    yield first ? item : `,${item}`;
    first = false;
  }
  yield ']}';
}

/** Until the client has taken what was written (`drain`) or, with `ms`, that long; sooner if it goes away. */
function until(res: http.ServerResponse, ms?: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    if (ms === undefined) res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes `parts` no faster than the client reads them (so a huge answer is never held
 * here), or one byte every `trickleMs`; stops when the client goes away.
 */
async function writeParts(res: http.ServerResponse, parts: Iterable<string>, trickleMs: number | undefined): Promise<void> {
  let gone = false;
  res.on('close', () => (gone = true));
  for (const part of parts) {
    if (trickleMs === undefined) {
      if (!res.write(part)) await until(res);
    } else {
      const bytes = Buffer.from(part);
      for (let sent = 0; sent < bytes.length && !gone; sent++) {
        await until(res, trickleMs);
        if (!gone) res.write(bytes.subarray(sent, sent + 1));
      }
    }
    if (gone) return;
  }
  res.end();
}

interface Route {
  resource: ListResource;
  version: string;
  namespace: string | undefined;
}

/** Parses `/api/v1/pods`, `/apis/apps/v1/namespaces/shop/deployments`. */
function routeOf(path: string): Route | undefined {
  const match = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const [, coreVersion, group, groupVersion, namespace, plural] = match;
  const resource = LIST_RESOURCES.find((r) => r.resource === plural && r.group === (group ?? ''));
  if (!resource || (namespace !== undefined && !resource.spec.namespaced)) return undefined;
  return {
    resource,
    version: (coreVersion ?? groupVersion)!,
    namespace: namespace === undefined ? undefined : decodeURIComponent(namespace),
  };
}

/** `/api`, `/api/v1`, `/apis` and `/apis/<group>/<version>` as the server would answer them for what it serves; undefined for other paths. */
function discoveryDocument(path: string, servedVersions: (resource: ListResource) => string[]): Json | undefined {
  const served = LIST_RESOURCES.flatMap((resource) => servedVersions(resource).map((version) => ({resource, version})));
  const resourceList = (group: string, version: string): Json => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: served
      .filter((s) => s.resource.group === group && s.version === version)
      .map((s) => ({
        name: s.resource.resource,
        kind: s.resource.spec.kind,
        namespaced: s.resource.spec.namespaced,
        verbs: ['get', 'list', 'watch'],
      })),
  });
  if (path === '/api') return {kind: 'APIVersions', versions: ['v1']};
  if (path === '/api/v1') return resourceList('', 'v1');
  if (path === '/apis') {
    const groups = [...new Set(served.filter((s) => s.resource.group !== '').map((s) => s.resource.group))];
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((name) => {
        const versions = [...new Set(served.filter((s) => s.resource.group === name).map((s) => s.version))].map((version) => ({
          groupVersion: `${name}/${version}`,
          version,
        }));
        return {name, versions, preferredVersion: versions[0]};
      }),
    };
  }
  const match = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (match && served.some((s) => s.resource.group === match[1] && s.version === match[2])) return resourceList(match[1]!, match[2]!);
  return undefined;
}

export async function startFakeApiServer(
  objects: Iterable<FakeObject>,
  options: {faults?: Faults; serverVersion?: string} = {},
): Promise<FakeApiServer> {
  const faults = options.faults ?? {};
  const byKind = new Map<string, FakeObject[]>();
  for (const object of objects) {
    const list = byKind.get(object.kind) ?? [];
    list.push(object);
    byKind.set(object.kind, list);
  }
  const token = `kubepath-test-${Math.random().toString(36).slice(2)}`;
  const {key, cert} = selfSignedCertificate();
  const requests: RecordedRequest[] = [];
  const fired = new Set<string>();
  const once = (name: string): boolean => (fired.has(name) ? false : (fired.add(name), true));
  const resourceVersion = '918273';
  /** Continue tokens carry their list's epoch; an expiry moves the epoch on, so every older token is stale. */
  const epochs = new Map<string, number>();
  /** Makes each continue token of an endless list new. */
  let issued = 0;

  // As the real API server (Go's DefaultMaxHeaderBytes): a request line may carry a long continue token.
  const server = https.createServer({key, cert, maxHeaderSize: 1024 * 1024}, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const accept = String(req.headers.accept ?? '');
    const authorization = String(req.headers.authorization ?? '');
    const record = (code: number): void =>
      void requests.push({path: url.pathname, query, accept, authorization, status: code, at: Date.now()});
    const send = (code: number, body: Json, headers: Record<string, string> = {}): void => {
      record(code);
      res.writeHead(code, {'Content-Type': 'application/json', ...headers});
      res.end(JSON.stringify(body));
    };
    /** A list answer: its own members, then its items (JSON texts) as the client takes them, or a byte every `trickleMs`. */
    const sendList = (list: Json, items: Iterable<string>, trickleMs: number | undefined): void => {
      record(200);
      res.writeHead(200, {'Content-Type': 'application/json'});
      void writeParts(res, listParts(list, items), trickleMs);
    };
    if (authorization !== `Bearer ${token}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (url.pathname === '/version') return send(200, {major: '1', minor: '30', gitVersion: options.serverVersion ?? 'v1.30.4'});
    const servedVersions = (resource: ListResource): string[] =>
      faults.notServed?.includes(resource.spec.kind) ? [] : (faults.versions?.[resource.spec.kind] ?? [resource.versions[0]!]);
    const discovery = discoveryDocument(url.pathname, servedVersions);
    if (discovery) {
      if (faults.discoveryForbidden && url.pathname.startsWith('/apis'))
        return send(
          403,
          status(403, 'Forbidden', `forbidden: User "system:serviceaccount:kubepath:collector" cannot get path "${url.pathname}"`),
        );
      return send(200, discovery);
    }
    const route = routeOf(url.pathname);
    if (!route || req.method !== 'GET') return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const {resource, version, namespace} = route;
    const kind = resource.spec.kind;
    const group = resource.group;
    // Authorization comes before routing: a forbidden resource is forbidden whether served or not.
    if (faults.forbidden?.includes(kind)) {
      const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
      return send(
        403,
        status(
          403,
          'Forbidden',
          `${resource.resource}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:kubepath:collector" cannot list resource "${resource.resource}" in API group "${group}" ${scope}`,
          {kind: resource.resource},
        ),
      );
    }
    if (!servedVersions(resource).includes(version))
      return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const all = (byKind.get(kind) ?? []).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    const listKey = `${kind}/${namespace ?? ''}`;
    const expired = (): void =>
      send(
        410,
        status(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        ),
      );
    let offset = 0;
    if (query.continue !== undefined) {
      let decoded: {rv: string; start: number; kind: string; epoch: number};
      try {
        decoded = JSON.parse(Buffer.from(query.continue, 'base64url').toString('utf8')) as typeof decoded;
        if (decoded.kind !== kind || !Number.isInteger(decoded.start)) throw new Error('bad token');
      } catch {
        return send(400, status(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion'));
      }
      if (decoded.epoch !== (epochs.get(listKey) ?? 0) || faults.expireAlways === kind) return expired();
      offset = decoded.start;
    }
    const limit = Math.max(1, query.limit === undefined ? all.length : Number(query.limit));
    const page = Math.floor(offset / limit) + 1;
    const fault = (spec: {kind: string; page: number} | undefined, name: string): boolean =>
      spec?.kind === kind && spec.page === page && once(`${name}/${kind}/${namespace ?? ''}`);
    const storm =
      faults.throttleAlways?.kinds.includes(kind) && page >= (faults.throttleAlways.fromPage ?? 1) ? faults.throttleAlways : undefined;
    const throttled = fault(faults.throttle, 'throttle') ? faults.throttle : storm;
    if (throttled) {
      return send(429, status(429, 'TooManyRequests', 'The API server is handling too many requests; please try again later.'), {
        'Retry-After': throttled.retryAfter,
      });
    }
    if (fault(faults.serverError, 'error'))
      return send(500, status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out'));
    if (query.continue !== undefined && fault(faults.expire, 'expire')) {
      epochs.set(listKey, (epochs.get(listKey) ?? 0) + 1);
      return expired();
    }
    const trickleMs = faults.trickle?.kinds.includes(kind) ? faults.trickle.intervalMs : undefined;
    if (faults.hugePage?.kind === kind)
      return sendList({kind: `${kind}List`, apiVersion: 'v1', metadata: {}}, emptyItems(faults.hugePage.items), trickleMs);
    const slice = all.slice(offset, offset + limit);
    const padding = faults.longContinue?.kind === kind ? {padding: 'x'.repeat(faults.longContinue.bytes)} : {};
    const continueToken = (start: number): string =>
      Buffer.from(
        JSON.stringify({
          rv: resourceVersion,
          start,
          kind,
          epoch: epochs.get(listKey) ?? 0,
          ...(faults.endless === kind ? {n: ++issued} : {}),
          ...padding,
        }),
      ).toString('base64url');
    const next =
      faults.repeatContinue === kind && query.continue !== undefined
        ? query.continue
        : faults.endless === kind
          ? continueToken((offset + limit) % Math.max(1, all.length))
          : offset + limit < all.length
            ? continueToken(offset + limit)
            : undefined;
    const metadata: Json = {
      resourceVersion,
      ...(next ? {continue: next, remainingItemCount: Math.max(0, all.length - offset - limit)} : {}),
    };
    const apiVersion = group ? `${group}/${version}` : version;
    const bulk = faults.bulky?.kind === kind ? 'x'.repeat(faults.bulky.bytes) : undefined;
    if (kind === 'Secret' && accept.includes('as=PartialObjectMetadataList') && !faults.ignoreMetadataOnly) {
      const items = lazily(slice, (o) => ({
        apiVersion: 'meta.k8s.io/v1',
        kind: 'PartialObjectMetadata',
        metadata: stored(o, bulk).metadata,
      }));
      return sendList({kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata}, items, trickleMs);
    }
    return sendList(
      {kind: `${kind}List`, apiVersion, metadata},
      lazily(slice, (o) => stored(o, bulk)),
      trickleMs,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ca: cert,
    token,
    requests,
    kubeconfig: (given = {}) => {
      const context = given.context ?? 'fake';
      return [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: fake-cluster',
        '  cluster:',
        `    server: ${url}`,
        `    certificate-authority-data: ${Buffer.from(cert).toString('base64')}`,
        'users:',
        '- name: collector',
        '  user:',
        `    token: ${given.token ?? token}`,
        'contexts:',
        `- name: ${context}`,
        '  context: {cluster: fake-cluster, user: collector}',
        `current-context: ${context}`,
        '',
      ].join('\n');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
