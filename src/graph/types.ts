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

/** How code in a container becomes root on its node (src/edges/escapes-to.ts says how each goes). */
export type Escape =
  | 'privileged'
  | 'nsenter'
  | 'sys-ptrace'
  | 'sys-module'
  | 'sys-admin'
  | 'dac-read-search'
  | 'host-process'
  | 'host-path-write'
  | 'core-pattern'
  | 'runtime-socket'
  | 'kubelet-dir'
  | 'sysfs-write'
  | 'host-device'
  | 'var-log-symlink';

/** What every attack edge carries. */
type AttackEdgeCommon = {
  attack: true;
  /** The rule id that drew this edge. */
  technique: string;
  mitre: string;
  certainty: Certainty;
  /** Attacker effort; the path weight (COST in src/edges/rule.ts). */
  cost: number;
  evidence: Evidence[];
};

/** What an edge of each type carries besides; a type not listed carries nothing more. */
export interface AttackEdgeDetails {
  /** The ports open (`PortSet.format()`); from the Internet, also the way in and the object that exposes the pod. */
  CAN_REACH: {ports: string; way?: string; via?: string};
  /** The technique, and the posture checks whose failure it relies on (hardening them removes the edge). */
  ESCAPES_TO: {escape: Escape; reliesOn?: string[]};
  /** The group the authenticator puts the member in (MEMBER_OF's edges; ANONYMOUS_ACCESS's name none). */
  MEMBER_OF: {group?: string};
}

export type AttackEdgeDetailsOf<T extends AttackEdgeType> = T extends keyof AttackEdgeDetails ? AttackEdgeDetails[T] : unknown;

type Intersection<U> = (U extends unknown ? (union: U) => void : never) extends (intersection: infer I) => void ? I : never;

/**
 * An attack edge's attributes. Of type T, it carries T's details as declared; any
 * edge may carry any type's, as optional (so that code reading edges of every type,
 * the default, reads each type's details without a cast).
 */
export type AttackEdgeAttributes<T extends AttackEdgeType = AttackEdgeType> = AttackEdgeCommon & {type: T} & Partial<
    Intersection<AttackEdgeDetails[keyof AttackEdgeDetails]>
  > &
  AttackEdgeDetailsOf<T>;

export type EdgeAttributes = ContextEdgeAttributes | AttackEdgeAttributes;

export type KubeGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;
