/**
 * CAN_EXEC: an identity runs commands in an existing pod: `create` on pods/exec or
 * pods/attach in the pod's namespace, `patch`/`update` on pods/ephemeralcontainers
 * (inject a debug container), or `create` on nodes/proxy (the kubelet's exec endpoint,
 * every pod on the node, past audit and admission). `get` alone on pods/exec,
 * pods/attach (WebSocket upgrade; servers from 1.35 also require create) or
 * nodes/proxy (the kubelet maps a WebSocket GET to `get`) depends on the version:
 * those edges are conditional. resourceNames are honoured (a representative pod of a
 * workload has no known name, so only rules without resourceNames reach it).
 * Asked per identity (grant-groups.ts): a cluster-wide grant reaches every pod.
 * See docs/edges/CAN_EXEC.md.
 */
import {UNSCHEDULED} from '../graph/ids.js';
import type {PodInfo} from '../graph/model.js';
import type {Certainty, Evidence} from '../graph/types.js';
import {objectKey} from '../snapshot/snapshot.js';
import {grantEdges, type GrantFacet} from './grant-groups.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {bindingFixes, foundGrants, namedGrants} from './rbac-grants.js';
import {atLeast, describeVersion, type KubernetesVersion} from '../version/kubernetes.js';

interface Route {
  verb: string;
  resource: 'pods' | 'nodes';
  subresource: string;
  certainty: Certainty;
  why: string;
}

/**
 * The routes on a cluster of this version (docs/version.md): `get` alone on pods/exec and
 * pods/attach works through a WebSocket upgrade before 1.35, where
 * AuthorizePodWebsocketUpgradeCreatePermission (on by default) also requires create;
 * ephemeral containers are served from 1.23. An unknown version keeps the get routes
 * conditional.
 */
function routes(version: KubernetesVersion | undefined): Route[] {
  const websocketGet = atLeast(version, 35);
  const getNote = version
    ? `a WebSocket upgrade is authorized as get before Kubernetes 1.35, and the cluster runs ${describeVersion(version)}`
    : 'get alone works through a WebSocket upgrade before Kubernetes 1.35 (AuthorizePodWebsocketUpgradeCreatePermission then also requires create)';
  const getRoute = (subresource: string): Route => ({
    verb: 'get',
    resource: 'pods',
    subresource,
    certainty: websocketGet === false ? 'definite' : 'conditional',
    why: `get pods/${subresource}: ${getNote}`,
  });
  const ephemeral = (verb: string): Route => ({
    verb,
    resource: 'pods',
    subresource: 'ephemeralcontainers',
    certainty: 'definite',
    why: `${verb} pods/ephemeralcontainers: inject a debug container into the pod`,
  });
  return [
    {verb: 'create', resource: 'pods', subresource: 'exec', certainty: 'definite', why: 'create pods/exec: run a command in the pod'},
    {
      verb: 'create',
      resource: 'pods',
      subresource: 'attach',
      certainty: 'definite',
      why: 'create pods/attach: attach to the running process',
    },
    ...(atLeast(version, 23) === false ? [] : [ephemeral('patch'), ephemeral('update')]),
    ...(websocketGet === true ? [] : [getRoute('exec'), getRoute('attach')]),
    {
      verb: 'create',
      resource: 'nodes',
      subresource: 'proxy',
      certainty: 'definite',
      why: "create nodes/proxy: the kubelet's /exec endpoint on the pod's node",
    },
    {
      verb: 'get',
      resource: 'nodes',
      subresource: 'proxy',
      certainty: 'conditional',
      why: 'get nodes/proxy: the kubelet authorizes a WebSocket exec upgrade as get on nodes/proxy (true on current kubelets; may change)',
    },
  ];
}

const RULE = {id: 'CAN_EXEC', type: 'CAN_EXEC', mitre: 'T1609'} as const;

/** Each route as a facet: namespaced routes grouped by the pod's namespace (and name, where named), nodes/proxy by its node. */
function routeFacets(context: RuleContext): Array<GrantFacet<PodInfo>> {
  const {model} = context;
  // Where the pod runs, one item shared by both nodes/proxy routes and every source: the Node when the input has it, else the pod's nodeName.
  const onNodes = new Map<string, Evidence>();
  const nodeEvidence = (name: string): Evidence => {
    let evidence = onNodes.get(name);
    if (!evidence)
      onNodes.set(
        name,
        (evidence = {
          object: objectKey('Node', undefined, name),
          field: 'metadata.name',
          value: name,
          note: `nodes/proxy reaches the kubelet of node ${name}, which runs the pod`,
        }),
      );
    return evidence;
  };
  const runsOn = new Map<PodInfo, Evidence>();
  const podEvidence = (pod: PodInfo): Evidence | undefined => {
    if (model.nodes.get(pod.nodeName)?.declared) return undefined;
    let evidence = runsOn.get(pod);
    if (!evidence)
      runsOn.set(
        pod,
        (evidence = {
          object: pod.source.object,
          field: `${pod.source.specPath}.nodeName`,
          value: pod.nodeName,
          note: `the pod runs on node ${pod.nodeName}`,
        }),
      );
    return evidence;
  };
  return routes(model.kubernetesVersion).map((route) => {
    const onNode = route.resource === 'nodes';
    const ask = namedGrants(context, (namespace, name) => ({
      verb: route.verb,
      group: '',
      resource: route.resource,
      subresource: route.subresource,
      ...(onNode ? {} : {namespace}),
      ...(name ? {name} : {}),
    }));
    // A representative pod of a workload has no known name; an unscheduled pod's node is any node.
    const scope = (pod: PodInfo): [string, string] =>
      onNode ? ['', pod.nodeName === UNSCHEDULED ? '' : pod.nodeName] : [pod.namespace, pod.representative ? '' : pod.name];
    return {
      group: (pod) => ask.group(...scope(pod)),
      answer(pod) {
        const found = foundGrants(context, ask(...scope(pod)), route.certainty, () => route.why);
        if (onNode && model.nodes.get(pod.nodeName)?.declared)
          for (const {evidence} of found.values()) evidence.push(nodeEvidence(pod.nodeName));
        return found;
      },
      ...(onNode ? {targetEvidence: podEvidence} : {}),
    };
  });
}

export const canExec: EdgeRule = {
  ...RULE,
  family: 'rbac',
  fixes: bindingFixes,
  summary:
    "create pods/exec or pods/attach, patch pods/ephemeralcontainers, or nodes/proxy on the pod's node (get alone: conditional, version-dependent)",
  ...grantEdges<PodInfo>({rule: RULE, cost: COST.deliberate, targets: ({model}) => model.pods, id: (pod) => pod.id, facets: routeFacets}),
};
