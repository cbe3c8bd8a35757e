/**
 * kubepath command base
 * =====================
 *
 * What every command shares: reading INPUT... into a snapshot, the output flags,
 * warnings on stderr, and turning errors into exit codes (2 for bad usage or bad
 * input with one clear line, 1 for an internal error). Commands stay thin: they
 * parse flags, call library code, and write what it returns.
 */
import {existsSync} from 'node:fs';
import {Command, Errors, Flags, type Interfaces} from '@oclif/core';
import {CNI_PROFILES} from '../engines/network/profile.js';
import {buildModel, type ClusterModel} from '../graph/model.js';
import {ALL_PODS, analyze, type Analysis} from '../paths/analysis.js';
import {checkSelectors} from '../graph/selector.js';
import {ApiClient} from '../collect/api-client.js';
import {collectCluster, DEFAULT_CHUNK_SIZE} from '../collect/collector.js';
import {DEFAULT_LIST_BOUNDS, formatDuration, formatSize, listBoundsOf, type ListBoundFlags} from '../collect/bounds.js';
import {defaultKubeconfigFiles, resolveTarget} from '../collect/kubeconfig.js';
import {progressLine} from '../collect/progress.js';
import {InputError, UsageError} from '../snapshot/errors.js';
import {loadInputs, type LoadResult} from '../snapshot/load.js';
import {sourceDateEpoch} from '../util/source-date.js';
import {DEFAULT_TEAM_KEYS} from '../posture/evaluate.js';
import {describeGap, gapNote} from '../paths/coverage.js';
import type {CoverageGap, Snapshot} from '../snapshot/snapshot.js';
import {attachVulnerabilities} from '../vulns/match.js';
import {readTrivyReport, type ScannedImage} from '../vulns/trivy.js';
import {describeVersion, versionFlag, type KubernetesVersion} from '../version/kubernetes.js';
import {safe} from '../output/escape.js';
import {paletteFor} from '../output/colour.js';
import {chunksOf, type Renderer} from '../output/render.js';
import {checkOutputPath, isStdout, writeOutput} from '../output/write.js';

/**
 * Options of a flag given once per value (`--from a --from b`). oclif's `multiple` flags otherwise
 * take every following word, so `--assume-breach all DIR` swallowed DIR as a second
 * selector and, left with no INPUT, read the live cluster instead of DIR.
 */
export const repeatable = {multiple: true, multipleNonGreedy: true} as const;

