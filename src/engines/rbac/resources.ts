/**
 * kubepath RBAC resource names
 * ============================
 *
 * How `kubepath who-can VERB RESOURCE` reads RESOURCE, as `kubectl auth can-i` does:
 * `/path` is a non-resource URL; `resource.group[/subresource]` names the group;
 * a bare name (plural, singular or short: `deployments`, `deployment`, `deploy`)
 * is looked up among the built-in resources of Kubernetes v1.30, which kubectl
 * finds by discovery and kubepath, offline, from the table below. A name the table
 * lacks is taken to be in the core group, with a warning.
 */
import {UsageError} from '../../snapshot/errors.js';
import {requestProblem, type RbacRequest} from './request.js';

interface BuiltInResource {
  group: string;
  namespaced: boolean;
  shortNames?: string[];
}

const NAMESPACED = true;
const CLUSTER = false;

/** Built-in resources by plural name; where two groups serve a name, kubectl's preferred one. */
const BUILT_IN: Readonly<Record<string, BuiltInResource>> = {
  bindings: {group: '', namespaced: NAMESPACED},
  componentstatuses: {group: '', namespaced: CLUSTER, shortNames: ['cs']},
  configmaps: {group: '', namespaced: NAMESPACED, shortNames: ['cm']},
  endpoints: {group: '', namespaced: NAMESPACED, shortNames: ['ep']},
  events: {group: '', namespaced: NAMESPACED, shortNames: ['ev']},
  limitranges: {group: '', namespaced: NAMESPACED, shortNames: ['limits']},
  namespaces: {group: '', namespaced: CLUSTER, shortNames: ['ns']},
  nodes: {group: '', namespaced: CLUSTER, shortNames: ['no']},
  persistentvolumeclaims: {group: '', namespaced: NAMESPACED, shortNames: ['pvc']},
  persistentvolumes: {group: '', namespaced: CLUSTER, shortNames: ['pv']},
  pods: {group: '', namespaced: NAMESPACED, shortNames: ['po']},
  podtemplates: {group: '', namespaced: NAMESPACED},
  replicationcontrollers: {group: '', namespaced: NAMESPACED, shortNames: ['rc']},
  resourcequotas: {group: '', namespaced: NAMESPACED, shortNames: ['quota']},
  secrets: {group: '', namespaced: NAMESPACED},
  serviceaccounts: {group: '', namespaced: NAMESPACED, shortNames: ['sa']},
  services: {group: '', namespaced: NAMESPACED, shortNames: ['svc']},
  // What the impersonate verb names (users and groups are no stored objects).
  users: {group: '', namespaced: CLUSTER},
  groups: {group: '', namespaced: CLUSTER},
  userextras: {group: 'authentication.k8s.io', namespaced: CLUSTER},
  uids: {group: 'authentication.k8s.io', namespaced: CLUSTER},
  mutatingwebhookconfigurations: {group: 'admissionregistration.k8s.io', namespaced: CLUSTER},
  validatingwebhookconfigurations: {group: 'admissionregistration.k8s.io', namespaced: CLUSTER},
  validatingadmissionpolicies: {group: 'admissionregistration.k8s.io', namespaced: CLUSTER},
  validatingadmissionpolicybindings: {group: 'admissionregistration.k8s.io', namespaced: CLUSTER},
  customresourcedefinitions: {group: 'apiextensions.k8s.io', namespaced: CLUSTER, shortNames: ['crd', 'crds']},
  apiservices: {group: 'apiregistration.k8s.io', namespaced: CLUSTER},
  controllerrevisions: {group: 'apps', namespaced: NAMESPACED},
  daemonsets: {group: 'apps', namespaced: NAMESPACED, shortNames: ['ds']},
  deployments: {group: 'apps', namespaced: NAMESPACED, shortNames: ['deploy']},
  replicasets: {group: 'apps', namespaced: NAMESPACED, shortNames: ['rs']},
  statefulsets: {group: 'apps', namespaced: NAMESPACED, shortNames: ['sts']},
  selfsubjectreviews: {group: 'authentication.k8s.io', namespaced: CLUSTER},
  tokenreviews: {group: 'authentication.k8s.io', namespaced: CLUSTER},
  localsubjectaccessreviews: {group: 'authorization.k8s.io', namespaced: NAMESPACED},
  selfsubjectaccessreviews: {group: 'authorization.k8s.io', namespaced: CLUSTER},
  selfsubjectrulesreviews: {group: 'authorization.k8s.io', namespaced: CLUSTER},
  subjectaccessreviews: {group: 'authorization.k8s.io', namespaced: CLUSTER},
  horizontalpodautoscalers: {group: 'autoscaling', namespaced: NAMESPACED, shortNames: ['hpa']},
  cronjobs: {group: 'batch', namespaced: NAMESPACED, shortNames: ['cj']},
  jobs: {group: 'batch', namespaced: NAMESPACED},
  certificatesigningrequests: {group: 'certificates.k8s.io', namespaced: CLUSTER, shortNames: ['csr']},
  // Not served: the resource RBAC checks for approving and signing with a signer.
  signers: {group: 'certificates.k8s.io', namespaced: CLUSTER},
  leases: {group: 'coordination.k8s.io', namespaced: NAMESPACED},
  endpointslices: {group: 'discovery.k8s.io', namespaced: NAMESPACED},
  flowschemas: {group: 'flowcontrol.apiserver.k8s.io', namespaced: CLUSTER},
  prioritylevelconfigurations: {group: 'flowcontrol.apiserver.k8s.io', namespaced: CLUSTER},
  ingressclasses: {group: 'networking.k8s.io', namespaced: CLUSTER},
  ingresses: {group: 'networking.k8s.io', namespaced: NAMESPACED, shortNames: ['ing']},
  networkpolicies: {group: 'networking.k8s.io', namespaced: NAMESPACED, shortNames: ['netpol']},
  runtimeclasses: {group: 'node.k8s.io', namespaced: CLUSTER},
  poddisruptionbudgets: {group: 'policy', namespaced: NAMESPACED, shortNames: ['pdb']},
  clusterrolebindings: {group: 'rbac.authorization.k8s.io', namespaced: CLUSTER},
  clusterroles: {group: 'rbac.authorization.k8s.io', namespaced: CLUSTER},
  rolebindings: {group: 'rbac.authorization.k8s.io', namespaced: NAMESPACED},
  roles: {group: 'rbac.authorization.k8s.io', namespaced: NAMESPACED},
  priorityclasses: {group: 'scheduling.k8s.io', namespaced: CLUSTER, shortNames: ['pc']},
  csidrivers: {group: 'storage.k8s.io', namespaced: CLUSTER},
  csinodes: {group: 'storage.k8s.io', namespaced: CLUSTER},
  csistoragecapacities: {group: 'storage.k8s.io', namespaced: NAMESPACED},
  storageclasses: {group: 'storage.k8s.io', namespaced: CLUSTER, shortNames: ['sc']},
  volumeattachments: {group: 'storage.k8s.io', namespaced: CLUSTER},
};

