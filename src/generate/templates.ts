/**
 * kubepath generator pod templates
 * ================================
 *
 * What each planned workload's pods look like: application containers built from
 * the plan's fields, and the system components (kube-proxy, calico-node,
 * node-exporter, the control plane's static pods, ...) as their upstream manifests
 * define them, host access included, since that is what analysis looks for.
 * Specs are assembled in the field order the API server writes them. To keep a pod
 * near 1 KB, fields that hold their API default and that analysis never reads are
 * left out (probes, terminationMessagePath, imagePullPolicy, schedulerName,
 * dnsPolicy ClusterFirst, the not-ready tolerations, the deprecated
 * spec.serviceAccount, the token volume's downwardAPI source).
 */
import {type ClusterPlan, type Risk, type WorkloadPlan} from './plan.js';
import type {Json} from './objects.js';
import {Random} from './random.js';

/** A pod spec in pieces; assembleSpec writes it out in the API server's field order. */
export interface SpecParts {
  volumes: Json[];
  initContainers?: Json[];
  containers: Json[];
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds: number;
  dnsPolicy: string;
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  securityContext: Json;
  imagePullSecrets?: Json[];
  tolerations?: Json[];
  priorityClassName?: string;
  priority?: number;
}

export interface PodTemplate {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  parts: SpecParts;
  /** StatefulSets: the claim templates whose PVCs each pod mounts. */
  claimTemplates?: Array<{name: string; storage: string}>;
}

/** What only a running pod has, on top of its template. */
export interface PodPlacement {
  nodeName: string;
  /** The service account as the API server fills it in. */
  serviceAccount?: string;
  /** Name of the projected token volume, when the token is mounted. */
  apiAccessVolume?: string;
  hostname?: string;
  subdomain?: string;
  claimVolumes?: Json[];
  /** DaemonSet pods are pinned to their node by affinity. */
  pinToNode?: boolean;
}

const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOLERATE_EVERYTHING: Json[] = [{operator: 'Exists'}];
const CONTROL_PLANE_TOLERATIONS: Json[] = [
  {key: 'CriticalAddonsOnly', operator: 'Exists'},
  {key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'},
];
const HARDENED_CONTAINER: Json = {
  allowPrivilegeEscalation: false,
  capabilities: {drop: ['ALL']},
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};
/** What teams outside restricted namespaces usually settle for. */
const BASIC_HARDENING: Json = {allowPrivilegeEscalation: false, runAsNonRoot: true};
const RESTRICTED_POD: Json = {runAsNonRoot: true, seccompProfile: {type: 'RuntimeDefault'}};

/** Writes a spec with the API server's field order, adding what a running pod has. */
export function assembleSpec(parts: SpecParts, pod?: PodPlacement): Json {
  const spec: Json = {};
  let volumes = parts.volumes;
  let containers = parts.containers;
  let initContainers = parts.initContainers;
  if (pod?.claimVolumes) volumes = [...pod.claimVolumes, ...volumes];
  if (pod?.apiAccessVolume) {
    volumes = [...volumes, apiAccessVolume(pod.apiAccessVolume)];
    const mount = {name: pod.apiAccessVolume, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT};
    containers = containers.map((c) => withMount(c, mount));
    if (initContainers) initContainers = initContainers.map((c) => withMount(c, mount));
  }
  if (volumes.length > 0) spec.volumes = volumes;
  if (initContainers) spec.initContainers = initContainers;
  spec.containers = containers;
  spec.restartPolicy = parts.restartPolicy;
  if (parts.terminationGracePeriodSeconds !== 30) spec.terminationGracePeriodSeconds = parts.terminationGracePeriodSeconds;
  if (parts.dnsPolicy !== 'ClusterFirst') spec.dnsPolicy = parts.dnsPolicy;
  if (parts.nodeSelector) spec.nodeSelector = parts.nodeSelector;
  // The API server fills serviceAccountName in on every pod; templates may leave it out.
  const serviceAccount = parts.serviceAccountName ?? pod?.serviceAccount;
  if (serviceAccount) spec.serviceAccountName = serviceAccount;
  if (parts.automountServiceAccountToken !== undefined) spec.automountServiceAccountToken = parts.automountServiceAccountToken;
  if (pod) spec.nodeName = pod.nodeName;
  if (parts.hostNetwork) spec.hostNetwork = true;
  if (parts.hostPID) spec.hostPID = true;
  if (Object.keys(parts.securityContext).length > 0) spec.securityContext = parts.securityContext;
  if (parts.imagePullSecrets) spec.imagePullSecrets = parts.imagePullSecrets;
  if (pod?.hostname) spec.hostname = pod.hostname;
  if (pod?.subdomain) spec.subdomain = pod.subdomain;
  if (pod?.pinToNode) {
    spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: [pod.nodeName]}]}],
        },
      },
    };
  }
  if (parts.tolerations) spec.tolerations = parts.tolerations;
  if (parts.priorityClassName) spec.priorityClassName = parts.priorityClassName;
  if (pod && parts.priority !== undefined) spec.priority = parts.priority;
  return spec;
}

