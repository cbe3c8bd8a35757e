/**
 * kubepath renderers
 * ==================
 *
 * A command with `-o` keeps one table from format name to renderer
 * (`{text, json, ...} satisfies Renderers<T>`); its flag offers the table's keys
 * (src/cli/base.ts), so a new format is one entry. A renderer gives the whole text of a
 * small output, or the chunks of one that grows with the cluster, made as they are
 * written (src/output/chunks.ts). Text takes the palette of where it goes (colour for a
 * terminal, src/output/colour.ts); other formats leave it.
 */
import type {Palette} from './colour.js';

/** One format of a command's output. */
export type Renderer<T> = (output: T, palette: Palette) => string | Iterable<string>;

/** A command's formats, by the name `-o` takes. */
export type Renderers<T> = Record<string, Renderer<T>>;

/** What a renderer gave, as chunks to write: a string is one chunk, not its characters. */
export const chunksOf = (rendered: string | Iterable<string>): Iterable<string> => (typeof rendered === 'string' ? [rendered] : rendered);
