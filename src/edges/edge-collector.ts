/**
 * kubepath edge collection
 * ========================
 *
 * Rules that find the same edge several times (one escape in two containers, one
 * secret by volume and by env) draw it once: evidence merged, the strongest
 * certainty kept. Shared by the rules.
 */
import type {AttackEdgeAttributes, AttackEdgeDetailsOf, AttackEdgeType, Certainty, Evidence} from '../graph/types.js';
import type {AttackEdge, EdgeRule} from './rule.js';

/** Each evidence item's content key, worked out once per item: items are shared by the many edges one grant explains. */
const contentKeys = new WeakMap<Evidence, string>();

function contentKey(item: Evidence): string {
  let key = contentKeys.get(item);
  if (key === undefined) contentKeys.set(item, (key = JSON.stringify(item)));
  return key;
}

/** Items deduplicated by content, first occurrence kept (shared items are dropped by identity first, cheaply). */
export function uniqueEvidence(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return [...new Set(evidence)].filter((item) => {
    const key = contentKey(item);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * Items about the same object, field and value as one, their notes joined: a grant that
 * allows several things (patch and update, on the pod and on its Deployment) names its
 * binding and its rule once each, with everything they allow, rather than once per
 * thing. First occurrences keep their order.
 */
export function compactEvidence(evidence: readonly Evidence[]): Evidence[] {
  const groups = new Map<string, Evidence[]>();
  for (const item of evidence) {
    const key = `${item.object}\u0000${item.field ?? ''}\u0000${typeof item.value}\u0000${String(item.value ?? '')}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()].map((items) => {
    const notes = [...new Set(items.map((item) => item.note).filter((note): note is string => note !== undefined))];
    if (notes.length === 0) return items[0]!;
    return {...items[0]!, note: joinNotes(notes)};
  });
}

/** Joins notes: a mark no note of kubepath's own writes, so a joined note splits back into exactly its pieces. */
export const NOTE_JOINER = ' | ';

/**
 * Distinct notes as one: the beginning they share up to a `: ` written once, then each
 * piece once, joined by NOTE_JOINER. Grant notes put what is allowed last
 * (`subjects[0] (x) holds R cluster-wide, which allows: create pods/exec: ...`), so what
 * differs is listed after what they share; joining a joined note again adds only its
 * new pieces.
 */
export function joinNotes(notes: readonly string[]): string {
  if (notes.length === 1) return notes[0]!;
  const first = notes[0]!;
  let shared = 0;
  while (shared < first.length && notes.every((note) => note[shared] === first[shared])) shared++;
  const start = first.lastIndexOf(': ', shared - 2) + 2;
  const prefix = start >= 2 && notes.every((note) => note.length > start) ? start : 0;
  const pieces: string[] = [];
  for (const note of notes) for (const piece of note.slice(prefix).split(NOTE_JOINER)) if (!pieces.includes(piece)) pieces.push(piece);
  return `${first.slice(0, prefix)}${pieces.join(NOTE_JOINER)}`;
}

/**
 * One find of an edge: its terms and evidence, the details its type carries (required
 * where the type has some that are), and the key of the edge it is (by default its
 * source and target: a rule drawing several edges between two nodes keys them apart).
 */
export type EdgeFind<T extends AttackEdgeType> = {
  certainty: Certainty;
  cost: number;
  evidence: Evidence[];
  key?: string;
} & (unknown extends AttackEdgeDetailsOf<T>
  ? {attributes?: never}
  : // `{} extends` asks whether every attribute is optional, which is what the empty object type is for here
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    {} extends AttackEdgeDetailsOf<T>
    ? {attributes?: AttackEdgeDetailsOf<T>}
    : {attributes: AttackEdgeDetailsOf<T>});

/** Collects edges by key, merging evidence and keeping the strongest certainty. */
export class EdgeCollector<T extends AttackEdgeType> {
  private readonly edges = new Map<string, AttackEdge<T>>();
  /** Evidence of repeated finds, merged once in `list` rather than on every find. */
  private readonly more = new Map<string, Evidence[]>();

  constructor(private readonly rule: Pick<EdgeRule<T>, 'id' | 'type' | 'mitre'>) {}

  add(
    source: string,
    target: string,
    {certainty, cost, evidence, attributes: details, key = `${source}\u0000${target}`}: EdgeFind<T>,
  ): void {
    const existing = this.edges.get(key);
    if (existing) {
      const attributes = existing.attributes;
      const more = this.more.get(key);
      if (more) more.push(...evidence);
      else this.more.set(key, [...evidence]);
      if (certainty === 'definite' && attributes.certainty !== 'definite') {
        attributes.certainty = 'definite';
        attributes.cost = cost;
      }
      return;
    }
    const attributes = {
      type: this.rule.type,
      attack: true,
      technique: this.rule.id,
      mitre: this.rule.mitre,
      certainty,
      cost,
      ...(details as object | undefined),
      evidence,
    } as AttackEdgeAttributes<T>;
    this.edges.set(key, {source, target, attributes});
  }

  list(): Array<AttackEdge<T>> {
    for (const [key, evidence] of this.more) {
      const attributes = this.edges.get(key)!.attributes;
      attributes.evidence = uniqueEvidence([...attributes.evidence, ...evidence]);
    }
    this.more.clear();
    return [...this.edges.values()];
  }
}