export const verboseFlag = Flags.boolean({char: 'v', description: 'say more: name skipped kinds and every input file', default: false});
/** The network plugin behaviour where the API leaves it open (docs/network.md). */
export const cniFlag = Flags.string({
  description: 'network plugin behaviour where the API leaves it open (docs/network.md)',
  options: Object.keys(CNI_PROFILES),
  default: 'generic',
});
/** Path search's bound on steps (docs/paths.md). */
export const maxDepthFlag = Flags.integer({description: 'the most steps a path may take', default: 12, min: 1, max: 100});
/** Image vulnerability reports whose exploitable findings make network steps into their pods known flaws (docs/vulns.md). */
export const vulnsFlag = Flags.string({
  ...repeatable,
  description:
    'Trivy JSON reports (trivy image or trivy k8s --format json): network steps into pods running images with critical or remotely exploitable vulnerabilities cost less (and are definite between pods) (repeatable)',
  helpValue: 'FILE',
});
/** The control plane's version, for manifests (or to override what the API server said): version-dependent edges and the support check follow it (docs/version.md). */
export const kubeVersionFlag = Flags.string({
  description:
    "the Kubernetes version of the cluster, for manifests or to override the API server's: version-dependent edges and the support check follow it",
  helpValue: '1.XX[.Z]',
});
/** What the model takes beyond the snapshot: vulnerability reports and the cluster version. */
export const modelFlags = {vulns: vulnsFlag, 'kube-version': kubeVersionFlag};
/** Where the analysis starts and what it aims at: `analyze`, and the exports and report that carry its findings. */
export const analysisFlags = {
  ...modelFlags,
  'assume-breach': Flags.string({
    ...repeatable,
    description: 'also start from these pods, as if breached (repeatable); all: every pod at once, the cheapest paths from any of them',
    helpValue: 'SEL|all',
  }),
  'crown-jewel': Flags.string({...repeatable, description: 'also treat these nodes as crown jewels (repeatable)', helpValue: 'SEL'}),
  'max-depth': maxDepthFlag,
  cni: cniFlag,
  'trusted-registries': Flags.string({
    ...repeatable,
    description: 'registries (or repository prefixes) images may come from; others are posture findings (repeatable, or comma-separated)',
    helpValue: 'REGISTRY',
  }),
  'team-key': Flags.string({
    ...repeatable,
    description: 'labels or annotations naming the owning team, looked up on the workload, its pods, then its namespace (repeatable)',
    default: [...DEFAULT_TEAM_KEYS],
    helpValue: 'KEY',
  }),
};
/** Where the live cluster is read from when a command has no INPUT (docs/collect.md). */
export const clusterSourceFlags = {
  kubeconfig: Flags.string({
    description: 'with no INPUT, read the live cluster this kubeconfig names (default: KUBECONFIG, ~/.kube/config, else in-cluster)',
    helpValue: 'FILE',
  }),
  context: Flags.string({description: 'with no INPUT, the kubeconfig context to read', helpValue: 'NAME'}),
};
/** The collector's flags: cluster source, namespaces, page size, and what one list may take (docs/collect.md). */
export const liveFlags = {
  ...clusterSourceFlags,
  namespace: Flags.string({
    ...repeatable,
    char: 'n',
    description: 'with no INPUT, list namespaced kinds in these namespaces only (repeatable)',
    helpValue: 'NS',
  }),
  // No default given to oclif, so that a --chunk-size given with INPUT files is noticed.
  'chunk-size': Flags.integer({
    description: `with no INPUT, objects per page of each list (default: ${DEFAULT_CHUNK_SIZE})`,
    min: 1,
    max: 100_000,
  }),
  // The collection's and each list's bounds (src/collect/bounds.ts); one hit is a coverage gap.
  'collect-timeout': Flags.string({
    description: `with no INPUT, the time the whole collection may take, every list included (default: ${formatDuration(DEFAULT_LIST_BOUNDS.collectTimeoutMs)})`,
    helpValue: 'SECONDS|15m',
  }),
  'list-timeout': Flags.string({
    description: `with no INPUT, the time one list may take, every page and retry included (default: ${formatDuration(DEFAULT_LIST_BOUNDS.timeoutMs)})`,
    helpValue: 'SECONDS|10m',
  }),
  'max-list-pages': Flags.integer({
    description: `with no INPUT, the most pages one list may have (default: ${DEFAULT_LIST_BOUNDS.maxPages})`,
    min: 1,
    helpValue: 'N',
  }),
  'max-list-objects': Flags.integer({
    description: `with no INPUT, the most objects one list may have (default: ${DEFAULT_LIST_BOUNDS.maxObjects})`,
    min: 1,
    helpValue: 'N',
  }),
  'max-list-bytes': Flags.string({
    description: `with no INPUT, the most bytes one list may send (default: ${formatSize(DEFAULT_LIST_BOUNDS.maxBytes)})`,
    helpValue: 'BYTES|512Mi',
  }),
};
export interface LiveFlags extends ListBoundFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string[] | undefined;
  'chunk-size'?: number | undefined;
}
export const jsonFlag = Flags.boolean({description: 'same as -o json', default: false});

/**
 * Earlier names of `text`, the one name for human text: a command that took one before
 * keeps accepting it, so no command line breaks (`table`: analyze, paths, who-can, diff;
 * `txt`, netpol-analyzer's: reach). Help shows only `text`.
 */
const TEXT_ALIASES = ['table', 'txt'] as const;
export type TextAlias = (typeof TEXT_ALIASES)[number];
const isTextAlias = (value: unknown): value is TextAlias => TEXT_ALIASES.some((alias) => alias === value);

