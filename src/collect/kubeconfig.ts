/**
 * kubepath cluster configuration
 * ==============================
 *
 * Which cluster the collector reads, and as whom, found as kubectl finds it:
 * `--kubeconfig FILE`, else the files `KUBECONFIG` lists (merged, the first to name
 * a cluster, user, context or current-context wins; missing and empty files passed
 * over), else `~/.kube/config`; and when that gives nothing, the pod's own service
 * account when running in a cluster, as client-go does. client-node's own
 * `loadFromDefault` falls back to http://localhost:8080 when it finds nothing; here
 * finding nothing is a clear error (exit 2), as is a context that does not exist.
 * The server URL kubepath names (in messages and the snapshot) never carries the
 * user:password a kubeconfig may put in it.
 */
import {existsSync, readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {delimiter, join} from 'node:path';
import {KubeConfig, type Cluster, type Context, type User} from '@kubernetes/client-node';
import {UsageError} from '../snapshot/errors.js';
import {withoutUserinfo} from '../snapshot/redact.js';

/** Where a pod finds its service account's token (and the cluster's CA beside it). */
export const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface ClusterTarget {
  config: KubeConfig;
  context: string;
  /** The kubeconfig's name for the cluster. */
  cluster: string;
  /** The server URL without any user:password in it: what messages and the snapshot name (requests use the kubeconfig's own). */
  server: string;
  /** Where the configuration came from, for messages: a file, `KUBECONFIG`, or `in-cluster`. */
  from: string;
}

export interface TargetOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/** What the lookup reads from the machine; tests replace it. */
export interface Environment {
  env: NodeJS.ProcessEnv;
  home: string;
  /** Prefixed to the in-cluster paths (`/var/run/secrets/...`): '' in a pod. */
  inClusterRoot: string;
}

const defaultEnvironment = (): Environment => ({env: process.env, home: homedir(), inClusterRoot: ''});

/** The kubeconfig in a file; an empty file is an error, or undefined with `emptyIsNothing` (a KUBECONFIG list, as kubectl reads one). */
function readKubeconfig(file: string, via: string, emptyIsNothing = false): KubeConfig | undefined {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${via}${file}: a folder, not a kubeconfig file`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${via}${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (text.trim() === '') {
    if (emptyIsNothing) return undefined;
    throw new UsageError(`${via}${file}: the kubeconfig is empty (no clusters, users or contexts)`);
  }
  const config = new KubeConfig();
  try {
    config.loadFromFile(file);
  } catch (error) {
    throw new UsageError(`${via}${file}: not a usable kubeconfig: ${(error as Error).message.split('\n')[0]}`);
  }
  return config;
}

/** kubectl's merge: for each name, the first file to define it wins; so does the first current-context. */
function mergeFirstWins(configs: KubeConfig[]): KubeConfig {
  const pick = <T extends {name: string}>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: pick<Cluster>(configs.map((c) => c.getClusters())),
    users: pick<User>(configs.map((c) => c.getUsers())),
    contexts: pick<Context>(configs.map((c) => c.getContexts())),
    currentContext: configs.map((c) => c.getCurrentContext()).find((name) => name) ?? '',
  });
  return merged;
}

function inCluster(environment: Environment): {config: KubeConfig; from: string} | undefined {
  if (!environment.env.KUBERNETES_SERVICE_HOST || !existsSync(environment.inClusterRoot + IN_CLUSTER_TOKEN)) return undefined;
  const config = new KubeConfig();
  config.loadFromCluster(environment.inClusterRoot);
  return {config, from: 'in-cluster service account'};
}

/** The files KUBECONFIG lists, in order. */
const listedKubeconfigs = (environment: Environment): string[] =>
  (environment.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
const homeKubeconfig = (environment: Environment): string => join(environment.home, '.kube', 'config');

/** Every file kubepath reads as a kubeconfig when no --kubeconfig is given (those KUBECONFIG lists, ~/.kube/config): no output may replace one. */
export function defaultKubeconfigFiles(environment: Environment = defaultEnvironment()): string[] {
  return [...listedKubeconfigs(environment), homeKubeconfig(environment)];
}

function loadConfig(options: TargetOptions, environment: Environment): {config: KubeConfig; from: string} {
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) throw new UsageError(`--kubeconfig ${options.kubeconfig}: no such file`);
    return {config: readKubeconfig(options.kubeconfig, '--kubeconfig ')!, from: options.kubeconfig};
  }
  const listed = listedKubeconfigs(environment);
  if (listed.length > 0) {
    // As kubectl: files KUBECONFIG lists that do not exist, or are empty, add nothing.
    const present = listed.filter((file) => existsSync(file));
    const configs = present.flatMap((file) => readKubeconfig(file, 'KUBECONFIG: ', true) ?? []);
    if (configs.length > 0)
      return {config: configs.length === 1 ? configs[0]! : mergeFirstWins(configs), from: `KUBECONFIG (${present.join(delimiter)})`};
    const pod = inCluster(environment);
    if (pod) return pod;
    throw new UsageError(
      `KUBECONFIG lists no kubeconfig with anything in it (${listed.join(delimiter)}), and this is not a pod with a service account`,
    );
  }
  const homeConfig = homeKubeconfig(environment);
  if (existsSync(homeConfig)) return {config: readKubeconfig(homeConfig, '')!, from: homeConfig};
  const pod = inCluster(environment);
  if (pod) return pod;
  throw new UsageError(
    `no cluster to read: no INPUT given, no --kubeconfig, KUBECONFIG is unset, ${homeConfig} does not exist, and this is not a pod with a service account; name snapshot or manifest files, or - for stdin, or give --kubeconfig`,
  );
}

/** The cluster and credentials to collect from. Throws UsageError (exit 2) when there are none. */
export function resolveTarget(options: TargetOptions, environment: Environment = defaultEnvironment()): ClusterTarget {
  const {config, from} = loadConfig(options, environment);
  const contexts = config.getContexts().map((c) => c.name);
  if (contexts.length === 0) throw new UsageError(`${from}: the kubeconfig defines no contexts`);
  const known = `(contexts: ${contexts.join(', ')})`;
  if (options.context !== undefined) {
    if (!contexts.includes(options.context)) throw new UsageError(`--context ${options.context}: ${from} has no such context ${known}`);
    config.setCurrentContext(options.context);
  } else if (!config.getCurrentContext()) {
    throw new UsageError(`${from}: no current-context is set; choose one with --context ${known}`);
  } else if (!contexts.includes(config.getCurrentContext())) {
    throw new UsageError(`${from}: the current-context ${config.getCurrentContext()} is not defined ${known}`);
  }
  const context = config.getContextObject(config.getCurrentContext())!;
  const cluster = config.getCluster(context.cluster);
  if (!cluster) throw new UsageError(`${from}: context ${context.name} names cluster ${context.cluster}, which is not defined`);
  if (context.user && !config.getUser(context.user)) {
    throw new UsageError(`${from}: context ${context.name} names user ${context.user}, which is not defined`);
  }
  const server = withoutUserinfo(cluster.server);
  let protocol: string;
  try {
    protocol = new URL(cluster.server).protocol;
  } catch {
    throw new UsageError(`${from}: cluster ${cluster.name} has a server that is not a URL: ${server}`);
  }
  if (protocol !== 'https:' && !(protocol === 'http:' && cluster.skipTLSVerify)) {
    throw new UsageError(
      `${from}: cluster ${cluster.name}: the server must be https:// (http:// only with insecure-skip-tls-verify): ${server}`,
    );
  }
  return {config, context: context.name, cluster: cluster.name, server, from};
}
