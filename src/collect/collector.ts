/**
 * kubepath live collector
 * =======================
 *
 * Lists every kind a snapshot holds from a live API server into one snapshot, the
 * same one the file loaders build (snapshot/builder.ts: redacted, checked, sorted).
 *
 * - Discovery first (`/api/v1`, `/apis`, `/apis/<group>/<version>`, readable by any
 *   authenticated user): a kind no version of which is served is a `not-served` gap
 *   without a list. Asking the list instead would not tell: the API server
 *   authorizes before it routes, so a missing CRD answers 403 to most identities.
 * - Each kind is listed cluster-wide, or per namespace with `namespaces`, a page
 *   (`limit`) at a time following `continue` to the end. Each item of a page is
 *   parsed, redacted and checked as it arrives (list-reader.ts), so the collector
 *   holds the snapshot and the item being read, however large a page; a list's
 *   objects join the snapshot when it ends, so that a list started again (its
 *   continue token expired) leaves nothing of itself behind. After two expiries a list
 *   is read whole, as client-go's pager does.
 * - Each list is bounded (bounds.ts): a deadline for all of it, its pages, retries and
 *   restarts, and caps on its pages, objects and bytes, and on each object's size; a
 *   continue token handed back twice ends it at once. A list that hits a bound leaves
 *   a gap of that reason and nothing of itself: a list cut off part way is an
 *   arbitrary part of the kind, which is what the gap says is missing. /version and
 *   discovery have the same deadline, and the whole collection one of its own.
 * - At most `concurrency` lists run at once.
 * - Secrets are asked for as metadata only (PartialObjectMetadataList): no secret
 *   value is sent, and an answer that is anything else is dropped unread.
 * - A kind the credentials may not list (403) or the server does not serve becomes a
 *   coverage gap, as does one that keeps failing, and an object the schema refuses is
 *   left out with a gap that names it; only a collection that reads nothing fails.
 *   Refused credentials (401), or none to be had, stop it at once.
 */
import {ApiClient, ApiError, clip, requestOf, type Json} from './api-client.js';
import {BOUND_FAILURES, DEFAULT_LIST_BOUNDS, ListBudget, type BoundFailure, type ListBounds} from './bounds.js';
import type {ItemSink} from './list-reader.js';
import {listPath, LIST_RESOURCES, type ListResource} from './resources.js';
import {admitObject, describe, formatPath, SnapshotBuilder} from '../snapshot/builder.js';
import {UsageError} from '../snapshot/errors.js';
import {isRecord} from '../snapshot/redact.js';
import type {CoverageGap, Snapshot} from '../snapshot/snapshot.js';
import {InFlight} from '../util/in-flight.js';
import {SA_NAME_ANNOTATION, TOKEN_SECRET_TYPE} from '../graph/pod-tokens.js';

/** kubectl's page size. */
export const DEFAULT_CHUNK_SIZE = 500;
/** Lists at once: enough to hide latency, few enough not to be throttled by API priority and fairness. */
export const DEFAULT_CONCURRENCY = 4;
/** Secrets as metadata only: the server sends no `data`. Nothing else is acceptable. */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export interface CollectOptions {
  /** List namespaced kinds in these namespaces only (cluster-scoped kinds are listed whole). */
  namespaces?: readonly string[] | undefined;
  chunkSize?: number;
  concurrency?: number;
  /** What one list may take before it is given up as a gap (default DEFAULT_LIST_BOUNDS). */
  bounds?: ListBounds;
  onProgress?: (progress: Progress) => void;
  /** When the collection is stamped (default now; the command honours SOURCE_DATE_EPOCH). */
  collectedAt?: Date;
}

export interface Progress {
  listsDone: number;
  listsTotal: number;
  objects: number;
}

export interface CollectResult {
  snapshot: Snapshot;
  /** Things the user should hear about (the gaps are in the snapshot's coverage). */
  warnings: string[];
  /** Requests retried (429, 5xx, dropped connections), and why. */
  retries: string[];
}

interface ListTask {
  resource: ListResource;
  namespace: string | undefined;
}

/** How a list is read: page by page, or whole (after its continue tokens expired twice). */
const ATTEMPTS = ['paged', 'paged', 'whole'] as const;

/** Objects the schema refused, of one kind and namespace: how many, and the first of them. */
interface RefusedTally {
  kind: string;
  namespace: string | undefined;
  count: number;
  first: string;
}
/** Objects the schema refused, per kind and namespace: left out, and reported as one gap each. */
type Refused = Map<string, RefusedTally>;

