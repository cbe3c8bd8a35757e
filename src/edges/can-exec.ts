/**
 * CAN_EXEC: an identity runs commands in an existing pod: `create` on pods/exec or
 * pods/attach in the pod's namespace, `patch`/`update` on pods/ephemeralcontainers
 * (inject a debug container), or `create` on nodes/proxy (the kubelet's exec endpoint,
 * every pod on the node, past audit and admission). `get` alone on pods/exec,
 * pods/attach (WebSocket upgrade; servers from 1.35 also require create) or
 * nodes/proxy (the kubelet maps a WebSocket GET to `get`) depends on the version:
 * those edges are conditional. resourceNames are honoured (a representative pod of a
 * workload has no known name, so only rules without resourceNames reach it).
 * See docs/edges/CAN_EXEC.md.
 */
import {UNSCHEDULED} from '../graph/ids.js';
import type {Certainty, Evidence} from '../graph/types.js';
import type {EdgeRule, RuleContext} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {grantsEvidence, namedGrants, type GrantsBySource} from './rbac-grants.js';

interface Route {
  verb: string;
  resource: 'pods' | 'nodes';
  subresource: string;
  certainty: Certainty;
  why: string;
}

const VERSION_NOTE = 'get alone works through a WebSocket upgrade before Kubernetes 1.35 (AuthorizePodWebsocketUpgradeCreatePermission then also requires create)';
const ROUTES: Route[] = [
  {verb: 'create', resource: 'pods', subresource: 'exec', certainty: 'definite', why: 'create pods/exec: run a command in the pod'},
  {verb: 'create', resource: 'pods', subresource: 'attach', certainty: 'definite', why: 'create pods/attach: attach to the running process'},
  {verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', certainty: 'definite', why: 'patch pods/ephemeralcontainers: inject a debug container into the pod'},
  {verb: 'update', resource: 'pods', subresource: 'ephemeralcontainers', certainty: 'definite', why: 'update pods/ephemeralcontainers: inject a debug container into the pod'},
  {verb: 'get', resource: 'pods', subresource: 'exec', certainty: 'conditional', why: `get pods/exec: ${VERSION_NOTE}`},
  {verb: 'get', resource: 'pods', subresource: 'attach', certainty: 'conditional', why: `get pods/attach: ${VERSION_NOTE}`},
  {verb: 'create', resource: 'nodes', subresource: 'proxy', certainty: 'definite', why: "create nodes/proxy: the kubelet's /exec endpoint on the pod's node"},
  {
    verb: 'get',
    resource: 'nodes',
    subresource: 'proxy',
    certainty: 'conditional',
    why: "get nodes/proxy: the kubelet authorizes a WebSocket exec upgrade as get on nodes/proxy (true on current kubelets; may change)",
  },
];

/** Who can take each route to a pod: namespaced routes by the pod's name, nodes/proxy by its node's name. */
function routeAsks(context: RuleContext): Array<{route: Route; ask: (namespace: string, name: string) => GrantsBySource}> {
  return ROUTES.map((route) => ({
    route,
    ask: namedGrants(context, (namespace, name) => ({
      verb: route.verb,
      group: '',
      resource: route.resource,
      subresource: route.subresource,
      ...(route.resource === 'pods' ? {namespace} : {}),
      ...(name ? {name} : {}),
    })),
  }));
}

export const canExec: EdgeRule = {
  id: 'CAN_EXEC',
  type: 'CAN_EXEC',
  mitre: 'T1609',
  summary: 'create pods/exec or pods/attach, patch pods/ephemeralcontainers, or nodes/proxy on the pod\'s node (get alone: conditional, version-dependent)',
  build(context) {
    const asks = routeAsks(context);
    const edges = new EdgeCollector(canExec);
    for (const pod of context.model.pods) {
      const podName = pod.representative ? '' : pod.name;
      for (const {route, ask} of asks) {
        const onNode = route.resource === 'nodes';
        const answer = onNode ? ask('', pod.nodeName === UNSCHEDULED ? '' : pod.nodeName) : ask(pod.namespace, podName);
        for (const [source, grants] of answer) {
          const evidence: Evidence[] = grantsEvidence(context, grants, () => route.why);
          if (evidence.length === 0) continue;
          if (onNode) evidence.push({object: pod.source.object, field: pod.source.specPath, value: pod.nodeName, note: `the pod runs on node ${pod.nodeName}`});
          edges.add(source, pod.id, route.certainty, 2, evidence);
        }
      }
    }
    return edges.list();
  },
};
