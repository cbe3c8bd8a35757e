/**
 * kubepath terminal escaping
 * ==========================
 *
 * Names, labels and paths come from the cluster or the user's files and may hold
 * ANSI escapes: everything printed as text to a terminal goes through `safe`.
 */
/** Escapes control characters (ANSI escapes included) so cluster data cannot drive the terminal. */
export function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