/** A renderer table's formats as help writes them: `text|json`. */
export const formatsOf = (renderers: object): string => Object.keys(renderers).join('|');

/**
 * `-o`, `--json` and `--output-file` of a command whose formats are the keys of its
 * renderer table (src/output/render.ts): a new format is one entry. `-o` also takes the
 * `aliases` (only where the table has `text`), which `parse` turns into `text`.
 */
export function outputFlags<F extends string>(
  renderers: Record<F, unknown>,
  {default: fallback, aliases = []}: {default: NoInfer<F>; aliases?: 'text' extends F ? readonly TextAlias[] : readonly []},
) {
  // Object.keys is typed string[]; a table's keys are its formats.
  const formats = Object.keys(renderers) as F[];
  const output = Flags.option({
    char: 'o',
    description: 'output format',
    options: formats,
    helpValue: formatsOf(renderers),
    default: fallback,
  })();
  // oclif's types cannot give a generic F through a flag's own parse: the aliases are checked here and named `text` in KubepathCommand.parse.
  output.options = [...formats, ...aliases];
  return {
    output,
    json: jsonFlag,
    'output-file': Flags.string({description: 'write machine output to this file instead of stdout (written whole or not at all)'}),
  };
}
/** The name the exports put the cluster under, so several clusters live side by side (docs/export.md). */
export const clusterFlag = Flags.string({description: 'the name this cluster goes under; clusters live side by side', default: 'default'});

/** One warning per gap that may change a conclusion; kinds the cluster does not serve, together in one. */
function coverageWarnings(gaps: readonly CoverageGap[]): string[] {
  const notServed = gaps.filter((gap) => gap.reason === 'not-served').map((gap) => gap.kind);
  return [
    ...gaps.filter((gap) => gap.reason !== 'not-served').map((gap) => `coverage gap: ${describeGap(gapNote(gap))}; ${gap.message}`),
    ...(notServed.length > 0 ? [`not served by this cluster, so it holds none: ${notServed.join(', ')}`] : []),
  ];
}

/** What `--vulns` and `--kube-version` add to a snapshot's model. */
export interface ModelInputs {
  scans: ScannedImage[];
  kubeVersion?: KubernetesVersion;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- oclif's own FlagOutput and ArgOutput, which it does not export
type ParsedValues = {[name: string]: any};

/** Flags whose values are paths by nature; any other flag's value that looks like one was probably meant as INPUT. */
const PATH_VALUED_FLAGS = new Set(['kubeconfig', 'vulns', 'output-file', 'out']);
/** Flags whose values name things in the cluster, which may share a folder's name (`-n shop` beside `shop/`): only a path-shaped value counts. */
const NAME_VALUED_FLAGS = new Set(['namespace', 'context', 'cluster', 'name', 'team-key']);

/**
 * A manifest file name, or an existing file or folder: what a user meant as INPUT. For a
 * flag that takes names, only an existing path written with a folder in it (`shop/`).
 */
export function looksLikeInput(value: string, flag?: string): boolean {
  if (/\.(ya?ml|json)$/i.test(value)) return true;
  const pathShaped = value.includes('/') || value === '.' || value === '..';
  return (pathShaped || !NAME_VALUED_FLAGS.has(flag ?? '')) && existsSync(value);
}

export abstract class KubepathCommand extends Command {
  /** The flag values as given, for the check made before reading a live cluster. */
  private givenFlagValues: Array<{flag: string; value: string}> = [];

