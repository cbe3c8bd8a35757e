/**
 * kubepath's local Neo4j
 * ======================
 *
 * A real Neo4j 5.26 Community server without Docker: the embedded DBMS and its Bolt
 * connector, from Maven Central jars (src/neo4j/pom.xml), started by a small launcher
 * (src/neo4j/KubepathNeo4j.java) in the background. `npm run neo4j` starts it and
 * prints its URI, `npm run neo4j -- stop` stops it; the test setup starts the same one.
 * Needs Java 17+ and Maven (`mvn`). Jars, store and log live in `.cache/neo4j/`.
 */
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {delimiter, dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {setTimeout as sleep} from 'node:timers/promises';

export const NEO4J_VERSION = '5.26.30';
export const NEO4J_USER = 'neo4j';
export const DEFAULT_PASSWORD = 'kubepath-local';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The launcher's source and pom sit beside this file in src/neo4j/. */
const SOURCES = join(ROOT, 'src', 'neo4j');

/** The JVM flags Neo4j's own launcher sets (without them its page cache fills debug.log with warnings). */
const JVM_FLAGS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-XX:+UseG1GC',
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dlog4j2.disable.jmx=true',
];

export interface LocalNeo4j {
  pid: number;
  uri: string;
  user: string;
  password: string;
  version: string;
}

const CACHE = join(ROOT, '.cache', 'neo4j');

/** Where a server's store, log and state go (a folder per server), and the jars and launcher they share. */
export function layout(dir = join(CACHE, 'server')) {
  const base = resolve(dir);
  return {
    base,
    lib: join(CACHE, `lib-${NEO4J_VERSION}`),
    classes: join(CACHE, 'classes'),
    home: join(base, 'home'),
    state: join(base, 'server.json'),
    log: join(base, 'server.log'),
  };
}
type Layout = ReturnType<typeof layout>;

/** A step of setting the server up failed; the message says which and how. */
export class LocalNeo4jError extends Error {}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  if (result.error) throw new LocalNeo4jError(`${what}: cannot run ${command} (${result.error.message}); Java 17+ and Maven are needed`);
  if (result.status !== 0)
    throw new LocalNeo4jError(`${what} failed (${command} exited ${result.status}):\n${tail(`${result.stdout}${result.stderr}`)}`);
}

const tail = (text: string): string => text.trim().split('\n').slice(-15).join('\n');

