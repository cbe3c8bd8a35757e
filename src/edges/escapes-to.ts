/**
 * ESCAPES_TO: code in a pod becomes root on the node it runs on. One rule, one edge
 * per pod and escape technique (attribute `escape`), each with the fields that make it
 * true in any container, init container or ephemeral container. The techniques and the
 * host paths that count are the two tables below. See docs/edges/ESCAPES_TO.md.
 */
import {namespaceOfId, nodeId} from '../graph/ids.js';
import type {ClusterModel, PodInfo} from '../graph/model.js';
import {objectKey} from '../snapshot/snapshot.js';
import {atLeast, parseKubernetesVersion} from '../version/kubernetes.js';
import type {Certainty, Escape, Evidence} from '../graph/types.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule, type EdgeStep, type Fix} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {podTokens} from '../graph/pod-tokens.js';
import {grantEvidence} from './rbac-grants.js';
import {
  appArmorFieldIgnored,
  appArmorUnconfined,
  containersOf,
  field,
  grantedCapability,
  hostPathMounts,
  isPrivileged,
  isWithin,
  mountEvidence,
  noNewPrivileges,
  nonRootEvidence,
  type ContainerRef,
} from '../graph/pod-spec.js';

/** The techniques: how sure the escape is when its preconditions hold, and how it goes. */
export const TECHNIQUES: Record<Escape, {certainty: Certainty; how: string}> = {
  privileged: {
    certainty: 'definite',
    how: 'privileged: every capability and host device, no seccomp or AppArmor; mount the host disk, or use a cgroup release_agent',
  },
  nsenter: {certainty: 'definite', how: "privileged in the host's PID namespace: nsenter -t 1 -a gives a root shell on the node"},
  'sys-ptrace': {
    certainty: 'conditional',
    how: "SYS_ADMIN and SYS_PTRACE in the host's PID namespace: nsenter into PID 1 or inject into a host process; the runtime's default AppArmor profile denies ptrace of host processes on AppArmor nodes",
  },
  'sys-module': {certainty: 'definite', how: 'SYS_MODULE: load a kernel module built for the node kernel'},
  'sys-admin': {
    certainty: 'conditional',
    how: 'SYS_ADMIN: mount a cgroup v1 hierarchy and set release_agent (needs cgroup v1, and no AppArmor or SELinux confinement of mount)',
  },
  'dac-read-search': {
    certainty: 'conditional',
    how: 'DAC_READ_SEARCH: open_by_handle_at ("shocker") reads any file on the filesystem of a host bind mount such as /etc/hosts; root once it writes there too (DAC_OVERRIDE, kept by default)',
  },
  'host-process': {certainty: 'definite', how: 'a Windows HostProcess container runs as a process on the node'},
  'host-path-write': {
    certainty: 'definite',
    how: 'writes host files that root runs or trusts: cron, systemd units, SSH keys, static pod manifests, binaries',
  },
  'core-pattern': {
    certainty: 'definite',
    how: 'writes /proc/sys/kernel/core_pattern (or modprobe, binfmt_misc): the kernel runs the given program as root on the node',
  },
  'runtime-socket': {
    certainty: 'definite',
    how: 'talks to the container runtime socket (read-only mounts too): starts a privileged container or execs into any container on the node',
  },
  'kubelet-dir': {
    certainty: 'conditional',
    how: "writes the kubelet's directory: other pods' volumes, plugin and device-plugin sockets, its config; node root once a pod runs what was written or the kubelet restarts",
  },
  'sysfs-write': {
    certainty: 'conditional',
    how: 'writes /sys: uevent_helper or a cgroup v1 release_agent runs a program as root (where the kernel offers them)',
  },
  'host-device': {certainty: 'conditional', how: "sees the node's /dev: the raw disks, where the device cgroup lets it open them"},
  'var-log-symlink': {
    certainty: 'conditional',
    how: "writes /var/log/pods: replaces its own container's log file with a symlink to any host file, which the kubelet (root) then serves to `kubectl logs`: the kubelet's client credential, every pod's token, /etc/shadow; node root takes one more step from there",
  },
};

interface HostPathEntry {
  path: string;
  escape: Escape;
  /** Paths below `path` count too (a file in a cron directory); ancestors always count. */
  within?: boolean;
  /** Counts even when mounted read-only. */
  readOnly?: boolean;
  certainty?: Certainty;
  note?: string;
}

/**
 * Host paths that hand over the node, in order of preference: a mount counts for the
 * first entry whose path it is, contains, or (with `within`) lies below. Runtime
 * sockets live under /run (/var/run is read as /run); every other entry needs a
 * writable mount.
 */
