/**
 * kubepath API client
 * ===================
 *
 * GETs JSON from the API server with the credentials and TLS settings
 * @kubernetes/client-node derives from the kubeconfig (tokens, client
 * certificates, exec and auth-provider plugins, CA, proxy), applied afresh to each
 * request so that a refreshed token is picked up. client-node builds a new agent
 * each time, which would mean a new TLS handshake per page; its TLS settings go
 * into one keep-alive agent instead (a proxy keeps client-node's agent). The body is
 * kept as the server wrote it: the generated API classes would map it onto their
 * models and drop every field they do not know.
 *
 * 429 and 5xx answers and dropped connections are retried with exponential backoff,
 * or after the `Retry-After` the server names (capped); other failures become an
 * ApiError that says what the server said. Every request counts into the budget of
 * its list (bounds.ts): an answer still arriving at the list's deadline is cut off,
 * a retry that would come after it ends the list instead, and the answer's bytes
 * count towards the list's cap. A list answer is read item by item as it arrives
 * (list-reader.ts), never whole; any other answer is small, and refused past
 * MAX_OBJECT_BYTES. Messages name a request with its query (which holds the continue
 * token, as long as the server likes) cut short, and what the server said cut short too.
 *
 * Requests go to the server URL as the kubeconfig gives it, user:password included
 * (sent as basic authentication when no other credential is, as kubectl does);
 * `target.server`, which messages and the snapshot name, carries none.
 */
import http from 'node:http';
import https from 'node:https';
import type {BoundFailure, ListBudget} from './bounds.js';
import type {ClusterTarget} from './kubeconfig.js';
import {ListReader, type ItemSink} from './list-reader.js';

export type Json = Record<string, unknown>;

/** What went wrong, as the collector needs to tell it apart. */
export type FailureKind =
  'credentials' | 'unauthorized' | 'forbidden' | 'not-found' | 'expired' | 'not-acceptable' | 'unreachable' | 'error' | BoundFailure;

export class ApiError extends Error {
  constructor(
    readonly failure: FailureKind,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured as given; longer ones wait this long. */
  maxRetryAfterMs: number;
  /** A connection silent this long (no byte sent or received) is dropped. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000, timeoutMs: 60_000};

/** Network failures worth another try: the server or a load balancer dropped us. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** What reads a successful answer's body as it arrives, and what it made of it at the end. */
interface BodyReader<R> {
  write(chunk: Buffer): void;
  end(): R;
}

/** A successful answer (what its reader made of it), or a failed one with the start of its body, for the message. */
type Answer<R> = {status: number; headers: http.IncomingHttpHeaders} & ({ok: true; result: R} | {ok: false; body: Buffer});

/** Of a failed answer's body, only this much is kept: it is read for a Status message. */
const FAILURE_BODY_BYTES = 64 * 1024;
/** Of a message the server wrote, or a kind it named, this many characters are shown. */
const SERVER_TEXT_CHARS = 300;
/** Of a request's query (a continue token may be as long as the server likes), this many characters are shown. */
const QUERY_CHARS = 32;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** At most `chars` characters of `text`, the cut marked with `…` (and never inside a surrogate pair). */
export function clip(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = /[\ud800-\udbff]/.test(text[chars - 1]!) ? chars - 1 : chars;
  return `${text.slice(0, cut)}…`;
}

/** `GET /api/v1/pods?limit=500&continue=eyJydiI6IjkxO…`: a request as every message names it. */
export function requestOf(path: string): string {
  const query = path.indexOf('?');
  return `GET ${query < 0 ? path : `${path.slice(0, query + 1)}${clip(path.slice(query + 1), QUERY_CHARS)}`}`;
}

/** The message of a Kubernetes `Status` body, else the first line of the body (a failed answer's start), cut short. */
function statusMessage(status: number, body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as Json;
    if (typeof parsed.message === 'string' && parsed.message) return clip(parsed.message, SERVER_TEXT_CHARS);
  } catch {
    // not JSON (or cut short): fall through to the text itself
  }
  const line = text.trim().split('\n')[0] ?? '';
  return line ? clip(line, SERVER_TEXT_CHARS) : `HTTP ${status}`;
}

/** A small answer (/version, discovery), whole, as a JSON object. */
class DocumentReader implements BodyReader<Json> {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(
    private readonly budget: ListBudget,
    private readonly malformed: (why: string) => ApiError,
  ) {}

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.budget.objectBytes(this.bytes);
    this.chunks.push(chunk);
  }

