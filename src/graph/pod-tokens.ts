/**
 * kubepath pod tokens
 * ===================
 *
 * Which service-account tokens a pod holds, and where the evidence is: shared by
 * USES_TOKEN (the pod's own token, inside its containers), STEALS_TOKENS (every token
 * in the kubelet's pod directories on a node) and HOLDS_TOKEN (legacy token Secrets),
 * and by the unneeded-token posture check, containment plans and the collector.
 */
import {serviceAccountId} from './ids.js';
import type {ClusterModel, PodInfo} from './model.js';
import type {Certainty, Evidence} from './types.js';
import {objectKey} from '../snapshot/snapshot.js';
import type {SecretObject} from '../snapshot/schema.js';
import {containersOf, mountEvidence, mountsOf, podAnnotations} from './pod-spec.js';

export const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';
/** Set by the legacy-token cleaner (1.29+): the API server rejects the token from then on. */
export const INVALID_TOKEN_LABEL = 'kubernetes.io/legacy-token-invalid-since';
/** Where the service account admission plugin mounts the token. */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Static pods' mirrors: the kubelet creates them, and they never get a token. */
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export interface TokenSource {
  /** The service account whose token it is. */
  serviceAccount: string;
  /** automount and projected tokens belong to the pod's own account; a legacy secret names any. */
  via: 'automount' | 'projected' | 'secret';
  certainty: Certainty;
  evidence: Evidence[];
  /** The one field that places the token in the pod (its account name, or the volume source). */
  where: Evidence;
}

export interface TokenSecret {
  serviceAccount: string;
  evidence: Evidence;
}

const secretIndexes = new WeakMap<ClusterModel, Map<string, TokenSecret | undefined>>();

/**
 * The service account a legacy `kubernetes.io/service-account-token` Secret
 * authenticates as: the one its annotation names, in its namespace, when that account
 * is in the model, its uid (when both are known) matches, and the cleaner has not
 * invalidated the token.
 */
export function tokenSecretAccount(model: ClusterModel, secret: SecretObject): TokenSecret | undefined {
  if (secret.type !== TOKEN_SECRET_TYPE) return undefined;
  const {namespace, name, annotations, labels} = secret.metadata;
  const account = annotations?.[SA_NAME_ANNOTATION];
  if (!namespace || !account || labels?.[INVALID_TOKEN_LABEL] !== undefined) return undefined;
  const sa = model.serviceAccounts.get(serviceAccountId(namespace, account));
  if (!sa) return undefined;
  // The token controller deletes a token Secret whose uid names another incarnation of the account.
  const uid = annotations?.[SA_UID_ANNOTATION];
  if (uid && sa.object?.metadata.uid && uid !== sa.object.metadata.uid) return undefined;
  return {
    serviceAccount: sa.id,
    evidence: {
      object: objectKey('Secret', namespace, name),
      field: `metadata.annotations["${SA_NAME_ANNOTATION}"]`,
      value: account,
      note: `a ${TOKEN_SECRET_TYPE} Secret: the token controller fills it with a non-expiring token${sa.declared ? '' : ' (the account is not declared in the input: the token exists only while it does)'}`,
    },
  };
}

function tokenSecretIn(model: ClusterModel, namespace: string, name: string): TokenSecret | undefined {
  let index = secretIndexes.get(model);
  if (!index) {
    index = new Map();
    for (const secret of model.snapshot.objects.secrets) {
      index.set(objectKey('Secret', secret.metadata.namespace, secret.metadata.name), tokenSecretAccount(model, secret));
    }
    secretIndexes.set(model, index);
  }
  return index.get(objectKey('Secret', namespace, name));
}

/** The API server's own audience: an unset audience, or one naming the in-cluster API service. */
function apiAudience(audience: string | null | undefined): boolean {
  return !audience || /(^|\/\/)kubernetes\.default\.svc(\.|$|:|\/)/.test(audience);
}