export const HOST_PATHS: readonly HostPathEntry[] = [
  ...['/etc/crontab', '/etc/cron.d', '/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly', '/var/spool/cron'].map(
    (path) => ({path, escape: 'host-path-write' as const, within: true, note: 'cron runs it as root'}),
  ),
  ...['/etc/systemd', '/lib/systemd', '/usr/lib/systemd', '/etc/init.d', '/etc/rc.local'].map((path) => ({
    path,
    escape: 'host-path-write' as const,
    within: true,
    note: 'init runs it as root',
  })),
  {path: '/etc/kubernetes', escape: 'host-path-write', within: true, note: 'static pod manifests and the cluster PKI'},
  ...[
    '/root',
    '/etc/ssh',
    '/etc/passwd',
    '/etc/shadow',
    '/etc/sudoers',
    '/etc/sudoers.d',
    '/etc/ld.so.preload',
    '/etc/profile',
    '/etc/profile.d',
  ].map((path) => ({
    path,
    escape: 'host-path-write' as const,
    within: true,
    note: 'root logins and credentials',
  })),
  ...['/usr', '/bin', '/sbin', '/lib', '/lib64', '/opt/cni/bin'].map((path) => ({
    path,
    escape: 'host-path-write' as const,
    within: true,
    note: 'programs the node runs as root (the kubelet runs mount and the CNI plugins)',
  })),
  {path: '/proc/sys', escape: 'core-pattern', within: true},
  ...[
    '/run/docker.sock',
    '/run/dockershim.sock',
    '/run/cri-dockerd.sock',
    '/run/containerd/containerd.sock',
    '/run/crio/crio.sock',
    '/run/k3s/containerd/containerd.sock',
    '/run/podman/podman.sock',
  ].map((path) => ({path, escape: 'runtime-socket' as const, readOnly: true})),
  {path: '/var/lib/kubelet', escape: 'kubelet-dir', within: true},
  {path: '/var/log/pods', escape: 'var-log-symlink', note: "the kubelet's container log directory; the escape also needs get pods/log"},
  {path: '/sys', escape: 'sysfs-write', within: true},
  {path: '/dev', escape: 'host-device', within: true},
  {
    path: '/home',
    escape: 'host-path-write',
    within: true,
    certainty: 'conditional',
    note: "users' SSH keys and shell profiles: a login as a node user, often with sudo",
  },
  {
    path: '/boot',
    escape: 'host-path-write',
    within: true,
    certainty: 'conditional',
    note: 'the kernel and initrd: effective at the next boot',
  },
];

const entryCache = new Map<string, HostPathEntry | undefined>();

/** The first table entry a mount of `path` (read-only or not) hands over. */
export function hostPathEntry(path: string, readOnly: boolean): HostPathEntry | undefined {
  const key = `${readOnly ? 'ro' : 'rw'}:${path}`;
  if (entryCache.has(key)) return entryCache.get(key);
  const entry = HOST_PATHS.find(
    (e) => (e.readOnly || !readOnly) && (isWithin(e.path, path) || (e.within === true && isWithin(path, e.path))),
  );
  // Host paths repeat across pods; hostile input could make them all different, so the cache is bounded.
  if (entryCache.size < 10_000) entryCache.set(key, entry);
  return entry;
}

interface Finding {
  escape: Escape;
  certainty: Certainty;
  evidence: Evidence[];
  /** The posture checks (src/posture) whose failure the escape relies on: hardening them removes it. */
  reliesOn?: string[];
}

/** Escapes that root in the container needs, and that a non-root container without privilege escalation cannot make. */
const HARDENING_CUTS = (escape: Escape): boolean => !['privileged', 'nsenter', 'host-process', 'runtime-socket'].includes(escape);

/** The pod's node runs a kubelet from 1.35, which refuses cgroup v1 unless an administrator set failCgroupV1: false. */
function cgroupV2Kubelet(model: ClusterModel, pod: PodInfo): Evidence | undefined {
  const written = model.nodes.get(pod.nodeName)?.object?.status?.nodeInfo?.kubeletVersion;
  const version = written ? parseKubernetesVersion(written, `node ${pod.nodeName}`) : undefined;
  if (!atLeast(version, 35)) return undefined;
  return {
    object: objectKey('Node', undefined, pod.nodeName),
    field: 'status.nodeInfo.kubeletVersion',
    value: written!,
    note: 'kubelets from 1.35 refuse to run on cgroup v1 (failCgroupV1 defaults to true): release_agent needs an administrator to have turned that off',
  };
}

