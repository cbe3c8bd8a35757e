/**
 * kubepath terminal escaping
 * ==========================
 *
 * Names, labels and paths come from the cluster or the user's files and may hold
 * ANSI escapes, line breaks that forge output lines, or characters that reorder or
 * hide text: everything printed as text goes through `safe`, and every JSON output
 * through the same escaping (json-stream.ts), so printing any output is inert.
 */

/**
 * What is escaped: control characters (C0, DEL, C1: terminal escapes, new lines), format
 * characters (Unicode category Cf: the bidi embeddings, overrides and isolates U+202A–E
 * and U+2066–9, the marks U+200E/F and U+061C, zero-width characters, the BOM, the
 * invisible tag characters U+E0001 and U+E0020–7F), and the line and paragraph
 * separators U+2028/9, which some viewers break lines at: `[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]`
 * as Node 20 knows them, spelt out so that the same input gives the same bytes on any
 * Node, and because a plain class is faster than property escapes on every name
 * printed. Astral characters are matched as their UTF-16 pairs.
 */
const CONTROL_C0 = '\\u0000-\\u001f';
const UNSAFE_ABOVE_C0 =
  /[\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\ud804[\udcbd\udccd]|\ud80d[\udc30-\udc3f]|\ud82f[\udca0-\udca3]|\ud834[\udd73-\udd7a]|\udb40[\udc01\udc20-\udc7f]/
    .source;
const UNSAFE_SOURCE = `[${CONTROL_C0}]|${UNSAFE_ABOVE_C0}`;
const UNSAFE = new RegExp(UNSAFE_SOURCE);
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, 'g');
/** In JSON text, C0 characters are JSON.stringify's own (escaped in strings, new lines between items): the rest is escaped. */
const UNSAFE_IN_JSON = new RegExp(UNSAFE_ABOVE_C0);
const UNSAFE_IN_JSON_ALL = new RegExp(UNSAFE_ABOVE_C0, 'g');

/** `\uXXXX` for each UTF-16 unit: JSON's own escape, and a legible one in text. */
function escapeCharacter(character: string): string {
  let escaped = '';
  for (let i = 0; i < character.length; i++) escaped += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

/**
 * Escapes control and invisible format characters as `\uXXXX`, so cluster data cannot
 * drive the terminal, forge lines or reorder what is shown.
 */
export function safe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeCharacter) : text;
}

/** JSON text (JSON.stringify's) with the characters it leaves raw escaped as well: the same JSON value, inert when printed. */
export function safeJson(json: string): string {
  return UNSAFE_IN_JSON.test(json) ? json.replace(UNSAFE_IN_JSON_ALL, escapeCharacter) : json;
}
