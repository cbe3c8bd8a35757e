/**
 * kubepath unprintable characters
 * ===============================
 *
 * One definition of the characters no output shows raw, for terminal text and JSON
 * (src/output/escape.ts) and node ids (src/graph/ids.ts): control characters (C0, DEL,
 * C1: terminal escapes, new lines), format characters (Unicode category Cf: the bidi
 * embeddings, overrides and isolates U+202A–E and U+2066–9, the marks U+200E/F and
 * U+061C, zero-width characters, the BOM, the invisible tag characters U+E0001 and
 * U+E0020–7F), and the line and paragraph separators U+2028/9, which some viewers break
 * lines at: `[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]` as Node 20 knows them, spelt out so that the same
 * input gives the same bytes on any Node, and because a plain class is faster than
 * property escapes on every name. Astral characters are matched as their UTF-16 pairs.
 */

/** C0 controls, for a character class. */
export const CONTROL_C0 = '\\u0000-\\u001f';

/** Every other unprintable character, as a regular expression source (an alternation). */
export const UNPRINTABLE_ABOVE_C0 =
  /[\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\ud804[\udcbd\udccd]|\ud80d[\udc30-\udc3f]|\ud82f[\udca0-\udca3]|\ud834[\udd73-\udd7a]|\udb40[\udc01\udc20-\udc7f]/
    .source;

/** Every unprintable character, as a regular expression source. */
export const UNPRINTABLE = `[${CONTROL_C0}]|${UNPRINTABLE_ABOVE_C0}`;

/** A UTF-16 surrogate without its other half: no UTF-8 text, URI or file name holds one. */
export const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
