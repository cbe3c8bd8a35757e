/**
 * kubepath redaction
 * ==================
 *
 * Applied to every object at the door, before validation, so that no secret value
 * can reach the snapshot, an error message or any output. A Secret keeps only what
 * identifies it (metadata and type), and of its annotations only the values that
 * name its service account: tools copy whole objects into annotations (kubectl's
 * last-applied-configuration, kapp's original), so any other value is replaced. Every
 * object loses its managedFields and the last-applied-configuration annotation.
 *
 * Pod specs (a Pod's own, every workload's template) keep what decides access and
 * drop what a container is told, which often holds a password or a token and which
 * kubepath never reads: every container's command and args, the commands of its
 * probes and lifecycle hooks, the values of its env entries and of its probes' HTTP
 * headers (names, and `valueFrom` references, stay), the values of the options and
 * attributes its volumes hand their drivers (flexVolume `options`, csi
 * `volumeAttributes`: the keys stay), and the last-applied annotation of the
 * template's metadata.
 */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const REDACTED = '<redacted>';
/** Secret annotations whose values are kept: they say which service account a token belongs to. */
const SECRET_ANNOTATIONS_KEPT = new Set(['kubernetes.io/service-account.name', 'kubernetes.io/service-account.uid']);

type Json = Record<string, unknown>;

/**
 * A server URL as kubepath names it: without the user and password it may carry. What
 * carries them is decided by the WHATWG URL parser, which the HTTP client uses (and
 * which also reads `https:user:pass@host`, `https:\\user:pass@host`, a leading space or a
 * tab inside the scheme as credentials to send): a URL with them is rebuilt without
 * them (`https://host:6443`), one without is kept as written. A string that is no
 * http(s) URL has everything before its last `@` dropped, its scheme kept.
 */
export function withoutUserinfo(server: string): string {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'https:' || url.protocol === 'http:')) {
    if (url.username === '' && url.password === '') return server;
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}${url.search}${url.hash}`;
  }
  const at = server.lastIndexOf('@');
  return at < 0 ? server : `${/^\s*[a-z][a-z0-9+.-]*:[/\\]*/i.exec(server)?.[0] ?? ''}${server.slice(at + 1)}`;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where each workload kind the snapshot keeps (kinds.ts) holds its pod template. */
const POD_TEMPLATES: ReadonlyMap<string, readonly string[]> = new Map([
  ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'].map((kind): [string, string[]] => [
    kind,
    ['spec', 'template'],
  ]),
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
]);

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HOOKS = ['postStart', 'preStop'] as const;

/** Returns the object as the snapshot may hold it; the input is not modified. */
export function redactObject(object: Json): Json {
  const redacted = updateIn(object, ['metadata'], redactMetadata);
  if (object.kind === 'Secret') {
    const kept: Json = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: updateIn(redacted, ['metadata'], redactSecretAnnotations).metadata,
    };
    if (object.type !== undefined) kept.type = object.type;
    return kept;
  }
  if (object.kind === 'Pod') return updateIn(redacted, ['spec'], redactPodSpec);
  const template = POD_TEMPLATES.get(object.kind as string);
  return template ? updateIn(redacted, template, redactPodTemplate) : redacted;
}

/** `record` with its value at `key` replaced by what `update` makes of it; `record` itself when nothing changed. */
function updateKey(record: Json, key: string, update: (value: unknown) => unknown): Json {
  const value = record[key];
  const updated = update(value);
  return updated === value ? record : {...record, [key]: updated};
}

/** `record` with the mapping at `path` replaced by what `update` makes of it; `record` itself when there is none or nothing changed. */
function updateIn(record: Json, path: readonly string[], update: (value: Json) => Json): Json {
  const [key, ...rest] = path as [string, ...string[]];
  return updateKey(record, key, (child) => (!isRecord(child) ? child : rest.length === 0 ? update(child) : updateIn(child, rest, update)));
}

/** Each mapping of a list through `update`; the list itself when none changed, or when it is no list. */
function updateEach(list: unknown, update: (value: Json) => Json): unknown {
  if (!Array.isArray(list)) return list;
  const updated = list.map((item: unknown) => (isRecord(item) ? update(item) : item));
  return updated.some((item, i) => item !== list[i]) ? updated : list;
}

/** `record` without `keys`; `record` itself when it has none of them. */
function omit(record: Json, keys: readonly string[]): Json {
  if (!keys.some((key) => key in record)) return record;
  // Copied key by key: deleting keys would leave V8 a slower, larger dictionary object.
  const kept: Json = {};
  for (const key of Object.keys(record)) if (!keys.includes(key)) kept[key] = record[key];
  return kept;
}

function redactPodTemplate(template: Json): Json {
  return updateIn(updateIn(template, ['metadata'], redactMetadata), ['spec'], redactPodSpec);
}

function redactPodSpec(spec: Json): Json {
  const withContainers = CONTAINER_LISTS.reduce(
    (redacted, list) => updateKey(redacted, list, (containers) => updateEach(containers, redactContainer)),
    spec,
  );
  return updateKey(withContainers, 'volumes', (volumes) => updateEach(volumes, redactVolume));
}

/** What a volume hands its driver, which may be a password as an env value may: kept by key only. */
function redactVolume(volume: Json): Json {
  return updateIn(updateIn(volume, ['flexVolume', 'options'], redactValues), ['csi', 'volumeAttributes'], redactValues);
}

/** A mapping with each value but those of `kept` keys replaced by REDACTED. */
function redactValues(record: Json, kept: ReadonlySet<string> = new Set()): Json {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, kept.has(key) ? value : REDACTED]));
}

function redactContainer(container: Json): Json {
  let redacted = updateKey(omit(container, ['command', 'args']), 'env', (env) => updateEach(env, (entry) => omit(entry, ['value'])));
  for (const probe of PROBES) redacted = updateIn(redacted, [probe], redactHandler);
  for (const hook of LIFECYCLE_HOOKS) redacted = updateIn(redacted, ['lifecycle', hook], redactHandler);
  return redacted;
}

/** A probe or lifecycle hook: what it runs, and the values of the HTTP headers it sends. */
function redactHandler(handler: Json): Json {
  const withoutCommand = updateIn(handler, ['exec'], (exec) => omit(exec, ['command']));
  return updateIn(withoutCommand, ['httpGet'], (httpGet) =>
    updateKey(httpGet, 'httpHeaders', (headers) => updateEach(headers, (header) => omit(header, ['value']))),
  );
}

function redactMetadata(metadata: Json): Json {
  const annotations = metadata.annotations;
  const hasLastApplied = isRecord(annotations) && LAST_APPLIED_ANNOTATION in annotations;
  if (!('managedFields' in metadata) && !hasLastApplied) return metadata;
  const {managedFields: _managedFields, ...rest} = metadata;
  if (hasLastApplied) {
    const {[LAST_APPLIED_ANNOTATION]: _lastApplied, ...otherAnnotations} = annotations;
    rest.annotations = otherAnnotations;
  }
  return rest;
}

function redactSecretAnnotations(metadata: Json): Json {
  return updateIn(metadata, ['annotations'], (annotations) => redactValues(annotations, SECRET_ANNOTATIONS_KEPT));
}