  protected override async parse<F extends ParsedValues, B extends ParsedValues, A extends ParsedValues>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv);
    // `-o`'s aliases (outputFlags), once oclif has checked them, name the format itself.
    const flags: ParsedValues = parsed.flags;
    if (isTextAlias(flags.output)) flags.output = 'text';
    this.givenFlagValues = parsed.raw.flatMap((token) => (token.type === 'flag' ? [{flag: token.flag, value: token.input}] : []));
    return parsed;
  }

  protected warning(message: string): void {
    process.stderr.write(`kubepath: warning: ${safe(message)}\n`);
  }

  /**
   * Refuses, before any work, an output path that cannot be written, or that is or would
   * be read back as what the command reads, kubeconfigs included (src/output/write.ts);
   * stdout needs no check.
   */
  protected checkOutput(
    path: string | undefined,
    inputs: readonly string[],
    flags: {vulns?: string[]; kubeconfig?: string},
    kind: 'file' | 'folder' = 'file',
  ): void {
    if (path === undefined || (kind === 'file' && isStdout(path))) return;
    const kubeconfigs = [...(flags.kubeconfig === undefined ? [] : [flags.kubeconfig]), ...defaultKubeconfigFiles()];
    checkOutputPath(path, kind, {inputs, files: flags.vulns ?? [], kubeconfigs});
  }

  /**
   * Loads the command's INPUT arguments, or with none, collects the live cluster the flags
   * (or kubectl's defaults) name. The selector flags given are checked first, so a typo
   * costs no collection.
   */
  protected async load(
    inputs: string[],
    live: LiveFlags = {},
    selectors: Record<string, readonly string[] | undefined> = {},
  ): Promise<LoadResult> {
    if (inputs.length === 0) this.refuseInputTakenAsFlagValue();
    for (const [flag, texts] of Object.entries(selectors)) checkSelectors(texts, flag);
    const result = inputs.length === 0 ? await this.collectLive(live) : await this.loadFiles(inputs, live);
    for (const warning of [...result.warnings, ...coverageWarnings(result.snapshot.coverage.gaps)]) this.warning(warning);
    return result;
  }

  /**
   * With no INPUT the command reads the live cluster with the user's credentials: not
   * when a flag took what looks like the INPUT as its value (`--assume-breach manifests/`).
   */
  private refuseInputTakenAsFlagValue(): void {
    const taken = this.givenFlagValues.find(
      ({flag, value}) => !PATH_VALUED_FLAGS.has(flag) && !(flag === 'assume-breach' && value === ALL_PODS) && looksLikeInput(value, flag),
    );
    if (taken) {
      throw new UsageError(
        `--${taken.flag} took ${taken.value} as its value, which looks like INPUT; with no INPUT kubepath would read the live cluster, so it stops here: give --${taken.flag} its own value, then INPUT`,
      );
    }
  }

  private async loadFiles(inputs: string[], live: LiveFlags): Promise<LoadResult> {
    const liveOnly = (Object.keys(liveFlags) as Array<keyof LiveFlags>).filter((flag) => live[flag] !== undefined);
    if (liveOnly.length > 0) {
      throw new UsageError(`--${liveOnly[0]} reads a live cluster, so it cannot be given with INPUT files; drop one or the other`);
    }
    return loadInputs(inputs);
  }

  private async collectLive(live: LiveFlags): Promise<LoadResult> {
    const bounds = listBoundsOf(live);
    const target = resolveTarget({kubeconfig: live.kubeconfig, context: live.context});
    const collectedAt = sourceDateEpoch();
    process.stderr.write(`kubepath: reading ${safe(target.server)} (context ${safe(target.context)} from ${safe(target.from)})\n`);
    const progress = progressLine();
    try {
      const {snapshot, warnings, retries} = await collectCluster(new ApiClient(target), {
        namespaces: live.namespace,
        chunkSize: live['chunk-size'],
        bounds,
        onProgress: progress.update,
        ...(collectedAt ? {collectedAt} : {}),
      });
      if (retries.length > 0) warnings.push(`retried ${retries.length} request${retries.length === 1 ? '' : 's'} (first: ${retries[0]})`);
      return {snapshot, warnings};
    } finally {
      progress.end();
    }
  }

  /**
   * The model of a snapshot, with what the vulnerability reports read by `modelInputs`
   * say of its images; scanned images no container runs are a warning, as a report of
   * another cluster or a differently written image name would give nothing. `quiet`
   * keeps the warnings of a second model of the same inputs (`diff`'s BEFORE) unsaid.
   */
  protected modelOf(snapshot: Snapshot, {scans, kubeVersion}: ModelInputs, quiet = false): ClusterModel {
    const model = buildModel(snapshot);
    if (kubeVersion) {
      const told = model.kubernetesVersion;
      if (told && told.minor !== kubeVersion.minor && !quiet)
        this.warning(`--kube-version ${kubeVersion.text} overrides ${describeVersion(told)}`);
      model.kubernetesVersion = kubeVersion;
    }
    if (scans.length === 0) return model;
    const unmatched = attachVulnerabilities(model, scans);
    if (unmatched.length > 0 && !quiet) {
      const named = unmatched.slice(0, 3).map((scan) => scan.names[0] ?? `${scan.file} ${scan.at}`);
      this.warning(
        `${unmatched.length} of ${scans.length} scanned images match no container of the input (${named.join(', ')}${unmatched.length > 3 ? ', ...' : ''}): their vulnerabilities are not used`,
      );
    }
    return model;
  }

  /** Reads `--vulns` reports and `--kube-version` before anything is collected or written, so a bad one stops the command first. */
  protected modelInputs(flags: {vulns?: string[]; 'kube-version'?: string}): ModelInputs {
    const kubeVersion = flags['kube-version'] === undefined ? undefined : versionFlag(flags['kube-version']);
    const scans = (flags.vulns ?? []).flatMap((file) => readTrivyReport(file));
    return {scans, ...(kubeVersion ? {kubeVersion} : {})};
  }

  /** Loads INPUT... and analyses it as `analyze` does, with the analysis flags given. */
  protected async analyzed(
    inputs: string[],
    flags: LiveFlags & {
      vulns?: string[];
      'kube-version'?: string;
      'assume-breach'?: string[];
      'crown-jewel'?: string[];
      'max-depth': number;
      cni: string;
      'team-key': string[];
      'trusted-registries'?: string[];
    },
  ): Promise<LoadResult & {analysis: Analysis}> {
    const given = this.modelInputs(flags);
    const loaded = await this.load(inputs, flags, {
      '--assume-breach': flags['assume-breach']?.filter((text) => text !== ALL_PODS),
      '--crown-jewel': flags['crown-jewel'],
    });
    const analysis = analyze(this.modelOf(loaded.snapshot, given), {
      cni: CNI_PROFILES[flags.cni]!,
      assumeBreach: flags['assume-breach'],
      crownJewels: flags['crown-jewel'],
      maxDepth: flags['max-depth'],
      teamKeys: flags['team-key'],
      trustedRegistries: (flags['trusted-registries'] ?? [])
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter((value) => value !== ''),
    });
    return {...loaded, analysis};
  }

  override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    if (error instanceof InputError || error instanceof UsageError) {
      process.stderr.write(`kubepath: error: ${safe(error.message)}\n`);
      process.exitCode = 2;
      return;
    }
    // oclif's own parse errors (unknown flag, bad option) are usage errors too.
    if (error instanceof Errors.CLIError && error.oclif?.exit === 2) {
      process.stderr.write(`kubepath: error: ${safe(error.message.split('\n')[0] ?? '')}\n`);
      process.stderr.write(`See more help with --help\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof Errors.ExitError) throw error;
    process.stderr.write(`kubepath: internal error: ${safe(error.message)}\n`);
    if (process.env.KUBEPATH_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
    else process.stderr.write('kubepath: set KUBEPATH_DEBUG=1 to see where it happened, and please report it\n');
    process.exitCode = 1;
  }
}

/**
 * Writes `output` as the format `-o` (or `--json`) names renders it, to stdout or
 * `--output-file`; colour for text written to stdout when it is a terminal
 * (src/output/colour.ts), never for a file.
 */
export async function writeRendered<F extends string, T>(
  renderers: Record<F | 'json', Renderer<T>>,
  flags: {output: F; json: boolean; 'output-file'?: string | undefined},
  output: T,
): Promise<void> {
  const outputFile = flags['output-file'];
  const palette = paletteFor(outputFile ? undefined : process.stdout);
  await writeOutput(chunksOf(renderers[flags.json ? 'json' : flags.output](output, palette)), outputFile);
}
