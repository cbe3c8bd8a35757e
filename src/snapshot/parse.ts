/**
 * kubepath input parsing
 * ======================
 *
 * Turns the bytes of one input (a file or stdin) into its top-level documents, one
 * at a time: each is parsed and checked as it comes, so memory follows the largest
 * document, not the input. YAML is read by yaml.ts, JSON by json.ts; both refuse
 * nesting deeper than kubepath keeps (nesting.ts).
 */
import type {InputDocument} from './documents.js';
import {InputError} from './errors.js';
import {jsonDocuments} from './json.js';
import {yamlDocuments} from './yaml.js';

/** Parses bytes as JSON when they look like JSON (by name or first character), else as YAML. */
export function parseDocuments(file: string, bytes: Buffer): Iterable<InputDocument> {
  // kubectl ignores a UTF-8 byte order mark; so does kubepath.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (/\.json$/i.test(file)) return jsonDocuments(file, bytes);
  if (/\.ya?ml$/i.test(file) || !/^\s*[[{]/.test(bytes.toString('latin1', 0, 256))) return yamlDocuments(file, bytes);
  return jsonOrFlowYaml(file, bytes);
}

/**
 * Unnamed input that opens like JSON may still be flow-style YAML. Once two JSON values
 * have been read it is JSON (YAML cannot hold two flow collections without a `---`
 * between them), so only the first is held back until then. Read as YAML, an error
 * before the first document is the JSON one (the input was most likely meant as JSON).
 */
function* jsonOrFlowYaml(file: string, bytes: Buffer): Generator<InputDocument> {
  let first: InputDocument | undefined;
  let count = 0;
  try {
    for (const doc of jsonDocuments(file, bytes)) {
      if (++count === 1) {
        first = doc;
        continue;
      }
      if (first) yield first;
      first = undefined;
      yield doc;
    }
  } catch (jsonError) {
    if (!(jsonError instanceof InputError) || count > 1) throw jsonError;
    let yielded = false;
    try {
      for (const doc of yamlDocuments(file, bytes)) {
        yielded = true;
        yield doc;
      }
    } catch (yamlError) {
      throw yielded ? yamlError : jsonError;
    }
    return;
  }
  if (first) yield first;
}
