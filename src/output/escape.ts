/**
 * kubepath terminal escaping
 * ==========================
 *
 * Names, labels and paths come from the cluster or the user's files and may hold
 * ANSI escapes, line breaks that forge output lines, or characters that reorder or
 * hide text: everything printed as text goes through `safe`, and every JSON output
 * through the same escaping (json-stream.ts), so printing any output is inert. What is
 * escaped: src/util/unprintable.ts.
 */
import {UNPRINTABLE, UNPRINTABLE_ABOVE_C0} from '../util/unprintable.js';

const UNSAFE = new RegExp(UNPRINTABLE);
const UNSAFE_ALL = new RegExp(UNPRINTABLE, 'g');
/** In JSON text, C0 characters are JSON.stringify's own (escaped in strings, new lines between items): the rest is escaped. */
const UNSAFE_IN_JSON = new RegExp(UNPRINTABLE_ABOVE_C0);
const UNSAFE_IN_JSON_ALL = new RegExp(UNPRINTABLE_ABOVE_C0, 'g');

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
