/**
 * kubepath terminal colour
 * ========================
 *
 * The `text` outputs colour severities and headings, and dim the evidence, when they
 * go to a terminal: never when NO_COLOR is set (https://no-color.org), and also off a
 * terminal when FORCE_COLOR is (a CI log that shows colour). Colour wraps text that
 * `safe` has already escaped, so cluster data never carries escapes of its own.
 */
import type {Severity} from '../paths/findings.js';

export interface Palette {
  severity(severity: Severity, text: string): string;
  heading(text: string): string;
  dim(text: string): string;
}

const sgr =
  (code: string) =>
  (text: string): string =>
    `\u001b[${code}m${text}\u001b[0m`;

const SEVERITY_CODES: Record<Severity, string> = {critical: '1;31', high: '31', medium: '33', low: '36'};

export const PLAIN: Palette = {severity: (_severity, text) => text, heading: (text) => text, dim: (text) => text};
export const COLOUR: Palette = {severity: (severity, text) => sgr(SEVERITY_CODES[severity])(text), heading: sgr('1'), dim: sgr('2')};

/** The palette for output written to a stream (none for a file). */
export function paletteFor(stream: {isTTY?: boolean} | undefined, env: NodeJS.ProcessEnv = process.env): Palette {
  if (!stream || env.NO_COLOR) return PLAIN;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return COLOUR;
  return stream.isTTY ? COLOUR : PLAIN;
}
