/**
 * kubepath graph types
 * ====================
 *
 * Node and edge attributes of the one graph everything else reads. Context edges
 * describe the cluster; attack edges are moves an attacker can make and always
 * carry the evidence that makes them true.
 */
import type {MultiDirectedGraph} from 'graphology';
import type {NodeKind} from './ids.js';

export const CONTEXT_EDGE_TYPES = ['IN_NAMESPACE', 'RUNS_ON', 'CONTROLS', 'SELECTS', 'HAS_ROLE', 'APPLIES_TO'] as const;
export type ContextEdgeType = (typeof CONTEXT_EDGE_TYPES)[number];

export const ATTACK_EDGE_TYPES = [
  'CAN_REACH',
  'USES_TOKEN',
  'MOUNTS_SECRET',
  'ESCAPES_TO',
  'STEALS_TOKENS',
  'HOSTS',
  'NODE_CREDENTIALS',
  'CONTROL_PLANE',
  'CAN_EXEC',
  'CAN_CREATE_POD_AS',
  'CAN_CREATE_PRIVILEGED_POD',
  'CAN_PATCH',
  'CAN_READ_SECRET',
  'HOLDS_TOKEN',
  'CAN_MINT_TOKEN',
  'CAN_IMPERSONATE',
  'CAN_ESCALATE',
  'IS_CLUSTER_ADMIN',
  'MEMBER_OF',
] as const;
export type AttackEdgeType = (typeof ATTACK_EDGE_TYPES)[number];

export interface NodeAttributes {
  id: string;
  kind: NodeKind;
  name: string;
  namespace?: string;
  [property: string]: unknown;
}

/**
 * Why an edge exists: the object (its snapshot key, e.g. `Pod/shop/web-0` or
 * `RoleBinding/ci/deployer`), the field path inside it, and what was found there.
 */
export interface Evidence {
  object: string;
  field?: string;
  value?: string | number | boolean;
  note?: string;
}

export interface ContextEdgeAttributes {
  type: ContextEdgeType;
  attack: false;
  [property: string]: unknown;
}

export type Certainty = 'definite' | 'conditional';

export interface AttackEdgeAttributes {
  type: AttackEdgeType;
  attack: true;
  /** The rule id that drew this edge. */
  technique: string;
  mitre: string;
  certainty: Certainty;
  /** Attacker effort; the path weight. */
  cost: number;
  evidence: Evidence[];
  [property: string]: unknown;
}

export type EdgeAttributes = ContextEdgeAttributes | AttackEdgeAttributes;

export type KubeGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;
