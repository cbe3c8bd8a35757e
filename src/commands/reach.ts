import {Flags} from '@oclif/core';
import {jsonFlag, KubepathCommand, outputFileFlag, outputFormat, verboseFlag} from '../cli/base.js';
import {buildNetworkEngine} from '../engines/network/engine.js';
import {buildModel} from '../graph/model.js';
import {connectivityList, formatConnectivityText} from '../output/connlist.js';
import {writeOutput} from '../output/write.js';

export default class Reach extends KubepathCommand {
  static override summary = 'List which workloads can connect to which, and on what ports';
  static override description =
    'Evaluates NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy exactly. -o txt prints the netpol-analyzer connectivity-list format (SRC => DST : CONN); -o json gives the same facts as [{"src","dst","conn"}].';
  static override usage = 'reach INPUT... [-o txt|json]';
  static override examples = ['<%= config.bin %> reach examples/multi-tenant', '<%= config.bin %> reach manifests/ -o json'];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['txt', 'json'], default: 'txt'}),
    json: jsonFlag,
    'output-file': outputFileFlag,
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Reach);
    const format = outputFormat<'txt' | 'json'>(flags, 'txt');
    const {snapshot} = await this.load(argv as string[]);
    const lines = connectivityList(buildNetworkEngine(buildModel(snapshot)));
    const text = format === 'json' ? `${JSON.stringify(lines, null, 2)}\n` : formatConnectivityText(lines);
    await writeOutput([text], flags['output-file']);
  }
}