const isBoundFailure = (failure: string): failure is BoundFailure => (BOUND_FAILURES as readonly string[]).includes(failure);

/** Per group version: the resources it serves, or undefined when its discovery document could not be read. */
type Discovery = Map<string, Set<string> | undefined>;

const groupVersion = (group: string, version: string): string => (group === '' ? version : `${group}/${version}`);

/** A metadata-only Secret as the snapshot holds one; its type is known only for token secrets, from their annotation. */
function secretFromMetadata(item: Json): Json {
  const annotations = isRecord(item.metadata) && isRecord(item.metadata.annotations) ? item.metadata.annotations : {};
  const secret: Json = {apiVersion: 'v1', kind: 'Secret', metadata: item.metadata};
  if (typeof annotations[SA_NAME_ANNOTATION] === 'string') secret.type = TOKEN_SECRET_TYPE;
  return secret;
}

class Collection {
  private readonly builder = new SnapshotBuilder();
  private objects = 0;
  private listsDone = 0;
  private readonly refused: Refused = new Map();
  private readonly bounds: ListBounds;
  /** When the whole collection must end (ms since 1970): set as it starts. */
  private deadline = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly tasks: readonly ListTask[],
    private readonly options: CollectOptions,
  ) {
    this.bounds = options.bounds ?? DEFAULT_LIST_BOUNDS;
  }

  private progress(): void {
    this.options.onProgress?.({listsDone: this.listsDone, listsTotal: this.tasks.length, objects: this.objects});
  }

  /** The budget of one list (or of /version, or discovery), within the collection's. */
  private budget(what: string): ListBudget {
    return new ListBudget(this.bounds, what, this.deadline);
  }

  async run(): Promise<CollectResult> {
    this.deadline = Date.now() + this.bounds.collectTimeoutMs;
    const serverVersion = await this.preflight();
    const discovery = await this.discover();
    const pool = new InFlight(this.options.concurrency ?? DEFAULT_CONCURRENCY);
    const listGaps = new Map<ListTask, CoverageGap>();
    for (const task of this.tasks) {
      await pool.run(async () => {
        const gap = await this.list(task, discovery);
        if (gap) {
          this.builder.gap(gap);
          listGaps.set(task, gap);
        }
        this.listsDone++;
        this.progress();
      });
    }
    await pool.drain();
    const {target} = this.client;
    if (listGaps.size === this.tasks.length) {
      const gaps = this.tasks.map((task) => listGaps.get(task)!);
      const first = gaps.find((gap) => gap.reason !== 'not-served') ?? gaps[0];
      throw new UsageError(
        `nothing could be read from ${target.server} (context ${target.context}): ${first?.message ?? 'no kinds to list'}`,
      );
    }
    for (const {kind, namespace, count, first} of this.refused.values()) {
      const message = `${count} object${count === 1 ? '' : 's'} the API server sent could not be read and ${count === 1 ? 'is' : 'are'} left out; the first: ${first}`;
      this.builder.gap({kind, ...(namespace === undefined ? {} : {namespace}), reason: 'error', message});
    }
    this.builder.liveSource = {
      mode: 'live',
      inputs: [],
      cluster: target.cluster,
      context: target.context,
      server: target.server,
      ...(serverVersion === undefined ? {} : {serverVersion}),
      collectedAt: (this.options.collectedAt ?? new Date()).toISOString(),
    };
    const snapshot = this.builder.build();
    return {snapshot, warnings: this.builder.warnings, retries: this.client.retries};
  }

  /** A failure that stops the collection: no credentials, or credentials refused. */
  private fatal(error: ApiError): UsageError | undefined {
    const {target} = this.client;
    if (error.failure === 'credentials') return new UsageError(error.message);
    if (error.failure === 'unauthorized')
      return new UsageError(
        `the API server at ${target.server} refused the credentials of context ${target.context} (${target.from}): ${error.message}`,
      );
    return undefined;
  }

  /** Reaches the server and checks the credentials before listing anything; returns its version when it tells. */
  private async preflight(): Promise<string | undefined> {
    const {target} = this.client;
    try {
      const version = await this.client.getJson('/version', this.budget('the request for /version'));
      return typeof version.gitVersion === 'string' ? version.gitVersion : undefined;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fatal = this.fatal(error);
      if (fatal) throw fatal;
      if (error.failure === 'unreachable' || error.failure === 'timeout')
        throw new UsageError(`${error.message} (context ${target.context} from ${target.from})`);
      return undefined; // /version may be closed to this identity; the lists will tell
    }
  }

  /**
   * The resources each group version the collector may use serves. Undefined when the
   * group list itself cannot be read: then every version is tried by listing.
   */
  private async discover(): Promise<Discovery | undefined> {
    const budget = this.budget('discovery');
    const read = async (path: string): Promise<Json | undefined> => {
      try {
        return await this.client.getJson(path, budget);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const fatal = this.fatal(error);
        if (fatal) throw fatal;
        return undefined;
      }
    };
    const groups = await read('/apis');
    if (!groups || !Array.isArray(groups.groups)) return undefined;
    const served = new Map<string, Set<string>>([['', new Set(['v1'])]]);
    for (const group of groups.groups as unknown[]) {
      if (!isRecord(group) || typeof group.name !== 'string' || !Array.isArray(group.versions)) continue;
      served.set(group.name, new Set(group.versions.flatMap((v) => (isRecord(v) && typeof v.version === 'string' ? [v.version] : []))));
    }
    const wanted = new Set(
      LIST_RESOURCES.flatMap(({group, versions}) => versions.filter((v) => served.get(group)?.has(v)).map((v) => groupVersion(group, v))),
    );
    const discovery: Discovery = new Map();
    for (const gv of [...wanted].sort()) {
      const document = await read(gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
      const resources = document && Array.isArray(document.resources) ? document.resources : undefined;
      discovery.set(gv, resources && new Set(resources.flatMap((r) => (isRecord(r) && typeof r.name === 'string' ? [r.name] : []))));
    }
    return discovery;
  }

  /** The versions to try, newest first: those discovery says serve the resource (or whose document could not be read). */
  private versionsFor(resource: ListResource, discovery: Discovery | undefined): string[] {
    if (!discovery) return [...resource.versions];
    return resource.versions.filter((version) => {
      const gv = groupVersion(resource.group, version);
      return discovery.has(gv) && (discovery.get(gv) === undefined || discovery.get(gv)!.has(resource.resource));
    });
  }

  /** Lists one kind (in one namespace) to the end; returns the gap that stands for it if it cannot. */
  private async list(task: ListTask, discovery: Discovery | undefined): Promise<CoverageGap | undefined> {
    const {resource} = task;
    const gap = (reason: CoverageGap['reason'], message: string): CoverageGap => ({
      kind: resource.spec.kind,
      ...(task.namespace === undefined ? {} : {namespace: task.namespace}),
      reason,
      message,
    });
    const notServed = gap(
      'not-served',
      `the API server does not serve ${resource.resource} in ${resource.group || 'the core group'} (looked for ${resource.versions.join(', ')})`,
    );
    const versions = this.versionsFor(resource, discovery);
    if (versions.length === 0) return notServed;
    const budget = this.budget(`the list of ${resource.resource}${task.namespace === undefined ? '' : ` in namespace ${task.namespace}`}`);
    for (const attempt of ATTEMPTS) {
      let counted = 0;
      try {
        await this.listFrom(task, versions, attempt === 'paged', budget, (count) => {
          counted += count;
          this.objects += count;
          this.progress();
        });
        return undefined;
      } catch (error) {
        this.objects -= counted; // started again: the progress counts each object once
        if (!(error instanceof ApiError)) throw error;
        const fatal = this.fatal(error);
        if (fatal) throw fatal;
        if (error.failure === 'expired') {
          budget.restart();
          continue;
        }
        if (isBoundFailure(error.failure)) return gap(error.failure, `${error.message}; nothing of it is kept`);
        if (error.failure === 'forbidden') return gap('forbidden', error.message);
        if (error.failure === 'not-found') return notServed;
        if (error.failure === 'not-acceptable') {
          return gap(
            'error',
            `${error.message}: the API server cannot list ${resource.resource} as metadata only, so none was read (kubepath never reads secret values)`,
          );
        }
        return gap('error', error.message);
      }
    }
    return gap('error', `${listPath(resource, versions[0]!, task.namespace)}: the list expired before it could be read, even whole`);
  }

  /** The pages of one list (or the whole list in one answer), admitted as they come; the first version that answers is used. */
  private async listFrom(
    task: ListTask,
    versions: readonly string[],
    paged: boolean,
    budget: ListBudget,
    read: (count: number) => void,
  ): Promise<void> {
    let version: string | undefined;
    let first: Page | undefined;
    for (const candidate of versions) {
      try {
        first = await this.page(task, candidate, paged, budget, undefined);
        version = candidate;
        break;
      } catch (error) {
        if (!(error instanceof ApiError) || error.failure !== 'not-found' || candidate === versions.at(-1)) throw error;
      }
    }
    const admitted: Json[] = [];
    const refused: Refused = new Map();
    let page = first!;
    for (;;) {
      const given = isRecord(page.list.metadata) ? page.list.metadata.continue : undefined;
      const token = typeof given === 'string' && given !== '' ? given : undefined;
      budget.page(page.items, token);
      for (const object of page.sink.admitted) admitted.push(object);
      for (const tally of page.sink.refused.values()) countRefused(refused, tally);
      read(page.items);
      if (token === undefined) break;
      page = await this.page(task, version!, paged, budget, token);
    }
    for (const object of admitted) this.builder.add(task.resource.spec, object);
    for (const tally of refused.values()) countRefused(this.refused, tally);
  }

  /** One page of a list (or the whole list), its items admitted as they arrive. */
  private async page(task: ListTask, version: string, paged: boolean, budget: ListBudget, token: string | undefined): Promise<Page> {
    const {resource} = task;
    const path = listPath(resource, version, task.namespace);
    const query = new URLSearchParams(paged ? {limit: String(this.options.chunkSize ?? DEFAULT_CHUNK_SIZE)} : {});
    if (token !== undefined) query.set('continue', token);
    const request = query.size > 0 ? `${path}?${query}` : path;
    const secrets = resource.spec.kind === 'Secret';
    const source = `${this.client.target.server}${path}`;
    return this.client.getList(
      request,
      budget,
      secrets ? METADATA_ONLY : 'application/json',
      () => new PageItems(task, groupVersion(resource.group, version), source, requestOf(request)),
    );
  }
}