function withMount(container: Json, mount: Json): Json {
  const mounts = (container.volumeMounts as Json[] | undefined) ?? [];
  return {...container, volumeMounts: [...mounts, mount]};
}

/** The projected volume the ServiceAccount admission plugin adds for the token. */
function apiAccessVolume(name: string): Json {
  return {
    name,
    projected: {
      sources: [
        {serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
        {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}},
      ],
      defaultMode: 420,
    },
  };
}

function hostPath(name: string, path: string, type?: string): Json {
  return type ? {name, hostPath: {path, type}} : {name, hostPath: {path}};
}

function mount(name: string, mountPath: string, readOnly = false): Json {
  return readOnly ? {name, readOnly: true, mountPath} : {name, mountPath};
}

function containerPorts(workload: WorkloadPlan, hostNetwork = false): Json[] | undefined {
  if (workload.ports.length === 0) return undefined;
  return workload.ports.map((p) =>
    hostNetwork
      ? {name: p.name, hostPort: p.containerPort, containerPort: p.containerPort, protocol: p.protocol}
      : {name: p.name, containerPort: p.containerPort, protocol: p.protocol},
  );
}

function resources(cpu: string, memory: string, memoryLimit?: string): Json {
  return memoryLimit ? {limits: {memory: memoryLimit}, requests: {cpu, memory}} : {requests: {cpu, memory}};
}

function fieldEnv(name: string, fieldPath: string): Json {
  return {name, valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath}}};
}

/** Container fields in the API server's order. */
function container(fields: {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Json[] | undefined;
  envFrom?: Json[];
  env?: Json[];
  resources?: Json;
  volumeMounts?: Json[];
  securityContext?: Json;
  stdin?: boolean;
  tty?: boolean;
}): Json {
  const c: Json = {name: fields.name, image: fields.image};
  if (fields.command) c.command = fields.command;
  if (fields.args) c.args = fields.args;
  if (fields.ports) c.ports = fields.ports;
  if (fields.envFrom) c.envFrom = fields.envFrom;
  if (fields.env) c.env = fields.env;
  c.resources = fields.resources ?? {};
  if (fields.volumeMounts && fields.volumeMounts.length > 0) c.volumeMounts = fields.volumeMounts;
  if (fields.securityContext) c.securityContext = fields.securityContext;
  if (fields.stdin) c.stdin = true;
  if (fields.tty) c.tty = true;
  return c;
}

function baseParts(containers: Json[], extra: Partial<SpecParts> = {}): SpecParts {
  return {
    volumes: [],
    containers,
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: extra.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    securityContext: {},
    ...extra,
  };
}

/** The pod template of a planned workload. */
export function podTemplate(workload: WorkloadPlan, plan: ClusterPlan): PodTemplate {
  const build = SYSTEM_TEMPLATES[workload.profile];
  const template = build ? build(workload, plan) : applicationTemplate(workload);
  if (workload.serviceAccount !== 'default' || workload.namespace.system) {
    if (workload.kind !== 'StaticPod') template.parts.serviceAccountName = workload.serviceAccount;
  }
  if (workload.automount === false) template.parts.automountServiceAccountToken = false;
  return template;
}