  end(): Json {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(this.chunks).toString('utf8'));
    } catch {
      throw this.malformed("the API server's answer is not JSON");
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw this.malformed("the API server's answer is not a JSON object");
    return body as Json;
  }
}

export class ApiClient {
  /** Requests retried so far, and why (for the collection's summary). */
  readonly retries: string[] = [];
  /** Until the server has answered once, a refused or unresolvable connection fails at once: it is probably not there. */
  private answered = false;
  private agent: http.Agent | undefined;
  private agentIdentity = '';

  constructor(
    readonly target: ClusterTarget,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** The JSON object at `path` (below the server URL), a small one (not a list: `getList`), within `budget`. */
  async getJson(path: string, budget: ListBudget): Promise<Json> {
    return this.getWithRetries(path, 'application/json', budget, () => new DocumentReader(budget, this.malformed(path)));
  }

  /**
   * The list at `path`, within `budget`, read as it arrives: each item goes to a sink
   * (`newSink` makes one for each try, so that a retried request starts afresh), and
   * the list's other members come back with the sink that took the items of the try
   * that succeeded. `accept` asks for a representation.
   */
  async getList<S extends ItemSink>(
    path: string,
    budget: ListBudget,
    accept: string,
    newSink: () => S,
  ): Promise<{list: Json; items: number; sink: S}> {
    return this.getWithRetries(path, accept, budget, () => {
      const sink = newSink();
      const reader = new ListReader(sink, budget, this.malformed(path));
      return {write: (chunk) => reader.write(chunk), end: () => ({...reader.end(), sink})};
    });
  }

  /** The error for an answer to `path` that is not what was asked for. */
  private malformed(path: string): (why: string) => ApiError {
    return (why) => new ApiError('error', undefined, `${requestOf(path)}: ${why}`);
  }

  private async getWithRetries<R>(path: string, accept: string, budget: ListBudget, newReader: () => BodyReader<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      let answer: Answer<R>;
      try {
        answer = await this.get(path, accept, budget, newReader);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? '';
        const what = `${code || (error as Error).message}`;
        if (!TRANSIENT_CODES.has(code) || (!this.answered && code !== 'ECONNRESET') || attempt >= this.retry.attempts) {
          throw new ApiError('unreachable', undefined, `cannot reach the API server at ${this.target.server}: ${what}`);
        }
        await this.retryAfter(
          this.backoff(attempt),
          budget,
          `${requestOf(path)}: ${what}`,
          `${requestOf(path)} failed (${what}), and its next try would come too late`,
        );
        continue;
      }
      this.answered = true;
      if (answer.ok) return answer.result;
      const {status} = answer;
      const retriable = status === 429 || status >= 500;
      if (retriable && attempt < this.retry.attempts) {
        const header = answer.headers['retry-after'];
        const asked = retryAfterMs(header);
        const wait = asked === undefined ? this.backoff(attempt) : Math.min(asked, this.retry.maxRetryAfterMs);
        const late =
          asked === undefined
            ? `answered ${status}, and its next try would come too late`
            : `answered ${status} and asked to wait ${Math.round(wait / 1000)} s (Retry-After)`;
        await this.retryAfter(
          wait,
          budget,
          `${requestOf(path)}: ${status}${asked === undefined ? '' : `, Retry-After ${clip(String(header), SERVER_TEXT_CHARS)}`}`,
          `${requestOf(path)} ${late}`,
        );
        continue;
      }
      const message = `${requestOf(path)}: ${status} ${statusMessage(status, answer.body)}${retriable ? ` (after ${attempt} tries)` : ''}`;
      throw new ApiError(failureOf(status), status, message);
    }
  }

