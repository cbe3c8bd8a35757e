import {Flags} from '@oclif/core';
import {KubepathCommand, liveFlags, verboseFlag} from '../cli/base.js';
import {isStdout, writeOutput} from '../output/write.js';
import {serializeSnapshot} from '../snapshot/snapshot.js';
import {inertChunks} from '../output/json-stream.js';
import {safe} from '../output/escape.js';

export default class Collect extends KubepathCommand {
  static override summary = 'Snapshot a live cluster, or read inputs, into one redacted, validated snapshot';
  static override description =
    "With no INPUT, lists every kind kubepath reads from the cluster the kubeconfig names (--kubeconfig, else KUBECONFIG, else ~/.kube/config, else the pod's service account), page by page; secrets as metadata only. A kind the credentials may not list is recorded as a coverage gap. With INPUT, reads snapshots, kubectl get -o json|yaml output, manifests, folders (recursively) and - (stdin). Secret values, managedFields, last-applied annotations and the commands, args and env values of pod specs never enter the snapshot.";
  static override usage = ['collect [--kubeconfig FILE] [--context NAME] [-n NS...] [--out FILE]', 'collect INPUT... [--out FILE]'];
  static override examples = [
    '<%= config.bin %> collect --out snapshot.json',
    '<%= config.bin %> collect --context prod -n shop -n payments --out snapshot.json',
    '<%= config.bin %> collect manifests/ --out snapshot.json',
    'helm template charts/shop | <%= config.bin %> collect - --out snapshot.json',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    ...liveFlags,
    out: Flags.string({description: 'write the snapshot here (default: stdout)'}),
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Collect);
    this.checkOutput(flags.out, argv as string[], flags);
    const {snapshot} = await this.load(argv as string[], flags);
    await writeOutput(inertChunks(serializeSnapshot(snapshot)), flags.out);
    const total = Object.values(snapshot.objects).reduce((sum, list) => sum + list.length, 0);
    const gaps = snapshot.coverage.gaps.length;
    if (!isStdout(flags.out)) {
      process.stderr.write(
        `kubepath: wrote ${total} objects to ${safe(flags.out)}${gaps > 0 ? `, with ${gaps} coverage gap${gaps === 1 ? '' : 's'}` : ''}\n`,
      );
    }
    if (flags.verbose) {
      for (const input of snapshot.source.inputs) process.stderr.write(`kubepath: ${safe(input.path)}: ${input.objects} objects\n`);
      for (const skipped of snapshot.coverage.skipped)
        process.stderr.write(`kubepath: skipped ${skipped.count} ${safe(skipped.apiVersion)} ${safe(skipped.kind)}\n`);
    }
  }
}
