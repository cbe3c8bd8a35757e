/**
 * kubepath output chunks
 * ======================
 *
 * Outputs that grow with the cluster are made piece by piece (a line, a JSON item) and
 * written as they are made, never joined into one string (V8 caps a string at about
 * 512 million characters). `joined` gathers the pieces into chunks of about 64 KiB, so
 * that millions of lines take few writes.
 */
export const CHUNK_CHARACTERS = 1 << 16;

/** The pieces, in order, joined into chunks of at least `size` characters (the last may be shorter; none is empty). */
export function* joined(pieces: Iterable<string>, size = CHUNK_CHARACTERS): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
