/**
 * kubepath pod-spec reading
 * =========================
 *
 * What the pod and node rules read from a pod spec, settled once: every container
 * (containers, initContainers, ephemeralContainers) with its field path, the volumes
 * each one mounts (host paths normalized, `subPath` applied), the capabilities the
 * runtime really grants, who the process runs as, and the secrets the pod consumes.
 * Field paths start at the pod's spec inside its snapshot object, e.g.
 * `spec.template.spec.initContainers[0].securityContext.privileged`.
 */
import {posix} from 'node:path';
import type {PodInfo} from './model.js';
import type {Evidence} from './types.js';
import {isRecord} from '../snapshot/redact.js';
import type {Container, PodSpec} from '../snapshot/schema.js';
import {atLeast, describeVersion, type KubernetesVersion} from '../version/kubernetes.js';

export const CONTAINER_KINDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

export interface ContainerRef {
  container: Container;
  /** The container's field path, e.g. `spec.containers[1]`. */
  path: string;
}

type Volume = NonNullable<PodSpec['volumes']>[number];

export interface MountRef {
  container: ContainerRef;
  volume: Volume;
  /** The volume's field path, e.g. `spec.volumes[0]`. */
  volumePath: string;
  /** The volumeMount as written. */
  mount: NonNullable<Container['volumeMounts']>[number];
  /** The mount's field path, e.g. `spec.containers[0].volumeMounts[2]`. */
  mountPath: string;
  readOnly: boolean;
}

export interface HostPathMount extends MountRef {
  /** The host path as written. */
  declared: string;
  /** What the container sees: normalized, `subPath` appended, `/var/run` read as `/run`. */
  path: string;
}

// Several rules read the same pods: each pod's containers and mounts are worked out once.
const containerCache = new WeakMap<PodInfo, ContainerRef[]>();
const mountCache = new WeakMap<PodInfo, MountRef[]>();
const hostPathCache = new WeakMap<PodInfo, HostPathMount[]>();

/** Every container of the pod, in spec order, with its field path. */
export function containersOf(pod: PodInfo): ContainerRef[] {
  const cached = containerCache.get(pod);
  if (cached) return cached;
  const refs: ContainerRef[] = [];
  for (const kind of CONTAINER_KINDS) {
    (pod.spec[kind] ?? []).forEach((container, index) => refs.push({container, path: `${pod.source.specPath}.${kind}[${index}]`}));
  }
  containerCache.set(pod, refs);
  return refs;
}

/**
 * Every volume a container mounts. The kubelet sets up only volumes that some
 * container mounts, so a volume nobody mounts gives nothing, on the node or inside.
 */
export function mountsOf(pod: PodInfo): MountRef[] {
  const cached = mountCache.get(pod);
  if (cached) return cached;
  const mounts: MountRef[] = [];
  mountCache.set(pod, mounts);
  if (!pod.spec.volumes?.length) return mounts;
  const volumes = new Map<string, {volume: Volume; path: string}>();
  pod.spec.volumes.forEach((volume, index) => {
    if (volume.name && !volumes.has(volume.name)) volumes.set(volume.name, {volume, path: `${pod.source.specPath}.volumes[${index}]`});
  });
  for (const container of containersOf(pod)) {
    (container.container.volumeMounts ?? []).forEach((mount, index) => {
      const volume = mount.name ? volumes.get(mount.name) : undefined;
      if (!volume) return;
      mounts.push({
        container,
        volume: volume.volume,
        volumePath: volume.path,
        mount,
        mountPath: `${container.path}.volumeMounts[${index}]`,
        readOnly: mount.readOnly === true,
      });
    });
  }
  return mounts;
}

/** An absolute, normalized path; `/var/run` is a symlink to `/run` on every current distribution. */
export function normalizeHostPath(path: string): string {
  const normalized = posix.normalize(`/${path}`).replace(/(.)\/+$/, '$1');
  return normalized === '/var/run' || normalized.startsWith('/var/run/') ? normalized.slice('/var'.length) : normalized;
}