/** What one container offers, before the question of who it runs as. */
function containerFindings(model: ClusterModel, pod: PodInfo, ref: ContainerRef): Finding[] {
  const context = ref.container.securityContext;
  const podHostProcess = field(pod.spec.securityContext, 'windowsOptions', 'hostProcess');
  if (!context && podHostProcess == null) return [];
  const findings: Finding[] = [];
  const found = (escape: Escape, evidence: Evidence[], certainty = TECHNIQUES[escape].certainty): void => {
    const [first, ...rest] = evidence;
    findings.push({escape, certainty, evidence: [{...first!, note: TECHNIQUES[escape].how}, ...rest]});
  };
  const at = (fieldPath: string, value: string | boolean): Evidence => ({object: pod.source.object, field: fieldPath, value});
  const hostPID = pod.spec.hostPID === true ? at(`${pod.source.specPath}.hostPID`, true) : undefined;

  if (isPrivileged(ref)) {
    const privileged = at(`${ref.path}.securityContext.privileged`, true);
    found('privileged', [privileged]);
    if (hostPID) found('nsenter', [privileged, hostPID]);
  } else if (context?.capabilities?.add?.length) {
    const capability = (name: string): Evidence | undefined => {
      const granted = grantedCapability(ref, name);
      return granted && at(granted.field, granted.value);
    };
    // AppArmor turned off makes the mount and ptrace escapes definite; a field an old API server dropped is named, and does not.
    const unconfined = appArmorUnconfined(pod, ref, model.kubernetesVersion);
    const ignored = unconfined ? undefined : appArmorFieldIgnored(pod, ref, model.kubernetesVersion);
    const apparmor = [unconfined ?? ignored].filter((evidence): evidence is Evidence => evidence !== undefined);
    const sysModule = capability('SYS_MODULE');
    const sysAdmin = capability('SYS_ADMIN');
    const sysPtrace = capability('SYS_PTRACE');
    const dacReadSearch = capability('DAC_READ_SEARCH');
    if (sysModule) found('sys-module', [sysModule]);
    if (sysAdmin) {
      // The runtime's default AppArmor profile denies mount: turned off, nothing stands in the way but a cgroup v2 node.
      const cgroupV2 = cgroupV2Kubelet(model, pod);
      found('sys-admin', [sysAdmin, ...apparmor, ...(cgroupV2 ? [cgroupV2] : [])], unconfined && !cgroupV2 ? 'definite' : 'conditional');
    }
    if (dacReadSearch) found('dac-read-search', [dacReadSearch]);
    if (hostPID && sysAdmin && sysPtrace) {
      found('sys-ptrace', [sysPtrace, sysAdmin, hostPID, ...apparmor], unconfined ? 'definite' : 'conditional');
    }
  }
  // The container's setting wins over the pod's.
  const ownHostProcess = field(context, 'windowsOptions', 'hostProcess');
  if (ownHostProcess === true) found('host-process', [at(`${ref.path}.securityContext.windowsOptions.hostProcess`, true)]);
  else if (ownHostProcess == null && podHostProcess === true)
    found('host-process', [at(`${pod.source.specPath}.securityContext.windowsOptions.hostProcess`, true)]);
  return findings;
}

/** What the pod's host path mounts offer, by container. */
function hostPathFindings(pod: PodInfo): Map<ContainerRef['path'], Finding[]> | undefined {
  const mounts = hostPathMounts(pod);
  if (mounts.length === 0) return undefined;
  const byContainer = new Map<string, Finding[]>();
  for (const mount of mounts) {
    const entry = hostPathEntry(mount.path, mount.readOnly);
    if (!entry) continue;
    const technique = TECHNIQUES[entry.escape];
    const shown = mount.path === mount.declared ? mount.declared : `${mount.declared} (read as ${mount.path})`;
    const note = `${technique.how}; ${shown} reaches ${entry.path}${entry.note ? ` (${entry.note})` : ''}`;
    const evidence = mountEvidence(pod, mount, `${mount.volumePath}.hostPath.path`, mount.declared, note);
    const list = byContainer.get(mount.container.path) ?? [];
    list.push({escape: entry.escape, certainty: entry.certainty ?? technique.certainty, evidence});
    byContainer.set(mount.container.path, list);
  }
  return byContainer;
}

/**
 * Every technique was written for root in the container. A container the spec makes
 * non-root regains root only through a setuid binary in its image, which
 * `allowPrivilegeEscalation: false` rules out; a runtime socket also opens to the
 * socket's group.
 */
