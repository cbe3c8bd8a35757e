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
 */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const REDACTED = '<redacted>';
/** Secret annotations whose values are kept: they say which service account a token belongs to. */
const SECRET_ANNOTATIONS_KEPT = new Set(['kubernetes.io/service-account.name', 'kubernetes.io/service-account.uid']);

type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the object as the snapshot may hold it; the input is not modified. */
export function redactObject(object: Json): Json {
  const metadata = isRecord(object.metadata) ? redactMetadata(object.metadata) : object.metadata;
  if (object.kind === 'Secret') {
    const kept: Json = {apiVersion: object.apiVersion, kind: object.kind, metadata: isRecord(metadata) ? redactSecretAnnotations(metadata) : metadata};
    if (object.type !== undefined) kept.type = object.type;
    return kept;
  }
  return metadata === object.metadata ? object : {...object, metadata};
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
  if (!isRecord(metadata.annotations)) return metadata;
  const annotations = Object.fromEntries(
    Object.entries(metadata.annotations).map(([key, value]) => [key, SECRET_ANNOTATIONS_KEPT.has(key) ? value : REDACTED]),
  );
  return {...metadata, annotations};
}