/** True when `path` is `ancestor` or lies below it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || ancestor === '/' || path.startsWith(`${ancestor}/`);
}

/** The hostPath volumes containers mount, with the host path each mount shows. */
export function hostPathMounts(pod: PodInfo): HostPathMount[] {
  const cached = hostPathCache.get(pod);
  if (cached) return cached;
  const result: HostPathMount[] = [];
  for (const mount of mountsOf(pod)) {
    const declared = mount.volume.hostPath?.path;
    if (typeof declared !== 'string' || declared === '') continue;
    // subPathExpr expands environment variables at run time: the whole volume stands for it.
    const subPath = typeof mount.mount.subPath === 'string' ? mount.mount.subPath : '';
    result.push({...mount, declared, path: normalizeHostPath(`${declared}/${subPath}`)});
  }
  hostPathCache.set(pod, result);
  return result;
}

/** The evidence for one mount of a volume: the volume's field and the mount's. */
export function mountEvidence(pod: PodInfo, mount: MountRef, volumeField: string, value: string, note: string): Evidence[] {
  return [
    {object: pod.source.object, field: volumeField, value, note},
    {
      object: pod.source.object,
      field: mount.mountPath,
      value: `${mount.mount.mountPath ?? ''}${mount.readOnly ? ' (readOnly)' : ''}`,
      note: `mounted by container ${mount.container.container.name ?? '?'}`,
    },
  ];
}

/** A capability as the kernel names it: case-insensitive, with or without CAP_. */
export const capabilityName = (value: string): string => value.toUpperCase().replace(/^CAP_/, '');

/**
 * Whether the runtime grants the capability, and the `capabilities.add` entry that
 * grants it. As containerd and CRI-O apply them: `ALL` in add grants every
 * capability unless drop also says `ALL`, then named adds, then named drops; names are
 * case-insensitive and may carry the `CAP_` prefix. Privileged containers are
 * another matter (every capability) and are not asked here.
 */
export function grantedCapability(ref: ContainerRef, capability: string): {field: string; value: string} | undefined {
  const capabilities = ref.container.securityContext?.capabilities;
  const add = (capabilities?.add ?? []).map(capabilityName);
  const drop = (capabilities?.drop ?? []).map(capabilityName);
  if (drop.includes(capability)) return undefined;
  let index = add.indexOf(capability);
  if (index < 0 && !drop.includes('ALL')) index = add.indexOf('ALL');
  if (index < 0) return undefined;
  return {field: `${ref.path}.securityContext.capabilities.add[${index}]`, value: capabilities!.add![index]!};
}

export function isPrivileged(ref: ContainerRef): boolean {
  return ref.container.securityContext?.privileged === true;
}

/**
 * Who the container's process runs as: root unless the spec says otherwise
 * (`runAsNonRoot: true`, or a non-zero `runAsUser`, on the container or the pod); the
 * image's own user is not in the snapshot, and most images run as root.
 */
export function nonRootEvidence(pod: PodInfo, ref: ContainerRef): Evidence | undefined {
  const own = ref.container.securityContext;
  const podLevel = pod.spec.securityContext;
  const at = (set: unknown, field: string): string =>
    set !== undefined && set !== null ? `${ref.path}.securityContext.${field}` : `${pod.source.specPath}.securityContext.${field}`;
  const nonRoot = own?.runAsNonRoot ?? podLevel?.runAsNonRoot;
  if (nonRoot === true) return {object: pod.source.object, field: at(own?.runAsNonRoot, 'runAsNonRoot'), value: true};
  const user = own?.runAsUser ?? podLevel?.runAsUser;
  if (typeof user === 'number' && user !== 0) return {object: pod.source.object, field: at(own?.runAsUser, 'runAsUser'), value: user};
  return undefined;
}

/** `allowPrivilegeEscalation: false` (no_new_privs): setuid binaries cannot regain root. Privileged containers always may. */
export function noNewPrivileges(ref: ContainerRef): boolean {
  return ref.container.securityContext?.allowPrivilegeEscalation === false && !isPrivileged(ref);
}

/** A field the schema does not model, read defensively: `field(object, 'a', 'b')` is `object.a.b` or undefined. */
export function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The pod's annotations: the live pod's, or its workload template's. */
export function podAnnotations(pod: PodInfo): Record<string, string> {
  if (pod.object) return pod.object.metadata.annotations ?? {};
  const workload = pod.workload?.object;
  if (!workload) return {};
  const template = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;
  return template.metadata?.annotations ?? {};
}

