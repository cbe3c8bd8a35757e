/**
 * kubepath Trivy reports
 * ======================
 *
 * Reads image vulnerability reports as Trivy writes them with `--format json`
 * (docs/vulns.md), into the images they scanned:
 * - `trivy image`: one image (`ArtifactName`, `Metadata.RepoTags`/`RepoDigests`) and its
 *   `Results[].Vulnerabilities`;
 * - `trivy k8s` (`--report all`): `Resources[]`, each a workload (`Namespace`, `Kind`,
 *   `Name`) with the images it runs in `Metadata` (one object, or a list since v0.50)
 *   and their `Results` (several images' one after another, each from its OS result);
 *   `--report summary`'s `Findings[]` and the older `Vulnerabilities[]` lists too;
 * - several reports in one file: a JSON array of them, or values one after another
 *   (`trivy image a > f; trivy image b >> f`).
 * Only vulnerabilities are read; misconfigurations, secrets and licences are Trivy's
 * own checks. A field of the wrong type is an error naming the file, its line and the
 * field's path.
 */
import {readFileSync} from 'node:fs';
import type {DocPath, InputDocument} from '../snapshot/documents.js';
import {InputError} from '../snapshot/errors.js';
import {parseJsonBytes} from '../snapshot/json.js';
import {formatPath} from '../snapshot/builder.js';
import {WORKLOAD_KINDS} from '../graph/model.js';
import {SEVERITIES, type Vulnerability} from '../graph/vulnerabilities.js';

/** One image as a report saw it. */
export interface ScannedImage {
  /** Where in the reports: `<file>` and the JSON path of the image's report (`Resources[3]`). */
  file: string;
  at: string;
  /** The names it went by (`ArtifactName`, `RepoTags`, `RepoDigests`, OS result targets), as written. */
  names: string[];
  /** Its image (config) ids, `Metadata.ImageID`: what a side-loaded image's `imageID` shows instead of a repository digest. */
  ids: string[];
  /** For `trivy k8s`: the workload that runs it; its pods are the ones meant. */
  workload?: {namespace?: string; kind: string; name: string};
  vulnerabilities: Vulnerability[];
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a field, checking its type; an absent or null field is undefined. */
class Reader {
  constructor(
    readonly file: string,
    readonly doc: InputDocument,
    /** Which report of the file, when it holds several one after another. */
    readonly report?: string,
  ) {}

  /** Where a path is, for evidence: `Resources[3]`, `report 2 Resources[3]`, `(report)`. */
  at(path: DocPath): string {
    return [this.report, formatPath(path)].filter(Boolean).join(' ') || '(report)';
  }

  fail(path: DocPath, detail: string): never {
    throw new InputError(this.file, this.doc.lineOf(path), `${formatPath(path) || '(report)'}: ${detail}`);
  }

  string(object: Json, key: string, path: DocPath): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail([...path, key], `expected a string, found ${describeValue(value)}`);
    return value;
  }

