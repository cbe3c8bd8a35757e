/**
 * kubepath cluster generator command
 * ==================================
 *
 * `node dist/generate/cli.js --pods N [--seed S] --out FILE|-` writes a generated
 * cluster as one `kind: List` JSON document (see cluster.ts), streamed, and says on
 * stderr what it wrote. Bad arguments exit with code 2 and one line, before any
 * work starts.
 */
import {parseArgs} from 'node:util';
import {performance} from 'node:perf_hooks';
import {writeOutput} from '../output/write.js';
import {UsageError} from '../snapshot/errors.js';
import {generateCluster, listDocumentChunks, MAX_SUPPORTED_PODS, type KubeObject} from './cluster.js';

/** Past what Kubernetes supports, but still useful to find where kubepath breaks. */
const MAX_PODS = 1_000_000;

const USAGE = `usage: node dist/generate/cli.js --pods N [--seed S] --out FILE|-

  --pods N    exact number of pods (1 to ${MAX_PODS.toLocaleString('en-US')}; Kubernetes supports ${MAX_SUPPORTED_PODS.toLocaleString('en-US')})
  --seed S    integer seed; the same pods and seed give byte-identical output (default 1)
  --out FILE  where to write the List document; - for stdout
`;

class UsageProblem extends Error {}

interface Arguments {
  pods: number;
  seed: number;
  out: string;
}

function parseArguments(argv: string[]): Arguments | 'help' {
  let values;
  try {
    ({values} = parseArgs({
      args: argv,
      options: {pods: {type: 'string'}, seed: {type: 'string'}, out: {type: 'string'}, help: {type: 'boolean', short: 'h'}},
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs explains at length; its first sentence names the problem.
    throw new UsageProblem((error as Error).message.split('. ')[0]!.replace(/\.$/, ''));
  }
  if (values.help) return 'help';
  if (values.pods === undefined) throw new UsageProblem('--pods is required: how many pods to generate');
  if (!/^\d+$/.test(values.pods) || Number(values.pods) < 1)
    throw new UsageProblem(`--pods must be a positive integer, not ${JSON.stringify(values.pods)}`);
  const pods = Number(values.pods);
  if (pods > MAX_PODS)
    throw new UsageProblem(`--pods ${pods} is too many: at most ${MAX_PODS} (Kubernetes supports ${MAX_SUPPORTED_PODS})`);
  const seedText = values.seed ?? '1';
  if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText)))
    throw new UsageProblem(`--seed must be an integer, not ${JSON.stringify(seedText)}`);
  if (values.out === undefined || values.out === '') throw new UsageProblem('--out is required: a file to write, or - for stdout');
  return {pods, seed: Number(seedText), out: values.out};
}

function fail(message: string, code: number): never {
  process.stderr.write(`kubepath gen: error: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let args: Arguments | 'help';
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageProblem) fail(`${error.message} (see --help)`, 2);
    throw error;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (args.pods > MAX_SUPPORTED_PODS) {
    process.stderr.write(
      `kubepath gen: warning: ${args.pods} pods is beyond the ${MAX_SUPPORTED_PODS} Kubernetes supports; generating anyway\n`,
    );
  }

  const started = performance.now();
  const kinds = new Map<string, number>();
  let bytes = 0;
  function* counted(items: Iterable<KubeObject>): Generator<KubeObject> {
    for (const item of items) {
      kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
      yield item;
    }
  }
  function* measured(chunks: Iterable<string>): Generator<string> {
    for (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
  }

  try {
    await writeOutput(measured(listDocumentChunks(counted(generateCluster({pods: args.pods, seed: args.seed})))), args.out);
  } catch (error) {
    // A path that cannot be written, named in one line (src/output/write.ts).
    if (error instanceof UsageError) fail(error.message, 2);
    throw error;
  }

  const seconds = (performance.now() - started) / 1000;
  let objects = 0;
  for (const count of kinds.values()) objects += count;
  const byKind = [...kinds.entries()].map(([kind, count]) => `${kind} ${count}`).join(', ');
  const where = args.out === '-' ? 'stdout' : args.out;
  process.stderr.write(
    `kubepath gen: ${objects} objects (${byKind}), ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s, seed ${args.seed} -> ${where}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`kubepath gen: internal error: ${error.message}\n`);
  if (process.env.KUBEPATH_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
  process.exit(1);
});