/** AppArmor explicitly off for the container (field, pod field, or the beta annotation). */
export function appArmorUnconfined(pod: PodInfo, ref: ContainerRef, version: KubernetesVersion | undefined): Evidence | undefined {
  // The appArmorProfile fields came with 1.30: older API servers drop them, and only the annotation counts.
  const fields = atLeast(version, 30) !== false;
  const own = fields ? field(ref.container.securityContext, 'appArmorProfile', 'type') : undefined;
  if (own === 'Unconfined')
    return {object: pod.source.object, field: `${ref.path}.securityContext.appArmorProfile.type`, value: 'Unconfined'};
  if (fields && own == null && field(pod.spec.securityContext, 'appArmorProfile', 'type') === 'Unconfined') {
    return {object: pod.source.object, field: `${pod.source.specPath}.securityContext.appArmorProfile.type`, value: 'Unconfined'};
  }
  const key = `container.apparmor.security.beta.kubernetes.io/${ref.container.name ?? ''}`;
  if (own == null && podAnnotations(pod)[key] === 'unconfined') {
    return {
      object: pod.source.object,
      field: `${pod.source.specPath.replace(/spec$/, 'metadata')}.annotations["${key}"]`,
      value: 'unconfined',
    };
  }
  return undefined;
}

/** An `appArmorProfile` field that says Unconfined on a cluster before 1.30, whose API server drops it: AppArmor stays on, and the evidence says why. */
export function appArmorFieldIgnored(pod: PodInfo, ref: ContainerRef, version: KubernetesVersion | undefined): Evidence | undefined {
  if (atLeast(version, 30) !== false) return undefined;
  const field = appArmorUnconfined(pod, ref, undefined);
  if (!field?.field?.endsWith('appArmorProfile.type')) return undefined;
  return {
    ...field,
    note: `appArmorProfile is dropped by API servers before Kubernetes 1.30, and the cluster runs ${describeVersion(version!)}: AppArmor stays on`,
  };
}

/** The Kubernetes secret name rule (a DNS subdomain): the API server refuses pods naming anything else. */
const SECRET_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface SecretReference {
  name: string;
  optional: boolean;
  evidence: Evidence[];
}

/**
 * The secrets the pod's containers see: secret volumes and projected secret sources
 * that some container mounts, `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef`,
 * in every kind of container. Always in the pod's namespace; one entry per reference.
 * `imagePullSecrets` are used by the kubelet and never reach a container.
 */
export function secretReferences(pod: PodInfo): SecretReference[] {
  const references: SecretReference[] = [];
  const add = (name: string | null | undefined, optional: boolean | null | undefined, evidence: Evidence[]): void => {
    if (typeof name === 'string' && SECRET_NAME.test(name)) references.push({name, optional: optional === true, evidence});
  };
  for (const mount of mountsOf(pod)) {
    const {secret, projected} = mount.volume;
    if (secret)
      add(
        secret.secretName,
        secret.optional,
        mountEvidence(pod, mount, `${mount.volumePath}.secret.secretName`, secret.secretName ?? '', 'secret volume'),
      );
    (projected?.sources ?? []).forEach((source, index) => {
      const ref = source.secret;
      if (ref)
        add(
          ref.name,
          ref.optional,
          mountEvidence(
            pod,
            mount,
            `${mount.volumePath}.projected.sources[${index}].secret.name`,
            ref.name ?? '',
            'projected secret source',
          ),
        );
    });
  }
  for (const ref of containersOf(pod)) {
    (ref.container.env ?? []).forEach((env, index) => {
      const key = env.valueFrom?.secretKeyRef;
      const note = `environment variable ${env.name ?? '?'} of container ${ref.container.name ?? '?'}`;
      if (key)
        add(key.name, key.optional, [
          {object: pod.source.object, field: `${ref.path}.env[${index}].valueFrom.secretKeyRef.name`, value: key.name ?? '', note},
        ]);
    });
    (ref.container.envFrom ?? []).forEach((envFrom, index) => {
      const secret = envFrom.secretRef;
      const note = `every key as an environment variable of container ${ref.container.name ?? '?'}`;
      if (secret)
        add(secret.name, secret.optional, [
          {object: pod.source.object, field: `${ref.path}.envFrom[${index}].secretRef.name`, value: secret.name ?? '', note},
        ]);
    });
  }
  return references;
}
