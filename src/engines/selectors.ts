/**
 * kubepath label selectors
 * ========================
 *
 * Kubernetes label selector semantics: `matchLabels` AND `matchExpressions`; In,
 * NotIn, Exists, DoesNotExist; NotIn and DoesNotExist match objects without the
 * key; an empty selector matches everything. Whether an absent selector means
 * "everything" or "nothing" depends on the field, so callers decide that.
 * Selectors are compiled once and then applied to many label sets.
 */
import type {LabelSelector} from '../snapshot/schema.js';

export type Labels = Readonly<Record<string, string>>;
export type LabelMatcher = (labels: Labels) => boolean;

export function compileSelector(selector: LabelSelector): LabelMatcher {
  const required = Object.entries(selector.matchLabels ?? {});
  const expressions = (selector.matchExpressions ?? []).map((e) => ({key: e.key, operator: e.operator, values: new Set(e.values ?? [])}));
  return (labels) => {
    for (const [key, value] of required) if (labels[key] !== value) return false;
    for (const {key, operator, values} of expressions) {
      const has = Object.hasOwn(labels, key);
      switch (operator) {
        case 'In':
          if (!has || !values.has(labels[key]!)) return false;
          break;
        case 'NotIn':
          if (has && values.has(labels[key]!)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
      }
    }
    return true;
  };
}

/**
 * A plain label map (Service and ReplicationController selectors): every pair must
 * match. An empty map selects nothing: a Service without a selector has its
 * endpoints managed by hand.
 */
export function compileLabelMap(selector: Labels | null | undefined): LabelMatcher {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return () => false;
  return (labels) => entries.every(([key, value]) => labels[key] === value);
}
