/**
 * kubepath edge rules
 * ===================
 *
 * One attack technique, one rule file. A rule reads the cluster model and returns
 * the edges it proves, each with its evidence. Every rule has a page
 * `docs/edges/<id>.md` and fixtures `test/fixtures/edges/<id>/positive.*.yaml` and
 * `negative.*.yaml` (checked by test/edges.test.ts).
 */
import type {ClusterModel} from '../graph/model.js';
import type {AttackEdgeAttributes, AttackEdgeType} from '../graph/types.js';

export interface AttackEdge {
  source: string;
  target: string;
  attributes: AttackEdgeAttributes;
}

export interface EdgeRule {
  /** Upper-snake id shared by the rule, its doc page and its fixtures, e.g. `ESCAPES_TO_PRIVILEGED`. */
  id: string;
  /** The edge type the rule draws (DESIGN's attack edge vocabulary). */
  type: AttackEdgeType;
  /** MITRE ATT&CK technique id, e.g. `T1611`. */
  mitre: string;
  summary: string;
  build(model: ClusterModel): AttackEdge[];
}