function asUser(pod: PodInfo, ref: ContainerRef, finding: Finding): Finding | undefined {
  const nonRoot = nonRootEvidence(pod, ref);
  const escalation = ref.container.securityContext?.allowPrivilegeEscalation;
  if (!nonRoot) {
    if (!HARDENING_CUTS(finding.escape)) return finding;
    // Root by default: say so, so that the user sees the posture the escape rests on, and its fix.
    const root: Evidence = {
      object: pod.source.object,
      field: `${pod.source.specPath}.securityContext.runAsNonRoot`,
      value: 'unset',
      note: `runs as root (nothing in the spec says otherwise; posture check run-as-root), and allowPrivilegeEscalation is ${escalation === false ? 'false' : 'not false'}: the technique needs root`,
    };
    return {
      ...finding,
      evidence: [...finding.evidence, root],
      reliesOn: ['run-as-root', ...(escalation === false ? [] : ['privilege-escalation'])],
    };
  }
  if (noNewPrivileges(ref) && finding.escape !== 'runtime-socket') return undefined;
  const note =
    finding.escape === 'runtime-socket'
      ? 'runs as non-root: needs the socket group, or a setuid-root binary in the image'
      : 'runs as non-root: needs a setuid-root binary in the image to regain root (posture check privilege-escalation)';
  return {
    ...finding,
    certainty: 'conditional',
    evidence: [...finding.evidence, {...nonRoot, note}],
    ...(finding.escape === 'runtime-socket' ? {} : {reliesOn: ['privilege-escalation']}),
  };
}

/**
 * The RBAC half of var-log-symlink: a token the pod holds may `get pods/log` on the pod
 * itself (by name; a workload's stand-in has none, so only rules without resourceNames
 * count). Its evidence, or undefined when no token may.
 */
function ownLogReader(context: RuleContext, pod: PodInfo): Evidence[] | undefined {
  const request = {
    verb: 'get',
    group: '',
    resource: 'pods',
    subresource: 'log',
    namespace: pod.namespace,
    ...(pod.representative ? {} : {name: pod.name}),
  };
  for (const token of podTokens(context.model, pod)) {
    const grant = context.rbac.can(token.serviceAccount, request)[0];
    if (!grant) continue;
    const evidence = grantEvidence(context, grant, `get pods/log for ${token.serviceAccount}, whose token the pod holds`);
    if (evidence.length > 0)
      return [
        {...token.where, note: `${token.where.note ?? 'holds the token'}: ${token.serviceAccount} asks the kubelet for the planted log`},
        ...evidence,
      ];
  }
  return undefined;
}

/**
 * Pod Security baseline on the namespace of the step's pod: it refuses what escapes
 * and reads of the kubelet's directory need (privilege, host namespaces, capabilities
 * beyond the default set, host paths).
 */
export function baselineFixes({from}: EdgeStep): Fix[] {
  const namespace = namespaceOfId(from);
  return namespace
    ? [
        {
          id: `baseline:${namespace}`,
          action: `enforce Pod Security baseline on namespace ${namespace} (pod-security.kubernetes.io/enforce: baseline), moving what truly needs the host elsewhere`,
          object: `Namespace/${namespace}`,
        },
      ]
    : [];
}

export const escapesTo: EdgeRule<'ESCAPES_TO'> = {
  id: 'ESCAPES_TO',
  type: 'ESCAPES_TO',
  family: 'escape',
  mitre: 'T1611',
  summary:
    'A container escapes to its node: privileged, host namespaces with capabilities, dangerous capabilities, host paths, runtime sockets, /var/log with pods/log',
  fixes(step): Fix[] {
    const {
      reliesOn,
      evidence: [first],
    } = step.attributes;
    // An escape that needs root goes once the workload runs as non-root without privilege escalation.
    const hardening: Fix[] =
      reliesOn?.length && first
        ? [
            {
              id: `harden:${first.object}`,
              action: `run ${first.object} as non-root without privilege escalation (securityContext runAsNonRoot: true, allowPrivilegeEscalation: false)`,
              object: first.object,
            },
          ]
        : [];
    return [...hardening, ...baselineFixes(step)];
  },
  build(context) {
    const edges = new EdgeCollector(escapesTo);
    for (const pod of context.model.pods) {
      const mounts = hostPathFindings(pod);
      let logReader: Evidence[] | undefined | null = null;
      for (const ref of containersOf(pod)) {
        for (const raw of [...containerFindings(context.model, pod, ref), ...(mounts?.get(ref.path) ?? [])]) {
          let finding = asUser(pod, ref, raw);
          if (finding?.escape === 'var-log-symlink') {
            if (logReader === null) logReader = ownLogReader(context, pod);
            finding = logReader && {...finding, evidence: [...finding.evidence, ...logReader]};
          }
          if (!finding) continue;
          // Conditional escapes rest on a weakness of the node or image the input cannot show.
          edges.add(pod.id, nodeId(pod.nodeName), {
            certainty: finding.certainty,
            cost: finding.certainty === 'definite' ? COST.deliberate : COST.needsFlaw,
            evidence: finding.evidence,
            attributes: {escape: finding.escape, ...(finding.reliesOn ? {reliesOn: finding.reliesOn} : {})},
            key: `${pod.id}\u0000${finding.escape}`,
          });
        }
      }
    }
    return edges.list();
  },
};