/** Fetches the jars (once) and compiles the launcher (when its source is newer). */
export function install(paths: Layout = layout(), progress: (line: string) => void = () => {}): void {
  const complete = join(paths.lib, '.complete');
  if (!existsSync(complete)) {
    rmSync(paths.lib, {recursive: true, force: true});
    progress(`fetching Neo4j ${NEO4J_VERSION} from Maven Central (about 125 MB, once)`);
    run(
      'mvn',
      ['-q', '-B', '-f', join(SOURCES, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${paths.lib}`],
      'resolving Neo4j with Maven',
    );
    writeFileSync(complete, `${NEO4J_VERSION}\n`);
  }
  const source = join(SOURCES, 'KubepathNeo4j.java');
  const compiled = join(paths.classes, 'KubepathNeo4j.class');
  if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs) {
    run('javac', ['-cp', join(paths.lib, '*'), '-d', paths.classes, source], 'compiling the Neo4j launcher');
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The server started here that still runs, if any. */
export function running(paths: Layout = layout()): LocalNeo4j | undefined {
  if (!existsSync(paths.state)) return undefined;
  const state = JSON.parse(readFileSync(paths.state, 'utf8')) as LocalNeo4j;
  return alive(state.pid) ? state : undefined;
}

export interface StartOptions {
  /** 0 lets the system pick a free port. */
  port?: number;
  password?: string;
  paths?: Layout;
  progress?: (line: string) => void;
  timeoutSeconds?: number;
  /** Java heap, as -Xmx takes it (default 1g): transactions and query state live here. */
  heap?: string;
  /** The page cache, off the heap (default 256m): the store's pages in memory. */
  pageCache?: string;
}

const SIZE = /^(\d+)([kmg])$/i;
/** A JVM-style size (`512m`, `2g`) in bytes; anything else is refused before Java sees it. */
function sizeBytes(size: string, what: string): number {
  const match = SIZE.exec(size);
  if (!match) throw new LocalNeo4jError(`${what} must be a size such as 512m or 2g, not ${JSON.stringify(size)}`);
  return Number(match[1]) * 1024 ** ('kmg'.indexOf(match[2]!.toLowerCase()) + 1);
}

/** Starts the server in the background and waits until Bolt answers; a server already running is reused. */
export async function start(options: StartOptions = {}): Promise<LocalNeo4j> {
  const {
    port = 7687,
    password = DEFAULT_PASSWORD,
    paths = layout(),
    progress = () => {},
    timeoutSeconds = 180,
    heap = '1g',
    pageCache = '256m',
  } = options;
  const already = running(paths);
  if (already) return already;
  if (password.length < 8) throw new LocalNeo4jError('the Neo4j password must have at least 8 characters (Neo4j refuses shorter ones)');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalNeo4jError(`not a port: ${port}`);
  const memory = [`-Xmx${sizeBytes(heap, 'the heap')}`, `-Dkubepath.pagecache=${sizeBytes(pageCache, 'the page cache')}`];
  install(paths, progress);
  mkdirSync(paths.base, {recursive: true});
  const log = openSync(paths.log, 'w');
  const child = spawn(
    'java',
    [
      ...memory,
      ...JVM_FLAGS,
      '-cp',
      [join(paths.lib, '*'), paths.classes].join(delimiter),
      'KubepathNeo4j',
      paths.home,
      String(port),
      password,
    ],
    {
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.unref();
  progress(`starting Neo4j ${NEO4J_VERSION} (log: ${paths.log})`);
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const output = readFileSync(paths.log, 'utf8');
    const ready = /BOLT READY (bolt:\/\/\S+)/.exec(output);
    if (ready) {
      const state: LocalNeo4j = {pid: child.pid!, uri: ready[1]!, user: NEO4J_USER, password, version: NEO4J_VERSION};
      writeFileSync(paths.state, `${JSON.stringify(state, null, 2)}\n`, {mode: 0o600});
      return state;
    }
    if (exited !== undefined) throw new LocalNeo4jError(`Neo4j stopped while starting (exit ${exited}); its output:\n${tail(output)}`);
    if (Date.now() > deadline) {
      process.kill(child.pid!, 'SIGTERM');
      throw new LocalNeo4jError(`Neo4j did not answer within ${timeoutSeconds} s; its output:\n${tail(output)}`);
    }
    await sleep(100);
  }
}

/** Runs `neo4j-admin` (the same jars' AdminTool) on a server's home, which must be stopped: e.g. `database import full ...`. */
export function admin(args: readonly string[], {paths = layout(), cwd}: {paths?: Layout; cwd?: string} = {}): string {
  install(paths);
  mkdirSync(join(paths.home, 'conf'), {recursive: true});
  const result = spawnSync('java', ['-Xmx1g', '-cp', join(paths.lib, '*'), 'org.neo4j.cli.AdminTool', ...args], {
    cwd,
    encoding: 'utf8',
    env: {...process.env, NEO4J_HOME: paths.home, NEO4J_CONF: join(paths.home, 'conf')},
  });
  if (result.error || result.status !== 0)
    throw new LocalNeo4jError(
      `neo4j-admin ${args.slice(0, 3).join(' ')} failed (exit ${result.status}):\n${tail(`${result.stdout}${result.stderr}`)}`,
    );
  return result.stdout;
}

/** Stops the server started here (a clean shutdown); false when none runs. */
export async function stop(paths: Layout = layout(), timeoutSeconds = 60): Promise<boolean> {
  const server = running(paths);
  rmSync(paths.state, {force: true});
  if (!server) return false;
  process.kill(server.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (alive(server.pid)) {
    if (Date.now() > deadline) throw new LocalNeo4jError(`Neo4j (pid ${server.pid}) did not stop within ${timeoutSeconds} s`);
    await sleep(100);
  }
  return true;
}
