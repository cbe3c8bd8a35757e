import {Flags} from '@oclif/core';
import {clusterSourceFlags, formatsOf, KubepathCommand, outputFlags, writeRendered} from '../cli/base.js';
import {buildRbacEngine, type WhoCanEntry} from '../engines/rbac/engine.js';
import type {RbacRequest} from '../engines/rbac/request.js';
import {parseWhoCanArguments} from '../engines/rbac/resources.js';
import {buildModel} from '../graph/model.js';
import {formatWhoCanTable, whoCanJson} from '../output/who-can.js';
import {jsonChunks} from '../output/json-stream.js';
import type {Renderers} from '../output/render.js';
import {UsageError} from '../snapshot/errors.js';

/** What who-can's formats are made from: the request, who may make it, and the bootstrap policy's version where it was added. */
interface WhoCanOutput {
  request: RbacRequest;
  entries: readonly WhoCanEntry[];
  bootstrapVersion: string | undefined;
}

export const RENDERERS = {
  text: ({request, entries}) => formatWhoCanTable(request, entries),
  json: ({request, entries, bootstrapVersion}) => jsonChunks(whoCanJson(request, entries, bootstrapVersion)),
} satisfies Renderers<WhoCanOutput>;

export default class WhoCan extends KubepathCommand {
  static override summary = 'List every identity that RBAC allows a request, with the binding, role and rule that allow it';
  static override description = [
    'Evaluates RBAC as the API server does (docs/rbac.md): ClusterRoleBindings apply everywhere, RoleBindings only in their namespace; groups are expanded (system:serviceaccounts[:ns], system:authenticated, ...); aggregated ClusterRoles are filled; built-in roles and bindings the input lacks are added (Kubernetes v1.30) unless --no-bootstrap.',
    'RESOURCE is a resource (pods, deployments, deploy), RESOURCE.GROUP (deployments.apps, widgets.example.com), either with /SUBRESOURCE (pods/exec, deployments.apps/scale), or a non-resource URL starting with / (/healthz, /metrics).',
    'Without -n the request is cluster-wide: cluster-scoped resources, or namespaced ones in every namespace at once (as kubectl -A), which only ClusterRoleBindings allow.',
  ].join('\n\n');
  static override usage = `who-can VERB RESOURCE[/SUBRESOURCE] INPUT... [-n NS] [--name NAME] [-o ${formatsOf(RENDERERS)}] [--no-bootstrap]`;
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
    ...outputFlags(RENDERERS, {default: 'text', aliases: ['table']}),
    ...clusterSourceFlags,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(WhoCan);
    const [verb, resource, ...inputs] = argv as string[];
    this.checkOutput(flags['output-file'], inputs, flags);
    if (verb === undefined || resource === undefined)
      throw new UsageError('who-can needs a VERB and a RESOURCE, then INPUT...: e.g. who-can get secrets -n shop cluster.yaml');
    const {request, warnings} = parseWhoCanArguments(verb, resource, {namespace: flags.namespace, name: flags.name});
    for (const warning of warnings) this.warning(warning);
    const {snapshot} = await this.load(inputs, {kubeconfig: flags.kubeconfig, context: flags.context});
    const engine = buildRbacEngine(buildModel(snapshot), {bootstrap: flags.bootstrap});
    await writeRendered(RENDERERS, flags, {request, entries: engine.whoCan(request), bootstrapVersion: engine.bootstrapVersion});
  }
}