/** The automount decision: the pod's field wins, then the account's, else true. */
function automount(model: ClusterModel, pod: PodInfo): TokenSource | undefined {
  if (podAnnotations(pod)[MIRROR_ANNOTATION] !== undefined) return undefined;
  const field = `${pod.source.specPath}.automountServiceAccountToken`;
  const saId = serviceAccountId(pod.namespace, pod.serviceAccount);
  const sa = model.serviceAccounts.get(saId);
  const saField = sa?.object?.automountServiceAccountToken;
  const evidence: Evidence[] = [];
  if (pod.spec.automountServiceAccountToken != null) {
    if (!pod.spec.automountServiceAccountToken) return undefined;
    evidence.push({object: pod.source.object, field, value: true, note: 'the pod setting overrides the service account'});
  } else if (saField != null) {
    if (!saField) return undefined;
    evidence.push({object: pod.source.object, field, note: 'unset: the service account decides'});
    evidence.push({
      object: objectKey('ServiceAccount', pod.namespace, pod.serviceAccount),
      field: 'automountServiceAccountToken',
      value: true,
    });
  } else {
    const account = sa?.declared ? 'the service account leaves it unset too' : 'the service account is not in the input';
    evidence.push({object: pod.source.object, field, note: `unset, and ${account}: the default is true`});
  }
  // The admission plugin mounts the token into init and app containers, skipping those
  // that already mount something at exactly that path.
  const open = containersOf(pod).filter(
    (ref) =>
      !ref.path.includes('.ephemeralContainers[') && !(ref.container.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH),
  );
  if (open.length === 0) return undefined;
  const where: Evidence = {
    object: pod.source.object,
    field: `${pod.source.specPath}.serviceAccountName`,
    value: pod.serviceAccount,
    note: `token mounted at ${TOKEN_MOUNT_PATH} in ${open.map((ref) => ref.container.name ?? '?').join(', ')}`,
  };
  return {serviceAccount: saId, via: 'automount', certainty: 'definite', evidence: [...evidence, where], where};
}

/**
 * Every token the pod holds in its containers (and so in its directory under the
 * kubelet's `pods/`): the automounted one, projected `serviceAccountToken` sources,
 * and legacy token Secrets mounted as volumes or projected sources.
 */
export function podTokens(model: ClusterModel, pod: PodInfo): TokenSource[] {
  // USES_TOKEN and STEALS_TOKENS both ask for every pod: work it out once.
  let cache = tokensByModel.get(model);
  if (!cache) tokensByModel.set(model, (cache = new Map()));
  let sources = cache.get(pod);
  if (!sources) cache.set(pod, (sources = findTokens(model, pod)));
  return sources;
}

const tokensByModel = new WeakMap<ClusterModel, Map<PodInfo, TokenSource[]>>();

function findTokens(model: ClusterModel, pod: PodInfo): TokenSource[] {
  const sources: TokenSource[] = [];
  const auto = automount(model, pod);
  if (auto) sources.push(auto);
  const own = serviceAccountId(pod.namespace, pod.serviceAccount);
  for (const mount of mountsOf(pod)) {
    const legacy = (name: string | null | undefined, volumeField: string, note: string): void => {
      const secret = name ? tokenSecretIn(model, pod.namespace, name) : undefined;
      if (!secret) return;
      const evidence = mountEvidence(pod, mount, volumeField, name!, note);
      sources.push({
        serviceAccount: secret.serviceAccount,
        via: 'secret',
        certainty: 'definite',
        evidence: [...evidence, secret.evidence],
        where: evidence[0]!,
      });
    };
    const {secret, projected} = mount.volume;
    (projected?.sources ?? []).forEach((source, index) => {
      const token = source.serviceAccountToken;
      if (token) {
        const definite = apiAudience(token.audience);
        const note = definite
          ? `projected token of ${pod.serviceAccount} for the API server`
          : `projected token of ${pod.serviceAccount} for audience ${token.audience}: the API server accepts it only if that is one of its --api-audiences`;
        const evidence = mountEvidence(
          pod,
          mount,
          `${mount.volumePath}.projected.sources[${index}].serviceAccountToken`,
          token.audience ?? 'API server',
          note,
        );
        sources.push({
          serviceAccount: own,
          via: 'projected',
          certainty: definite ? 'definite' : 'conditional',
          evidence,
          where: evidence[0]!,
        });
      }
      legacy(source.secret?.name, `${mount.volumePath}.projected.sources[${index}].secret.name`, 'projected secret source');
    });
    legacy(secret?.secretName, `${mount.volumePath}.secret.secretName`, 'secret volume');
  }
  return sources;
}
