import {Flags} from '@oclif/core';
import {KubepathCommand, verboseFlag} from '../cli/base.js';
import {writeOutput} from '../output/write.js';
import {serializeSnapshot} from '../snapshot/snapshot.js';
import {safe} from '../output/escape.js';

export default class Collect extends KubepathCommand {
  static override summary = 'Read inputs into one redacted, validated snapshot';
  static override description =
    'Reads snapshots, kubectl get -o json|yaml output, manifests, folders (recursively) and - (stdin), and writes one snapshot. Secret values, managedFields and last-applied annotations never enter it.';
  static override usage = 'collect INPUT... [--out FILE]';
  static override examples = [
    '<%= config.bin %> collect manifests/ --out snapshot.json',
    'helm template charts/shop | <%= config.bin %> collect - --out snapshot.json',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    out: Flags.string({description: 'write the snapshot here (default: stdout)'}),
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Collect);
    const {snapshot} = await this.load(argv as string[]);
    await writeOutput(serializeSnapshot(snapshot), flags.out);
    const total = Object.values(snapshot.objects).reduce((sum, list) => sum + list.length, 0);
    if (flags.out && flags.out !== '-') process.stderr.write(`kubepath: wrote ${total} objects to ${safe(flags.out)}\n`);
    if (flags.verbose) {
      for (const input of snapshot.source.inputs) process.stderr.write(`kubepath: ${safe(input.path)}: ${input.objects} objects\n`);
      for (const skipped of snapshot.coverage.skipped) process.stderr.write(`kubepath: skipped ${skipped.count} ${safe(skipped.apiVersion)} ${safe(skipped.kind)}\n`);
    }
  }
}
