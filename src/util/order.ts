/**
 * kubepath ordering
 * =================
 *
 * Byte-order string comparison: the one sort order of every output, independent of
 * locale, so the same input gives the same bytes everywhere.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