  list(object: Json, key: string, path: DocPath): unknown[] {
    const value = object[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail([...path, key], `expected a list, found ${describeValue(value)}`);
    return value;
  }

  record(value: unknown, path: DocPath, what: string): Json {
    if (!isRecord(value)) this.fail(path, `expected ${what}, found ${describeValue(value)}`);
    return value;
  }

  strings(object: Json, key: string, path: DocPath): string[] {
    return this.list(object, key, path).map((item, index) => {
      if (typeof item !== 'string') this.fail([...path, key, index], `expected a string, found ${describeValue(item)}`);
      return item;
    });
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** `CVSS.<source>.V3Vector` (and V2, V4): `AV:N/...`, `CVSS:3.1/AV:N/...`; V2 writes `AV:N` too. */
function attackVectors(reader: Reader, vulnerability: Json, path: DocPath): string[] {
  const cvss = vulnerability.CVSS;
  if (cvss === undefined || cvss === null) return [];
  const sources = reader.record(cvss, [...path, 'CVSS'], 'a mapping of CVSS sources');
  const vectors = new Set<string>();
  for (const [source, value] of Object.entries(sources)) {
    const scores = reader.record(value, [...path, 'CVSS', source], 'a mapping of CVSS vectors and scores');
    for (const key of ['V40Vector', 'V3Vector', 'V2Vector']) {
      const vector = reader.string(scores, key, [...path, 'CVSS', source]);
      const vectorAt = vector ? /(?:^|\/)AV:([NALP])(?:\/|$)/.exec(vector) : null;
      if (vectorAt) vectors.add(vectorAt[1]!);
    }
  }
  return [...vectors].sort();
}

function readVulnerability(reader: Reader, value: unknown, path: DocPath): Vulnerability {
  const object = reader.record(value, path, 'a vulnerability (a mapping with VulnerabilityID)');
  const id = reader.string(object, 'VulnerabilityID', path);
  if (!id) reader.fail(path, 'a vulnerability without a VulnerabilityID');
  const written = reader.string(object, 'Severity', path) ?? 'UNKNOWN';
  const severity = SEVERITIES.find((known) => known === written.toUpperCase());
  if (!severity) reader.fail([...path, 'Severity'], `unknown severity "${written}" (Trivy writes ${SEVERITIES.join(', ')})`);
  const optional = (key: string): string | undefined => reader.string(object, key, path) || undefined;
  const installed = optional('InstalledVersion');
  const fixed = optional('FixedVersion');
  const title = optional('Title');
  return {
    id,
    severity,
    package: optional('PkgName') ?? '(unnamed package)',
    ...(installed ? {installed} : {}),
    ...(fixed ? {fixed} : {}),
    ...(title ? {title} : {}),
    attackVectors: attackVectors(reader, object, path),
  };
}

/** An OS result's target names the image: `nginx:1.25 (debian 12.5)`. */
const OS_TARGET = /^(.+?) \([^()]*\)$/;

/** The vulnerabilities of one image's results, and the name its OS result gives it. */
interface ResultGroup {
  image?: string;
  vulnerabilities: Vulnerability[];
}

/**
 * A report's Results by image: Trivy writes each image's OS result first and its
 * language results after it, so an OS result starts the next image's group (a
 * workload's merged results hold several images; an image report, one).
 */
function readResults(reader: Reader, owner: Json, path: DocPath): ResultGroup[] {
  const groups: ResultGroup[] = [];
  reader.list(owner, 'Results', path).forEach((value, index) => {
    const resultPath = [...path, 'Results', index];
    const result = reader.record(value, resultPath, 'a result (a mapping with Target)');
    const target = reader.string(result, 'Target', resultPath);
    const image = target && reader.string(result, 'Class', resultPath) === 'os-pkgs' ? OS_TARGET.exec(target)?.[1] : undefined;
    if (image || groups.length === 0) groups.push({...(image ? {image} : {}), vulnerabilities: []});
    const group = groups[groups.length - 1]!;
    reader
      .list(result, 'Vulnerabilities', resultPath)
      .forEach((item, at) => group.vulnerabilities.push(readVulnerability(reader, item, [...resultPath, 'Vulnerabilities', at])));
  });
  return groups;
}

/** RepoTags and RepoDigests of an image's Metadata, and its ImageID (the config digest a side-loaded image's imageID shows). */
function readMetadata(reader: Reader, metadata: unknown, path: DocPath): {names: string[]; ids: string[]} {
  if (metadata === undefined || metadata === null) return {names: [], ids: []};
  const object = reader.record(metadata, path, 'image metadata (a mapping with RepoTags, RepoDigests)');
  const id = reader.string(object, 'ImageID', path);
  return {names: [...reader.strings(object, 'RepoTags', path), ...reader.strings(object, 'RepoDigests', path)], ids: id ? [id] : []};
}

function readImageReport(reader: Reader, report: Json, path: DocPath): ScannedImage {
  const artifact = reader.string(report, 'ArtifactName', path);
  const type = reader.string(report, 'ArtifactType', path);
  const groups = readResults(reader, report, path);
  // Only an image scan names images: a filesystem, repository or SBOM scan matches no container.
  const image = type === undefined || type === 'container_image';
  const metadata = image ? readMetadata(reader, report.Metadata, [...path, 'Metadata']) : {names: [], ids: []};
  const names = image
    ? [...(artifact ? [artifact] : []), ...metadata.names, ...groups.flatMap((group) => (group.image ? [group.image] : []))]
    : [];
  return {
    file: reader.file,
    at: reader.at(path),
    names: [...new Set(names)],
    ids: metadata.ids,
    vulnerabilities: groups.flatMap((group) => group.vulnerabilities),
  };
}

/** Kinds whose pods a `trivy k8s` resource's images run in; node and cluster resources are Trivy's own checks. */
const WORKLOAD_RESOURCES: ReadonlySet<string> = new Set([...WORKLOAD_KINDS, 'Pod']);

/** A workload's images: one when its results are one image's, else one per image its OS results name, each with the Metadata entries that name it too. */
function readResource(reader: Reader, value: unknown, path: DocPath): ScannedImage[] {
  const resource = reader.record(value, path, 'a resource (a mapping with Kind and Name)');
  const kind = reader.string(resource, 'Kind', path);
  const name = reader.string(resource, 'Name', path);
  if (!kind || !name) reader.fail(path, 'a resource without Kind and Name');
  if (!WORKLOAD_RESOURCES.has(kind)) return [];
  const namespace = reader.string(resource, 'Namespace', path);
  const metadata = resource.Metadata;
  const entries = Array.isArray(metadata)
    ? metadata.map((item, index) => readMetadata(reader, item, [...path, 'Metadata', index]))
    : [readMetadata(reader, metadata, [...path, 'Metadata'])];
  const groups = readResults(reader, resource, path);
  const workload = {...(namespace ? {namespace} : {}), kind, name};
  const image = (names: string[], ids: string[], vulnerabilities: Vulnerability[]): ScannedImage => ({
    file: reader.file,
    at: reader.at(path),
    names: [...new Set(names)],
    ids,
    workload,
    vulnerabilities,
  });
  if (groups.filter((group) => group.image).length <= 1) {
    return [
      image(
        [...entries.flatMap((entry) => entry.names), ...groups.flatMap((group) => (group.image ? [group.image] : []))],
        entries.flatMap((entry) => entry.ids),
        groups.flatMap((group) => group.vulnerabilities),
      ),
    ];
  }
  // Results before the first OS result (none, as Trivy writes them) go with the first image.
  const [first, ...rest] = groups[0]!.image
    ? groups
    : [{...groups[1]!, vulnerabilities: [...groups[0]!.vulnerabilities, ...groups[1]!.vulnerabilities]}, ...groups.slice(2)];
  return [first!, ...rest].map((group) => {
    const paired = entries.filter((entry) => entry.names.includes(group.image!));
    return image(
      [group.image!, ...paired.flatMap((entry) => entry.names)],
      paired.flatMap((entry) => entry.ids),
      group.vulnerabilities,
    );
  });
}

/** One report value: an image report, a cluster report, or a list of them. */
function readReport(reader: Reader, value: unknown, path: DocPath, images: ScannedImage[]): void {
  if (Array.isArray(value) && path.length === 0) {
    value.forEach((item, index) => readReport(reader, item, [index], images));
    return;
  }
  const report = reader.record(value, path, 'a Trivy JSON report (trivy image or trivy k8s with --format json)');
  if ('Resources' in report || 'ClusterName' in report || 'Findings' in report) {
    // `--report all` writes Resources, `--report summary` Findings; reports before Trivy 0.32 Vulnerabilities.
    for (const key of ['Resources', 'Findings', 'Vulnerabilities']) {
      reader.list(report, key, path).forEach((item, index) => {
        for (const image of readResource(reader, item, [...path, key, index]))
          if (image.vulnerabilities.length > 0 || image.names.length > 0) images.push(image);
      });
    }
    return;
  }
  if ('Results' in report || 'ArtifactName' in report) {
    images.push(readImageReport(reader, report, path));
    return;
  }
  reader.fail(path, 'not a Trivy JSON report: expected ArtifactName and Results (trivy image) or ClusterName and Resources (trivy k8s)');
}

/** Every image the reports in a file scanned, in the file's order. */
export function readTrivyReport(file: string, bytes: Buffer = readBytes(file)): ScannedImage[] {
  const images: ScannedImage[] = [];
  const documents = parseJsonBytes(file, bytes);
  if (documents.length === 0) throw new InputError(file, undefined, 'empty: expected a Trivy JSON report');
  documents.forEach((doc, index) =>
    readReport(new Reader(file, doc, documents.length > 1 ? `report ${index + 1}` : undefined), doc.value, [], images),
  );
  return images;
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(file, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