/** A page of a list as the collector reads it: the list's own members, how many items it had, and what became of them. */
interface Page {
  list: Json;
  items: number;
  sink: PageItems;
}

/** Adds the refused objects of `tally` to `refused`. */
function countRefused(refused: Refused, tally: RefusedTally): void {
  const key = `${tally.kind}\u0000${tally.namespace ?? ''}`;
  const known = refused.get(key);
  if (known) known.count += tally.count;
  else refused.set(key, {...tally});
}

/**
 * The items of one try at a page, admitted as they are read: the objects the snapshot
 * may keep, and a tally of those its kind's schema refuses. A try that fails takes its
 * items with it.
 */
class PageItems implements ItemSink {
  readonly admitted: Json[] = [];
  readonly refused: Refused = new Map();

  constructor(
    private readonly task: ListTask,
    private readonly apiVersion: string,
    /** The list's URL, for messages. */
    private readonly source: string,
    /** The request, for messages. */
    private readonly request: string,
  ) {}

  /** A Secret list must say that it holds metadata only before any of its items is read; any other answer is dropped unread. */
  begin(members: Json): void {
    if (this.task.resource.spec.kind === 'Secret' && members.kind !== 'PartialObjectMetadataList') {
      throw new ApiError(
        'not-acceptable',
        undefined,
        `${this.request}: the answer is a ${clip(String(members.kind), 100)}, not metadata only`,
      );
    }
  }

