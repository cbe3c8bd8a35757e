/**
 * kubepath label selectors
 * ========================
 *
 * Kubernetes label selector semantics: `matchLabels` AND `matchExpressions`; In,
 * NotIn, Exists, DoesNotExist; NotIn and DoesNotExist match objects without the
 * key; an empty selector matches everything. Whether an absent selector means
 * "everything" or "nothing" depends on the field, so callers decide that.
 */
import type {LabelSelector} from '../snapshot/schema.js';

export type Labels = Readonly<Record<string, string>>;

export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(labels[expression.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[expression.key]!)) return false;
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
}

/**
 * A plain label map (Service and ReplicationController selectors): every pair must
 * match. An empty map selects nothing: a Service without a selector has its
 * endpoints managed by hand.
 */
export function matchesLabelMap(selector: Labels | null | undefined, labels: Labels): boolean {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return false;
  return entries.every(([key, value]) => labels[key] === value);
}