/** `policies` → `policy`, `ingresses` → `ingress`, `pods` → `pod`. */
function singular(plural: string): string {
  if (plural.endsWith('ies')) return `${plural.slice(0, -3)}y`;
  if (/(ss|x|us)es$/.test(plural)) return plural.slice(0, -2);
  return plural.endsWith('s') ? plural.slice(0, -1) : plural;
}

const ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries(BUILT_IN).flatMap(([plural, info]) => [
    [plural, plural],
    [singular(plural), plural],
    ...(info.shortNames ?? []).map((short): [string, string] => [short, plural]),
  ]),
);

export interface ParsedWhoCan {
  request: RbacRequest;
  /** Assumptions worth telling the user about, for stderr. */
  warnings: string[];
}

/**
 * Reads `VERB RESOURCE` plus `-n` and `--name` into a request; throws a UsageError
 * (one line) for what kubectl would refuse or what cannot mean anything.
 */
export function parseWhoCanArguments(verb: string, resource: string, options: {namespace?: string; name?: string}): ParsedWhoCan {
  const warnings: string[] = [];
  let request: RbacRequest;
  if (resource.startsWith('/')) {
    if (options.namespace !== undefined) throw new UsageError(`a non-resource URL has no namespace: drop -n for ${resource}`);
    if (options.name !== undefined) throw new UsageError(`a non-resource URL has no name: drop --name for ${resource}`);
    request = {verb, nonResourceURL: resource};
  } else {
    const slash = resource.indexOf('/');
    const qualified = slash < 0 ? resource : resource.slice(0, slash);
    const subresource = slash < 0 ? undefined : resource.slice(slash + 1);
    const dot = qualified.indexOf('.');
    let name = dot < 0 ? qualified : qualified.slice(0, dot);
    let group = dot < 0 ? undefined : qualified.slice(dot + 1);
    if (group === '')
      throw new UsageError(`"${resource}" names no API group after the dot: write RESOURCE for the core group or RESOURCE.GROUP`);
    const known = group === undefined ? ALIASES.get(name) : undefined;
    if (known) name = known;
    if (group === undefined) {
      group = known ? BUILT_IN[known]!.group : '';
      if (!known && name !== '*')
        warnings.push(
          `${name} is not a built-in resource kubepath knows: taking it to be in the core API group (write RESOURCE.GROUP to name another)`,
        );
    }
    const info = BUILT_IN[name];
    if (options.namespace !== undefined && info && info.group === group && !info.namespaced && name !== 'namespaces') {
      throw new UsageError(`${name} is cluster-scoped: -n does not apply`);
    }
    request = {verb, group, resource: name};
    if (subresource !== undefined) request.subresource = subresource;
    if (options.namespace !== undefined) request.namespace = options.namespace;
    if (options.name !== undefined) request.name = options.name;
    if (options.name !== undefined && (verb === 'deletecollection' || (verb === 'create' && subresource === undefined))) {
      warnings.push(`--name is ignored: a ${verb} request on a collection carries no name, so rules with resourceNames never allow it`);
    }
  }
  const problem = requestProblem(request);
  if (problem) throw new UsageError(problem);
  return {request, warnings};
}