  item(value: unknown): void {
    if (!isRecord(value)) throw new ApiError('error', undefined, `${this.source}: an item that is not an object`);
    const {spec} = this.task.resource;
    const admitted = admitObject(
      spec,
      spec.kind === 'Secret' ? secretFromMetadata(value) : {apiVersion: this.apiVersion, kind: spec.kind, ...value},
    );
    if ('object' in admitted) {
      this.admitted.push(admitted.object);
      return;
    }
    const {at, detail} = admitted.problem;
    const namespace =
      spec.namespaced && isRecord(admitted.metadata) && typeof admitted.metadata.namespace === 'string'
        ? admitted.metadata.namespace
        : undefined;
    countRefused(this.refused, {
      kind: spec.kind,
      namespace,
      count: 1,
      first: `${describe(spec.kind, admitted.metadata)}: ${formatPath(at) || '(object)'}: ${detail}`,
    });
  }
}

/** Every kind of the snapshot, from the cluster `client` reads. */
export async function collectCluster(client: ApiClient, options: CollectOptions = {}): Promise<CollectResult> {
  const namespaces = options.namespaces && options.namespaces.length > 0 ? [...new Set(options.namespaces)].sort() : undefined;
  const tasks: ListTask[] = LIST_RESOURCES.flatMap((resource): ListTask[] =>
    resource.spec.namespaced && namespaces ? namespaces.map((namespace) => ({resource, namespace})) : [{resource, namespace: undefined}],
  );
  try {
    return await new Collection(client, tasks, options).run();
  } finally {
    client.close();
  }
}
