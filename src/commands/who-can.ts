import {Flags} from '@oclif/core';
import {clusterSourceFlags, jsonFlag, KubepathCommand, outputFileFlag, outputFormat} from '../cli/base.js';
import {buildRbacEngine} from '../engines/rbac/engine.js';
import {parseWhoCanArguments} from '../engines/rbac/resources.js';
import {buildModel} from '../graph/model.js';
import {formatWhoCanTable, whoCanJson} from '../output/who-can.js';
import {jsonChunks} from '../output/json-stream.js';
import {writeOutput} from '../output/write.js';
import {UsageError} from '../snapshot/errors.js';

export default class WhoCan extends KubepathCommand {
  static override summary = 'List every identity that RBAC allows a request, with the binding, role and rule that allow it';
  static override description = [
    'Evaluates RBAC as the API server does (docs/rbac.md): ClusterRoleBindings apply everywhere, RoleBindings only in their namespace; groups are expanded (system:serviceaccounts[:ns], system:authenticated, ...); aggregated ClusterRoles are filled; built-in roles and bindings the input lacks are added (Kubernetes v1.30) unless --no-bootstrap.',
    'RESOURCE is a resource (pods, deployments, deploy), RESOURCE.GROUP (deployments.apps, widgets.example.com), either with /SUBRESOURCE (pods/exec, deployments.apps/scale), or a non-resource URL starting with / (/healthz, /metrics).',
    'Without -n the request is cluster-wide: cluster-scoped resources, or namespaced ones in every namespace at once (as kubectl -A), which only ClusterRoleBindings allow.',
  ].join('\n\n');
  static override usage = 'who-can VERB RESOURCE[/SUBRESOURCE] INPUT... [-n NS] [--name NAME] [-o table|json] [--no-bootstrap]';
  static override examples = [
    '<%= config.bin %> who-can get secrets -n payments examples/multi-tenant',
    '<%= config.bin %> who-can create pods/exec -n shop manifests/',
    '<%= config.bin %> who-can update deployments.apps/scale -n shop --name web cluster.json -o json',
    '<%= config.bin %> who-can get /metrics snapshot.json',
  ];
  // VERB RESOURCE INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    namespace: Flags.string({char: 'n', description: 'the namespace of the request (default: cluster-wide)', helpValue: 'NS'}),
    name: Flags.string({description: 'the name of the object (rules with resourceNames need it)', helpValue: 'NAME'}),
    bootstrap: Flags.boolean({description: 'add the built-in bootstrap roles and bindings the input lacks', default: true, allowNo: true}),
    output: Flags.string({char: 'o', description: 'output format', options: ['table', 'json'], default: 'table'}),
    json: jsonFlag,
    'output-file': outputFileFlag,
    ...clusterSourceFlags,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(WhoCan);
    const format = outputFormat<'table' | 'json'>(flags, 'table');
    const [verb, resource, ...inputs] = argv as string[];
    this.checkOutput(flags['output-file'], inputs, flags);
    if (verb === undefined || resource === undefined) throw new UsageError('who-can needs a VERB and a RESOURCE, then INPUT...: e.g. who-can get secrets -n shop cluster.yaml');
    const {request, warnings} = parseWhoCanArguments(verb, resource, {namespace: flags.namespace, name: flags.name});
    for (const warning of warnings) this.warning(warning);
    const {snapshot} = await this.load(inputs, {kubeconfig: flags.kubeconfig, context: flags.context});
    const engine = buildRbacEngine(buildModel(snapshot), {bootstrap: flags.bootstrap});
    const entries = engine.whoCan(request);
    await writeOutput(format === 'json' ? jsonChunks(whoCanJson(request, entries, engine.bootstrapVersion)) : [formatWhoCanTable(request, entries)], flags['output-file']);
  }
}
