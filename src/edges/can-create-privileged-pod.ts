/**
 * CAN_CREATE_PRIVILEGED_POD: an identity that can run a pod of its design in a
 * namespace (pod-creation.ts) whose Pod Security admission allows privileged pods
 * (`pod-security.kubernetes.io/enforce` is `privileged`, or absent: the cluster
 * default, privileged unless the AdmissionConfiguration says otherwise) runs a
 * privileged, hostPID pod on any node it likes (`spec.nodeName` bypasses the
 * scheduler, taints included): root on every node. Asked per identity
 * (grant-groups.ts). See
 * docs/edges/CAN_CREATE_PRIVILEGED_POD.md.
 */
import {nodeId} from '../graph/ids.js';
import type {NodeInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import {objectKey} from '../snapshot/snapshot.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {bindingFixes} from './rbac-grants.js';
import {compareStrings} from '../util/order.js';
import {uniqueEvidence} from './edge-collector.js';
import {grantEdges, type Found, type GrantFacet} from './grant-groups.js';
import {podCreators} from './pod-creation.js';
import {atLeast, describeVersion} from '../version/kubernetes.js';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const RULE = {id: 'CAN_CREATE_PRIVILEGED_POD', type: 'CAN_CREATE_PRIVILEGED_POD', mitre: 'T1611'} as const;

/** How many admitting namespaces' routes an edge's evidence spells out; the rest are named by binding. */
export const ROUTES_SHOWN = 3;
/** How many further namespaces a binding's summary names. */
const NAMESPACES_NAMED = 10;

interface Route extends Found {
  namespace: string;
}

/**
 * One group, every node: per source, the routes of every admitting namespace (nodeName
 * reaches any node). One route makes the edge true; an identity allowed in every
 * namespace would otherwise carry every namespace's evidence on every node's edge.
 */
function admittingFacet(context: RuleContext): GrantFacet<NodeInfo> {
  return {
    group: () => '',
    answer() {
      const {model} = context;
      const creators = podCreators(context);
      const routes = new Map<string, Route[]>();
      // Pod Security admission is on by default from 1.23; before, its labels do nothing, and a PodSecurityPolicy may be what refuses.
      const version = model.kubernetesVersion;
      const enforced = atLeast(version, 23) !== false;
      for (const namespace of model.namespaces.values()) {
        const level = namespace.labels[ENFORCE_LABEL];
        if (enforced && level !== undefined && level !== 'privileged') continue;
        const where = {
          object: objectKey('Namespace', undefined, namespace.name),
          field: level ? `metadata.labels["${ENFORCE_LABEL}"]` : 'metadata.labels',
          ...(level ? {value: level} : {}),
        };
        const admission: Evidence | undefined = !enforced
          ? {
              ...where,
              note: `Pod Security admission enforces nothing before Kubernetes 1.23, and the cluster runs ${describeVersion(version!)}; a PodSecurityPolicy, which kubepath does not read, may still refuse privileged pods`,
            }
          : namespace.declared
            ? level
              ? {...where, note: 'Pod Security admits privileged pods'}
              : {
                  ...where,
                  note: `no ${ENFORCE_LABEL} label: the cluster default applies, privileged unless the API server's AdmissionConfiguration sets another`,
                }
            : undefined;
        for (const [source, {certainty, evidence, escalated}] of creators(namespace.name)) {
          const withAdmission = admission
            ? [...evidence, admission]
            : evidence.map((item, i) =>
                i === 0
                  ? {
                      ...item,
                      note: `${item.note}; namespace ${namespace.name} is not in the input, so its Pod Security labels are unknown (assumed unset: privileged)`,
                    }
                  : item,
              );
          const route: Route = {
            namespace: namespace.name,
            certainty: admission && enforced ? certainty : 'conditional',
            evidence: withAdmission,
          };
          if (escalated) route.escalated = true;
          const known = routes.get(source);
          if (known) known.push(route);
          else routes.set(source, [route]);
        }
      }
      const bySource = new Map<string, Found>();
      for (const [source, found] of routes) bySource.set(source, combine(found));
      return bySource;
    },
  };
}

/** The routes as one answer: definite and direct ones first, the first few spelled out, the rest by binding. */
function combine(routes: Route[]): Found {
  routes.sort(
    (a, b) =>
      Number(a.certainty !== 'definite') - Number(b.certainty !== 'definite') ||
      Number(a.escalated ?? false) - Number(b.escalated ?? false) ||
      compareStrings(a.namespace, b.namespace),
  );
  const shown = routes.slice(0, ROUTES_SHOWN);
  const rest = routes.slice(ROUTES_SHOWN);
  // Every binding of every route stays named (bindingFixes reads the roleRef items), the rest with the namespaces it opens;
  // a route through no input binding (a built-in one) by the item that names its identity.
  const namespacesBy = new Map<string, {item: Evidence; namespaces: string[]; unknown: number}>();
  for (const route of rest) {
    const bindings = route.evidence.filter((item) => item.field === 'roleRef');
    for (const item of bindings.length > 0 ? bindings : route.evidence.slice(0, 1)) {
      const key = `${item.object}\u0000${item.field ?? ''}`;
      let known = namespacesBy.get(key);
      if (!known) namespacesBy.set(key, (known = {item, namespaces: [], unknown: 0}));
      if (known.namespaces[known.namespaces.length - 1] === route.namespace) continue;
      known.namespaces.push(route.namespace);
      if (route.certainty !== 'definite') known.unknown++;
    }
  }
  const summaries = [...namespacesBy.values()].map(({item, namespaces, unknown}) => {
    const named = namespaces.slice(0, NAMESPACES_NAMED).join(', ');
    const more = namespaces.length > NAMESPACES_NAMED ? ` and ${namespaces.length - NAMESPACES_NAMED} more` : '';
    const assumed =
      unknown > 0
        ? ` (${unknown} of them conditional: not in the input, so Pod Security assumed unset, or the route is a re-template)`
        : '';
    const summary: Evidence = {
      object: item.object,
      note: `also a route in ${namespaces.length} more admitting namespace${namespaces.length === 1 ? '' : 's'}: ${named}${more}${assumed}`,
    };
    if (item.field !== undefined) summary.field = item.field;
    if (item.value !== undefined) summary.value = item.value;
    return summary;
  });
  const found: Found = {
    certainty: routes.some((route) => route.certainty === 'definite') ? 'definite' : 'conditional',
    evidence: uniqueEvidence([...shown.flatMap((route) => route.evidence), ...summaries]),
  };
  if (routes.every((route) => route.escalated)) found.escalated = true;
  return found;
}

export const canCreatePrivilegedPod: EdgeRule = {
  ...RULE,
  family: 'rbac',
  fixes: bindingFixes,
  summary:
    'Can run a pod of its design in a namespace whose Pod Security enforce level is privileged (or unset): a privileged pod on any node',
  ...grantEdges<NodeInfo>({
    rule: RULE,
    cost: COST.deliberate,
    targets: ({model}) => [...model.nodes.values()],
    id: (node) => nodeId(node.name),
    facets: (context) => [admittingFacet(context)],
  }),
};