  /** Waits `ms` and records the retry (`why`), unless the wait would end past the list's deadline: then the list ends (`late` says why). */
  private async retryAfter(ms: number, budget: ListBudget, why: string, late: string): Promise<void> {
    if (ms >= budget.remainingMs()) throw budget.timeout(late);
    this.retries.push(why);
    await sleep(ms);
  }

  /** Exponential, with a little jitter so parallel lists do not retry in step. */
  private backoff(attempt: number): number {
    const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return delay * (0.75 + Math.random() * 0.25);
  }

  /** One try: a successful answer's body goes to a reader `newReader` makes, as it arrives; of a failure's, the start is kept. */
  private async get<R>(path: string, accept: string, budget: ListBudget, newReader: () => BodyReader<R>): Promise<Answer<R>> {
    const url = new URL(this.target.config.getCurrentCluster()!.server.replace(/\/$/, '') + path);
    const options: https.RequestOptions = {method: 'GET', headers: {}};
    try {
      await this.target.config.applyToHTTPSOptions(options);
    } catch (error) {
      throw new ApiError(
        'credentials',
        undefined,
        `cannot get credentials for context ${this.target.context} (${this.target.from}): ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (!this.target.config.getCurrentCluster()?.proxyUrl) options.agent = this.keepAliveAgent(options, url.protocol);
    options.headers = {...(options.headers as http.OutgoingHttpHeaders), Accept: accept, 'User-Agent': 'kubepath'};
    const request = url.protocol === 'http:' ? http.request : https.request;
    const left = budget.remainingMs();
    if (left <= 0) throw budget.timeout(`no time was left for ${requestOf(path)}`);
    return new Promise<Answer<R>>((resolve, reject) => {
      let settled = false;
      let cutOff: NodeJS.Timeout | undefined;
      const settle = (): boolean => {
        const first = !settled;
        settled = true;
        clearTimeout(cutOff);
        return first;
      };
      const fail = (error: unknown): void => {
        if (settle()) reject(error);
        req.destroy();
      };
      const req = request(url, options, (res) => {
        const status = res.statusCode ?? 0;
        const reader = status >= 200 && status < 300 ? newReader() : undefined;
        const start: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          try {
            budget.received(chunk.length);
            if (reader) reader.write(chunk);
            else if (kept < FAILURE_BODY_BYTES) {
              const part = chunk.subarray(0, FAILURE_BODY_BYTES - kept);
              start.push(part);
              kept += part.length;
            }
          } catch (error) {
            fail(error);
          }
        });
        res.on('end', () => {
          if (settled) return;
          let answer: Answer<R>;
          try {
            answer = reader
              ? {status, headers: res.headers, ok: true, result: reader.end()}
              : {status, headers: res.headers, ok: false, body: Buffer.concat(start)};
          } catch (error) {
            return fail(error);
          }
          if (settle()) resolve(answer);
        });
        res.on('error', fail);
      });
      // However slowly it comes, an answer still arriving at the list's deadline is cut off.
      cutOff = setTimeout(() => fail(budget.timeout(`${requestOf(path)} was still being answered`)), left);
      req.setTimeout(this.retry.timeoutMs, () => fail(Object.assign(new Error('no answer in time'), {code: 'ETIMEDOUT'})));
      req.on('error', fail);
      req.end();
    });
  }

  /** One keep-alive agent with the TLS settings client-node put into `options`; made again only if they change (a rotated client certificate). */
  private keepAliveAgent(options: https.RequestOptions, protocol: string): http.Agent {
    const tls = {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      pfx: options.pfx,
      passphrase: options.passphrase,
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    };
    const identity = JSON.stringify(tls);
    if (!this.agent || this.agentIdentity !== identity) {
      this.agent?.destroy();
      this.agent = protocol === 'http:' ? new http.Agent({keepAlive: true}) : new https.Agent({...tls, keepAlive: true});
      this.agentIdentity = identity;
    }
    return this.agent;
  }

  /** Closes kept-alive connections, so that the process can end. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

function failureOf(status: number): FailureKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 406) return 'not-acceptable';
  if (status === 410) return 'expired';
  return 'error';
}
