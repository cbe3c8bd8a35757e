import {Args, Flags} from '@oclif/core';
import {cniFlag, formatsOf, KubepathCommand, maxDepthFlag, modelFlags, outputFlags, repeatable, writeRendered} from '../cli/base.js';
import {CNI_PROFILES} from '../engines/network/profile.js';
import {diffToJson, formatDiffText} from '../output/findings.js';
import {jsonChunks} from '../output/json-stream.js';
import type {Renderers} from '../output/render.js';
import {analyze} from '../paths/analysis.js';
import {changedObjects, diffFindings, pathHolds, type FindingsDiff} from '../paths/diff.js';
import {atOrAbove, FINDINGS_EXIT_CODE, SEVERITIES, type Severity} from '../paths/findings.js';

export const RENDERERS = {
  text: (diff, palette) => formatDiffText(diff, palette),
  json: (diff) => jsonChunks(diffToJson(diff)),
} satisfies Renderers<FindingsDiff>;

export default class Diff extends KubepathCommand {
  static override summary = 'Compare the attack paths of two inputs, for pull-request gating';
  static override description =
    'Analyzes BEFORE and AFTER (each a snapshot, a manifest file or a folder) as analyze does, and lists the findings added and removed, each attributed to the objects that changed, and how many paths appeared or went. --fail-on applies to added findings (docs/findings.md).';
  static override usage = `diff BEFORE AFTER [--assume-breach SEL] [--fail-on SEVERITY] [-o ${formatsOf(RENDERERS)}]`;
  static override examples = ['<%= config.bin %> diff rendered-main/ rendered-pr/ --fail-on high'];
  static override args = {
    before: Args.string({description: 'the input before the change', required: true}),
    after: Args.string({description: 'the input after the change', required: true}),
  };
  static override flags = {
    ...outputFlags(RENDERERS, {default: 'text', aliases: ['table']}),
    'assume-breach': Flags.string({
      ...repeatable,
      description: 'also start from these pods, as if breached (repeatable; must match in both)',
      helpValue: 'SEL',
    }),
    'crown-jewel': Flags.string({...repeatable, description: 'also treat these nodes as crown jewels (repeatable)', helpValue: 'SEL'}),
    'fail-on': Flags.string({description: 'exit with code 3 when an added finding is at or above this severity', options: [...SEVERITIES]}),
    'max-depth': maxDepthFlag,
    cni: cniFlag,
    ...modelFlags,
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Diff);
    this.checkOutput(flags['output-file'], [args.before, args.after], flags);
    const options = {
      cni: CNI_PROFILES[flags.cni]!,
      assumeBreach: flags['assume-breach'],
      crownJewels: flags['crown-jewel'],
      maxDepth: flags['max-depth'],
    };
    const given = this.modelInputs(flags);
    const before = (await this.load([args.before])).snapshot;
    const after = (await this.load([args.after])).snapshot;
    const [old, now] = [analyze(this.modelOf(before, given, true), options), analyze(this.modelOf(after, given), options)];
    const diff = diffFindings(old.findings, now.findings, changedObjects(before, after), {
      before: pathHolds(old.moves),
      after: pathHolds(now.moves),
    });
    await writeRendered(RENDERERS, flags, diff);
    const added = diff.added.map((change) => change.finding);
    if (flags['fail-on'] && atOrAbove(added, flags['fail-on'] as Severity)) process.exitCode = FINDINGS_EXIT_CODE;
  }
}