/** Application, datastore, cron and ad-hoc pods: built from the plan's fields. */
function applicationTemplate(workload: WorkloadPlan): PodTemplate {
  const random = new Random(workload.seed, 7);
  const ns = workload.namespace;
  const volumes: Json[] = [];
  const mounts: Json[] = [];
  const env: Json[] = [];
  const envFrom: Json[] = [];
  const containerName =
    workload.profile === 'datastore'
      ? workload.role
      : workload.profile === 'adhoc'
        ? workload.name
        : workload.role === 'job'
          ? 'job'
          : workload.role;

  if (workload.profile !== 'adhoc' && random.chance(0.3))
    env.push({name: 'LOG_LEVEL', value: random.pick(['info', 'info', 'warn', 'debug'])});
  if (workload.envSecret) {
    const variable = workload.profile === 'datastore' ? `${workload.role.toUpperCase()}_PASSWORD` : 'DATABASE_PASSWORD';
    env.push({name: variable, valueFrom: {secretKeyRef: {name: workload.envSecret, key: 'password'}}});
  }
  if (workload.envFromSecret) envFrom.push({secretRef: {name: workload.envFromSecret}});
  if (workload.volumeSecret) {
    volumes.push({name: 'tls', secret: {secretName: workload.volumeSecret, defaultMode: 420}});
    mounts.push(mount('tls', '/etc/tls', true));
  }
  if (workload.profile === 'datastore') mounts.push(mount('data', `/bitnami/${workload.role}`));

  const restricted = ns.podSecurity === 'restricted';
  let securityContext: Json | undefined = workload.hardened
    ? restricted || random.chance(0.4)
      ? HARDENED_CONTAINER
      : BASIC_HARDENING
    : undefined;
  const parts = baseParts([]);
  for (const risk of workload.risks)
    applyRisk(risk, parts, volumes, mounts, (patch) => (securityContext = {...(securityContext ?? {}), ...patch}));
  if (workload.hardened && ns.podSecurity === 'restricted') parts.securityContext = RESTRICTED_POD;
  else if (workload.profile === 'datastore') parts.securityContext = {fsGroup: 1001, runAsUser: 1001};

  const main = container({
    name: containerName,
    image: workload.image,
    command:
      workload.profile === 'adhoc'
        ? ['sleep', 'infinity']
        : workload.profile === 'cron'
          ? ['/app/bin/run', workload.name.slice(workload.name.lastIndexOf('-') + 1)]
          : undefined,
    ports: containerPorts(workload, parts.hostNetwork),
    envFrom: envFrom.length > 0 ? envFrom : undefined,
    env: env.length > 0 ? env : undefined,
    resources:
      workload.profile === 'adhoc'
        ? {}
        : resources(
            random.pick(['50m', '100m', '250m', '500m', '1']),
            random.pick(['128Mi', '256Mi', '512Mi', '1Gi', '2Gi']),
            random.chance(0.3) ? random.pick(['512Mi', '1Gi', '2Gi', '4Gi']) : undefined,
          ),
    volumeMounts: mounts,
    securityContext,
    stdin: workload.profile === 'adhoc',
    tty: workload.profile === 'adhoc',
  });
  const containers = [main];
  if (workload.sidecar) {
    const [name, image] = workload.sidecar;
    containers.push(
      container({
        name,
        image,
        resources: resources('50m', '64Mi', '128Mi'),
        securityContext: workload.hardened ? HARDENED_CONTAINER : undefined,
      }),
    );
  }
  parts.containers = containers;
  parts.volumes = volumes;
  if (workload.profile === 'cron') parts.restartPolicy = 'OnFailure';
  if (ns.pullSecret && workload.profile !== 'adhoc') parts.imagePullSecrets = [{name: 'regcred'}];

  const labels = {...workload.labels};
  const template: PodTemplate = {labels, parts};
  if (workload.profile === 'app' && workload.ports.some((p) => p.name === 'metrics') && random.chance(0.3)) {
    template.annotations = {'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102'};
  }
  if (workload.profile === 'datastore') template.claimTemplates = [{name: 'data', storage: random.pick(['8Gi', '20Gi', '50Gi', '100Gi'])}];
  return template;
}

