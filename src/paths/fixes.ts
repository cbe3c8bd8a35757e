/**
 * kubepath fixes and choke points
 * ===============================
 *
 * For a set of attack paths, the changes that cut the most of them. Each step's edge
 * names, from its rule and evidence, the single changes that remove it (docs/findings.md):
 * an RBAC edge granted by one binding goes with that binding; a token with automount
 * off; an exposure with its Service or Ingress; network reach with a default-deny policy
 * in the target's namespace; an escape or a read of the kubelet's directory with the
 * Pod Security baseline on the pod's namespace, and an escape that needs root also by
 * hardening the workload's posture; a legacy token with its Secret. Edges
 * that hold by definition (a node hosts its pods, a member is in its group) or through
 * several grants at once name none. A fix cuts a path when it removes one of its steps.
 */
import {namespaceOfId} from '../graph/ids.js';
import type {Evidence} from '../graph/types.js';
import {compareStrings} from '../util/order.js';
import type {AttackPath, PathStep} from './search.js';

export interface Fix {
  /** Stable key: what kind of change, on which object. */
  id: string;
  /** The change, in words a platform engineer can act on. */
  action: string;
  /** The object to change (a snapshot key, or a namespace). */
  object: string;
}

export interface RankedFix extends Fix {
  /** How many of the given paths it cuts. */
  paths: number;
}

const RBAC_TECHNIQUES = new Set([
  'IS_CLUSTER_ADMIN',
  'CAN_READ_SECRET',
  'CAN_EXEC',
  'CAN_CREATE_POD_AS',
  'CAN_CREATE_PRIVILEGED_POD',
  'CAN_PATCH',
  'CAN_MINT_TOKEN',
  'CAN_IMPERSONATE',
  'CAN_ESCALATE',
]);

const podNamespace = (step: PathStep, end: 'from' | 'to'): string | undefined => namespaceOfId(step[end]);

/** The bindings an RBAC edge's evidence names (its `roleRef` items; for an escalation, the binding that lets it write). */
function bindingsOf(evidence: readonly Evidence[]): string[] {
  return [...new Set(evidence.filter((item) => item.field === 'roleRef').map((item) => item.object))].sort(compareStrings);
}

/** The single changes that remove the step's edge. */
export function fixesFor(step: PathStep): Fix[] {
  const {technique, evidence} = step.attributes;
  const first = evidence[0];
  if (RBAC_TECHNIQUES.has(technique)) {
    const bindings = bindingsOf(evidence);
    return bindings.length === 1 ? [{id: `delete:${bindings[0]}`, action: `delete ${bindings[0]} (or narrow the rule it grants)`, object: bindings[0]!}] : [];
  }
  switch (technique) {
    case 'INTERNET_EXPOSURE':
      return first ? [{id: `unexpose:${first.object}`, action: `stop exposing ${step.to} through ${first.object} (or restrict its sources)`, object: first.object}] : [];
    case 'POD_NETWORK_REACH': {
      const namespace = podNamespace(step, 'to');
      return namespace ? [{id: `deny-ingress:${namespace}`, action: `add a default-deny ingress NetworkPolicy in namespace ${namespace}, then allow only what its pods need`, object: `Namespace/${namespace}`}] : [];
    }
    case 'USES_TOKEN': {
      const automount = evidence.find((item) => item.field?.endsWith('automountServiceAccountToken'));
      return automount ? [{id: `automount:${automount.object}`, action: `set automountServiceAccountToken: false on ${automount.object}`, object: automount.object}] : [];
    }
    case 'MOUNTS_SECRET':
      return first ? [{id: `unmount:${first.object}:${step.to}`, action: `stop giving ${step.to} to ${first.object} (volume, env or envFrom)`, object: first.object}] : [];
    case 'HOLDS_TOKEN':
      return first ? [{id: `delete:${first.object}`, action: `delete the legacy service-account token ${first.object} (use short-lived tokens)`, object: first.object}] : [];
    case 'ESCAPES_TO':
    case 'STEALS_TOKENS': {
      const namespace = podNamespace(step, 'from');
      const baseline: Fix[] = namespace
        ? [{id: `baseline:${namespace}`, action: `enforce Pod Security baseline on namespace ${namespace} (pod-security.kubernetes.io/enforce: baseline), moving what truly needs the host elsewhere`, object: `Namespace/${namespace}`}]
        : [];
      // An escape that needs root goes once the workload runs as non-root without privilege escalation.
      const reliesOn = step.attributes.reliesOn as string[] | undefined;
      const hardening: Fix[] =
        reliesOn?.length && first
          ? [{id: `harden:${first.object}`, action: `run ${first.object} as non-root without privilege escalation (securityContext runAsNonRoot: true, allowPrivilegeEscalation: false)`, object: first.object}]
          : [];
      return [...hardening, ...baseline];
    }
    default:
      return [];
  }
}

/** The fixes that cut the most of the paths, most first (ties by id), with how many each cuts. */
export function rankFixes(paths: readonly AttackPath[], limit = 5): RankedFix[] {
  const found = new Map<string, {fix: Fix; paths: Set<number>}>();
  paths.forEach((path, index) => {
    for (const step of path.steps) {
      for (const fix of fixesFor(step)) {
        const known = found.get(fix.id);
        if (known) known.paths.add(index);
        else found.set(fix.id, {fix, paths: new Set([index])});
      }
    }
  });
  return [...found.values()]
    .map(({fix, paths: cut}) => ({...fix, paths: cut.size}))
    .sort((a, b) => b.paths - a.paths || compareStrings(a.id, b.id))
    .slice(0, limit);
}