/** Host access and privileges of a risky pod. */
function applyRisk(risk: Risk, parts: SpecParts, volumes: Json[], mounts: Json[], securityContext: (patch: Json) => void): void {
  switch (risk) {
    case 'privileged':
      securityContext({privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsNonRoot: false});
      break;
    case 'host-root':
      volumes.push(hostPath('host-root', '/', 'Directory'));
      mounts.push(mount('host-root', '/host'));
      break;
    case 'host-pid':
      parts.hostPID = true;
      break;
    case 'docker-sock':
      volumes.push(hostPath('docker-sock', '/var/run/docker.sock', 'Socket'));
      mounts.push(mount('docker-sock', '/var/run/docker.sock'));
      break;
    case 'containerd-sock':
      volumes.push(hostPath('containerd-sock', '/run/containerd/containerd.sock', 'Socket'));
      mounts.push(mount('containerd-sock', '/run/containerd/containerd.sock'));
      break;
    case 'sys-admin':
      securityContext({capabilities: {add: ['SYS_ADMIN']}, readOnlyRootFilesystem: false});
      break;
    case 'host-network':
      parts.hostNetwork = true;
      parts.dnsPolicy = 'ClusterFirstWithHostNet';
      break;
    case 'kubelet-pods':
      volumes.push(hostPath('kubelet-pods', '/var/lib/kubelet/pods', 'Directory'));
      mounts.push(mount('kubelet-pods', '/host/kubelet/pods', true));
      break;
  }
}

type TemplateBuilder = (workload: WorkloadPlan, plan: ClusterPlan) => PodTemplate;

function system(workload: WorkloadPlan, parts: SpecParts, annotations?: Record<string, string>): PodTemplate {
  const template: PodTemplate = {labels: {...workload.labels}, parts};
  if (annotations) template.annotations = annotations;
  return template;
}

function staticPod(workload: WorkloadPlan, command: string[], volumes: Json[], mounts: Json[], cpu: string): PodTemplate {
  const parts = baseParts(
    [
      container({
        name: workload.profile,
        image: workload.image,
        command,
        resources: {requests: {cpu}},
        volumeMounts: mounts,
      }),
    ],
    {
      volumes,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      tolerations: [{operator: 'Exists', effect: 'NoExecute'}],
    },
  );
  parts.securityContext = {seccompProfile: {type: 'RuntimeDefault'}};
  return {labels: {...workload.labels}, parts};
}

const PKI = hostPath('k8s-certs', '/etc/kubernetes/pki', 'DirectoryOrCreate');
const CA_CERTS = hostPath('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate');

const SYSTEM_TEMPLATES: Partial<Record<WorkloadPlan['profile'], TemplateBuilder>> = {
  coredns: (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'coredns',
            image: w.image,
            args: ['-conf', '/etc/coredns/Corefile'],
            ports: containerPorts(w),
            resources: resources('100m', '70Mi', '170Mi'),
            volumeMounts: [mount('config-volume', '/etc/coredns', true)],
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: {add: ['NET_BIND_SERVICE'], drop: ['ALL']},
              readOnlyRootFilesystem: true,
            },
          }),
        ],
        {
          volumes: [{name: 'config-volume', configMap: {name: 'coredns', items: [{key: 'Corefile', path: 'Corefile'}], defaultMode: 420}}],
          dnsPolicy: 'Default',
          nodeSelector: {'kubernetes.io/os': 'linux'},
          tolerations: CONTROL_PLANE_TOLERATIONS,
          priorityClassName: 'system-cluster-critical',
          priority: 2000000000,
        },
      ),
    ),
  'metrics-server': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'metrics-server',
            image: w.image,
            args: [
              '--cert-dir=/tmp',
              '--secure-port=10250',
              '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
              '--kubelet-use-node-status-port',
              '--metric-resolution=15s',
            ],
            ports: containerPorts(w),
            resources: resources('100m', '200Mi'),
            volumeMounts: [mount('tmp-dir', '/tmp')],
            securityContext: {...HARDENED_CONTAINER, runAsUser: 1000},
          }),
        ],
        {volumes: [{name: 'tmp-dir', emptyDir: {}}], priorityClassName: 'system-cluster-critical', priority: 2000000000},
      ),
    ),
  'calico-kube-controllers': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'calico-kube-controllers',
            image: w.image,
            env: [
              {name: 'ENABLED_CONTROLLERS', value: 'node,loadbalancer'},
              {name: 'DATASTORE_TYPE', value: 'kubernetes'},
            ],
            securityContext: {runAsNonRoot: true},
          }),
        ],
        {tolerations: CONTROL_PLANE_TOLERATIONS, priorityClassName: 'system-cluster-critical', priority: 2000000000},
      ),
    ),
  'kubernetes-dashboard': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'kubernetes-dashboard',
            image: w.image,
            args: ['--auto-generate-certificates', '--namespace=kube-system'],
            ports: containerPorts(w),
            volumeMounts: [mount('kubernetes-dashboard-certs', '/certs'), mount('tmp-volume', '/tmp')],
            securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsUser: 1001, runAsGroup: 2001},
          }),
        ],
        {
          volumes: [
            {name: 'kubernetes-dashboard-certs', secret: {secretName: 'kubernetes-dashboard-certs', defaultMode: 420}},
            {name: 'tmp-volume', emptyDir: {}},
          ],
        },
      ),
    ),
  'kube-proxy': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'kube-proxy',
            image: w.image,
            command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
            env: [fieldEnv('NODE_NAME', 'spec.nodeName')],
            volumeMounts: [
              mount('kube-proxy', '/var/lib/kube-proxy'),
              mount('xtables-lock', '/run/xtables.lock'),
              mount('lib-modules', '/lib/modules', true),
            ],
            securityContext: {privileged: true},
          }),
        ],
        {
          volumes: [
            {name: 'kube-proxy', configMap: {name: 'kube-proxy', defaultMode: 420}},
            hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
            hostPath('lib-modules', '/lib/modules'),
          ],
          hostNetwork: true,
          nodeSelector: {'kubernetes.io/os': 'linux'},
          tolerations: TOLERATE_EVERYTHING,
          priorityClassName: 'system-node-critical',
          priority: 2000001000,
        },
      ),
    ),
  'calico-node': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'calico-node',
            image: w.image,
            env: [
              {name: 'DATASTORE_TYPE', value: 'kubernetes'},
              {name: 'CLUSTER_TYPE', value: 'k8s,bgp'},
              {name: 'CALICO_NETWORKING_BACKEND', value: 'bird'},
              {name: 'CALICO_IPV4POOL_CIDR', value: '10.64.0.0/10'},
              {name: 'IP', value: 'autodetect'},
              fieldEnv('NODENAME', 'spec.nodeName'),
            ],
            resources: {requests: {cpu: '250m'}},
            volumeMounts: [
              mount('lib-modules', '/lib/modules', true),
              mount('xtables-lock', '/run/xtables.lock'),
              mount('var-run-calico', '/var/run/calico'),
              mount('var-lib-calico', '/var/lib/calico'),
              mount('policysync', '/var/run/nodeagent'),
              mount('cni-net-dir', '/host/etc/cni/net.d'),
            ],
            securityContext: {privileged: true},
          }),
        ],
        {
          volumes: [
            hostPath('lib-modules', '/lib/modules'),
            hostPath('var-run-calico', '/var/run/calico'),
            hostPath('var-lib-calico', '/var/lib/calico'),
            hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
            hostPath('cni-bin-dir', '/opt/cni/bin'),
            hostPath('cni-net-dir', '/etc/cni/net.d'),
            hostPath('policysync', '/var/run/nodeagent', 'DirectoryOrCreate'),
          ],
          initContainers: [
            container({
              name: 'install-cni',
              image: 'docker.io/calico/cni:v3.28.1',
              command: ['/opt/cni/bin/install'],
              volumeMounts: [mount('cni-bin-dir', '/host/opt/cni/bin'), mount('cni-net-dir', '/host/etc/cni/net.d')],
              securityContext: {privileged: true},
            }),
          ],
          hostNetwork: true,
          nodeSelector: {'kubernetes.io/os': 'linux'},
          terminationGracePeriodSeconds: 0,
          tolerations: TOLERATE_EVERYTHING,
          priorityClassName: 'system-node-critical',
          priority: 2000001000,
        },
      ),
    ),
  'node-exporter': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'node-exporter',
            image: w.image,
            args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--web.listen-address=0.0.0.0:9100'],
            ports: containerPorts(w, true),
            resources: resources('100m', '180Mi', '180Mi'),
            volumeMounts: [
              mount('proc', '/host/proc', true),
              mount('sys', '/host/sys', true),
              {...mount('root', '/host/root', true), mountPropagation: 'HostToContainer'},
            ],
            securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true},
          }),
        ],
        {
          volumes: [hostPath('proc', '/proc'), hostPath('sys', '/sys'), hostPath('root', '/')],
          hostNetwork: true,
          hostPID: true,
          nodeSelector: {'kubernetes.io/os': 'linux'},
          securityContext: {runAsNonRoot: true, runAsUser: 65534},
          tolerations: TOLERATE_EVERYTHING,
          priorityClassName: 'system-node-critical',
          priority: 2000001000,
        },
      ),
    ),
  prometheus: (w) => ({
    ...system(
      w,
      baseParts(
        [
          container({
            name: 'prometheus',
            image: w.image,
            args: [
              '--config.file=/etc/prometheus/config_out/prometheus.env.yaml',
              '--storage.tsdb.path=/prometheus',
              '--storage.tsdb.retention.time=15d',
              '--web.enable-lifecycle',
            ],
            ports: containerPorts(w),
            resources: resources('500m', '2Gi', '8Gi'),
            volumeMounts: [mount('config-out', '/etc/prometheus/config_out', true), mount('prometheus-k8s-db', '/prometheus')],
            securityContext: HARDENED_CONTAINER,
          }),
        ],
        {
          volumes: [{name: 'config-out', emptyDir: {medium: 'Memory'}}],
          securityContext: {fsGroup: 2000, runAsNonRoot: true, runAsUser: 1000},
          terminationGracePeriodSeconds: 600,
        },
      ),
    ),
    claimTemplates: [{name: 'prometheus-k8s-db', storage: '100Gi'}],
  }),
  alertmanager: (w) => ({
    ...system(
      w,
      baseParts(
        [
          container({
            name: 'alertmanager',
            image: w.image,
            args: ['--config.file=/etc/alertmanager/config_out/alertmanager.env.yaml', '--storage.path=/alertmanager'],
            ports: containerPorts(w),
            resources: resources('4m', '100Mi'),
            volumeMounts: [mount('config-volume', '/etc/alertmanager/config', true), mount('alertmanager-main-db', '/alertmanager')],
            securityContext: HARDENED_CONTAINER,
          }),
        ],
        {
          volumes: [{name: 'config-volume', secret: {secretName: 'alertmanager-main', defaultMode: 420}}],
          securityContext: {fsGroup: 2000, runAsNonRoot: true, runAsUser: 1000},
        },
      ),
    ),
    claimTemplates: [{name: 'alertmanager-main-db', storage: '10Gi'}],
  }),
  'kube-state-metrics': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'kube-state-metrics',
            image: w.image,
            args: ['--host=127.0.0.1', '--port=8081', '--telemetry-host=127.0.0.1', '--telemetry-port=8082'],
            ports: containerPorts(w),
            resources: resources('10m', '190Mi', '250Mi'),
            securityContext: {...HARDENED_CONTAINER, runAsUser: 65534},
          }),
        ],
        {nodeSelector: {'kubernetes.io/os': 'linux'}},
      ),
    ),
  grafana: (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'grafana',
            image: w.image,
            ports: containerPorts(w),
            env: [
              {name: 'GF_SECURITY_ADMIN_USER', valueFrom: {secretKeyRef: {name: 'grafana', key: 'admin-user'}}},
              {name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: {secretKeyRef: {name: 'grafana', key: 'admin-password'}}},
            ],
            resources: resources('100m', '100Mi', '200Mi'),
            volumeMounts: [mount('grafana-storage', '/var/lib/grafana')],
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, readOnlyRootFilesystem: true},
          }),
        ],
        {volumes: [{name: 'grafana-storage', emptyDir: {}}], securityContext: {fsGroup: 65534, runAsNonRoot: true, runAsUser: 65534}},
      ),
    ),
  'ingress-nginx': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'controller',
            image: w.image,
            args: [
              '/nginx-ingress-controller',
              '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
              '--election-id=ingress-nginx-leader',
              '--controller-class=k8s.io/ingress-nginx',
              '--ingress-class=nginx',
              '--validating-webhook=:8443',
              '--validating-webhook-certificate=/usr/local/certificates/cert',
              '--validating-webhook-key=/usr/local/certificates/key',
            ],
            ports: containerPorts(w),
            env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace')],
            resources: resources('100m', '90Mi'),
            volumeMounts: [mount('webhook-cert', '/usr/local/certificates/', true)],
            // As upstream ships it: nginx binds 80 and 443 as user 101.
            securityContext: {
              allowPrivilegeEscalation: true,
              capabilities: {add: ['NET_BIND_SERVICE'], drop: ['ALL']},
              runAsNonRoot: true,
              runAsUser: 101,
            },
          }),
        ],
        {
          volumes: [{name: 'webhook-cert', secret: {secretName: 'ingress-nginx-admission', defaultMode: 420}}],
          nodeSelector: {'kubernetes.io/os': 'linux'},
          terminationGracePeriodSeconds: 300,
        },
      ),
    ),
  'cert-manager': (w) =>
    certManager(w, ['--v=2', '--cluster-resource-namespace=$(POD_NAMESPACE)', '--leader-election-namespace=kube-system']),
  'cert-manager-cainjector': (w) => certManager(w, ['--v=2', '--leader-election-namespace=kube-system']),
  'cert-manager-webhook': (w) =>
    certManager(w, ['--v=2', '--secure-port=10250', '--dynamic-serving-ca-secret-name=cert-manager-webhook-ca']),
  'gitlab-runner': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'gitlab-runner',
            image: w.image,
            command: ['/usr/bin/dumb-init', '--', '/bin/bash', '/configmaps/entrypoint'],
            ports: containerPorts(w),
            env: [
              {name: 'CI_SERVER_URL', value: 'https://gitlab.com/'},
              {name: 'KUBERNETES_NAMESPACE', value: 'ci'},
              {name: 'KUBERNETES_PRIVILEGED', value: 'true'},
            ],
            volumeMounts: [mount('runner-secrets', '/secrets'), mount('configmaps', '/configmaps')],
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, runAsNonRoot: true},
          }),
        ],
        {
          volumes: [
            {name: 'runner-secrets', secret: {secretName: 'gitlab-runner', defaultMode: 420}},
            {name: 'configmaps', configMap: {name: 'gitlab-runner', defaultMode: 420}},
          ],
          securityContext: {fsGroup: 65533, runAsUser: 100},
        },
      ),
    ),
  // A CI build with docker-in-docker: the service container is privileged.
  'ci-build': (w) =>
    system(
      w,
      baseParts(
        [
          container({
            name: 'build',
            image: w.image,
            command: ['sh', '-c', 'if [ -x /usr/local/bin/bash ]; then\n\texec /usr/local/bin/bash \nelse\n\texec sh\nfi\n'],
            env: [
              {name: 'DOCKER_HOST', value: 'tcp://localhost:2375'},
              {name: 'CI_JOB_STAGE', value: 'build'},
            ],
            volumeMounts: [mount('repo', '/builds')],
            stdin: true,
          }),
          container({
            name: 'svc-0',
            image: 'docker.io/library/docker:27.1-dind',
            env: [{name: 'DOCKER_TLS_CERTDIR', value: ''}],
            volumeMounts: [mount('repo', '/builds')],
            securityContext: {privileged: true},
          }),
        ],
        {volumes: [{name: 'repo', emptyDir: {}}], restartPolicy: 'Never', terminationGracePeriodSeconds: 0},
      ),
    ),
  'argocd-server': (w) => argocd(w, ['/usr/local/bin/argocd-server', '--insecure']),
  'argocd-repo-server': (w) => argocd(w, ['/usr/local/bin/argocd-repo-server']),
  'argocd-redis': (w) => argocd(w, ['redis-server', '--protected-mode', 'no', '--save', '', '--appendonly', 'no']),
  'argocd-application-controller': (w) =>
    argocd(w, ['/usr/local/bin/argocd-application-controller', '--status-processors', '20', '--operation-processors', '10']),
  etcd: (w) =>
    staticPod(
      w,
      [
        'etcd',
        `--advertise-client-urls=https://${w.node!.internalIP}:2379`,
        '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--key-file=/etc/kubernetes/pki/etcd/server.key',
        `--listen-client-urls=https://127.0.0.1:2379,https://${w.node!.internalIP}:2379`,
        `--name=${w.node!.name}`,
        '--peer-client-cert-auth=true',
        '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      ],
      [
        hostPath('etcd-certs', '/etc/kubernetes/pki/etcd', 'DirectoryOrCreate'),
        hostPath('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate'),
      ],
      [mount('etcd-data', '/var/lib/etcd'), mount('etcd-certs', '/etc/kubernetes/pki/etcd')],
      '100m',
    ),
  'kube-apiserver': (w) =>
    staticPod(
      w,
      [
        'kube-apiserver',
        `--advertise-address=${w.node!.internalIP}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        '--client-ca-file=/etc/kubernetes/pki/ca.crt',
        '--enable-admission-plugins=NodeRestriction',
        '--etcd-servers=https://127.0.0.1:2379',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
        '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
        '--service-cluster-ip-range=10.96.0.0/12',
        '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
        '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
      ],
      [CA_CERTS, PKI],
      [mount('ca-certs', '/etc/ssl/certs', true), mount('k8s-certs', '/etc/kubernetes/pki', true)],
      '250m',
    ),
  'kube-controller-manager': (w) =>
    staticPod(
      w,
      [
        'kube-controller-manager',
        '--allocate-node-cidrs=true',
        '--cluster-cidr=10.64.0.0/10',
        '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
        '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
        '--kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--root-ca-file=/etc/kubernetes/pki/ca.crt',
        '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
        '--use-service-account-credentials=true',
      ],
      [CA_CERTS, PKI, hostPath('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate')],
      [
        mount('ca-certs', '/etc/ssl/certs', true),
        mount('k8s-certs', '/etc/kubernetes/pki', true),
        mount('kubeconfig', '/etc/kubernetes/controller-manager.conf', true),
      ],
      '200m',
    ),
  'kube-scheduler': (w) =>
    staticPod(
      w,
      [
        'kube-scheduler',
        '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--kubeconfig=/etc/kubernetes/scheduler.conf',
        '--leader-elect=true',
      ],
      [hostPath('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')],
      [mount('kubeconfig', '/etc/kubernetes/scheduler.conf', true)],
      '100m',
    ),
};

function certManager(w: WorkloadPlan, args: string[]): PodTemplate {
  return system(
    w,
    baseParts(
      [
        container({
          name: w.profile,
          image: w.image,
          args,
          ports: containerPorts(w),
          env: [fieldEnv('POD_NAMESPACE', 'metadata.namespace')],
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, readOnlyRootFilesystem: true},
        }),
      ],
      {nodeSelector: {'kubernetes.io/os': 'linux'}, securityContext: {runAsNonRoot: true, seccompProfile: {type: 'RuntimeDefault'}}},
    ),
  );
}

function argocd(w: WorkloadPlan, command: string[]): PodTemplate {
  return system(
    w,
    baseParts(
      [
        container({
          name: w.profile,
          image: w.image,
          command,
          ports: containerPorts(w),
          env: [{name: 'ARGOCD_RECONCILIATION_TIMEOUT', value: '180s'}],
          volumeMounts: [mount('tmp', '/tmp')],
          securityContext: {...HARDENED_CONTAINER, seccompProfile: {type: 'RuntimeDefault'}},
        }),
      ],
      {volumes: [{name: 'tmp', emptyDir: {}}]},
    ),
  );
}
