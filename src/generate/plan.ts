/**
 * kubepath generator plan
 * =======================
 *
 * Decides what a generated cluster holds before any object is written: nodes,
 * namespaces, service accounts, secrets, and every workload with its replica count.
 * The plan is small (one record per workload, none per pod), so the writer can walk
 * it once per kind and stream objects grouped by kind, as `kubectl get -A -o json`
 * lists them. The pod total is settled here, exactly.
 */
import {Random} from './random.js';
import * as words from './words.js';

export interface GenerateOptions {
  /** Exact number of Pod objects to write. */
  pods: number;
  seed: number;
}

export const MAX_SUPPORTED_PODS = 150_000;
export const MAX_NODES = 5_000;
/** Pods one node can hold: a /24 pod CIDR, less network and broadcast. */
export const PODS_PER_NODE_LIMIT = 250;

export const KUBERNETES_VERSION = 'v1.30.4';
export const PREVIOUS_KUBERNETES_VERSION = 'v1.29.8';

/** Every timestamp is an offset from this fixed instant, never from the clock. */
const BASE_TIME_MS = Date.UTC(2025, 5, 1, 9, 0, 0);
const DAY_SECONDS = 86_400;

export function timestamp(secondsBeforeBase: number): string {
  return `${new Date(BASE_TIME_MS - secondsBeforeBase * 1000).toISOString().slice(0, 19)}Z`;
}

export interface NodePlan {
  index: number;
  name: string;
  uid: string;
  controlPlane: boolean;
  pool: string;
  zone: string;
  instanceType: string;
  internalIP: string;
  /** `10.64.3.` : pod IPs on this node are this prefix plus a host number. */
  podPrefix: string;
  podCIDR: string;
  kubeletVersion: string;
  createdAt: string;
}

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export type NetworkPolicyStyle = 'none' | 'default-deny' | 'selected';
export type LabelStyle = 'recommended' | 'app';
export type RiskyGrant = 'default-sa-admin' | 'secret-reader' | 'pod-exec' | 'namespace-cluster-admin';

/** Container escapes and host access a risky pod carries. */
export type Risk =
  'privileged' | 'host-root' | 'host-pid' | 'docker-sock' | 'containerd-sock' | 'sys-admin' | 'host-network' | 'kubelet-pods';
export const RISKS: readonly Risk[] = [
  'privileged',
  'host-root',
  'host-pid',
  'docker-sock',
  'containerd-sock',
  'sys-admin',
  'host-network',
  'kubelet-pods',
];

export interface ServiceAccountPlan {
  name: string;
  uid: string;
  createdAt: string;
  /** automountServiceAccountToken on the ServiceAccount, when set. */
  automount?: boolean;
  /** A legacy long-lived token Secret holding this account's token. */
  tokenSecret?: string;
}

export type SecretType =
  'Opaque' | 'kubernetes.io/service-account-token' | 'kubernetes.io/tls' | 'kubernetes.io/dockerconfigjson' | 'helm.sh/release.v1';

export interface SecretPlan {
  name: string;
  type: SecretType;
  /** For service-account-token secrets. */
  serviceAccount?: ServiceAccountPlan;
  /** For Helm release secrets: release name and revision. */
  release?: {name: string; revision: number; status: 'deployed' | 'superseded'};
}

export interface PortPlan {
  name: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP';
  /** The port a Service exposes it on, when a Service does. */
  servicePort?: number;
  /** Whether the Service names the port (`targetPort: http`) rather than its number. */
  namedTarget?: boolean;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Pod' | 'StaticPod';

/**
 * What a workload's pod template looks like: `app`, `datastore`, `cron` and
 * `adhoc` are built from the fields below; the others are the system components
 * of the same name (see templates.ts).
 */
export type Profile =
  | 'app'
  | 'datastore'
  | 'cron'
  | 'adhoc'
  | 'ci-build'
  | 'coredns'
  | 'metrics-server'
  | 'calico-kube-controllers'
  | 'kubernetes-dashboard'
  | 'kube-proxy'
  | 'calico-node'
  | 'node-exporter'
  | 'prometheus'
  | 'alertmanager'
  | 'kube-state-metrics'
  | 'grafana'
  | 'ingress-nginx'
  | 'cert-manager'
  | 'cert-manager-cainjector'
  | 'cert-manager-webhook'
  | 'gitlab-runner'
  | 'argocd-server'
  | 'argocd-repo-server'
  | 'argocd-redis'
  | 'argocd-application-controller'
  | 'kube-apiserver'
  | 'etcd'
  | 'kube-controller-manager'
  | 'kube-scheduler';

export interface ServicePlan {
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  headless?: boolean;
  /** A second, headless Service for a StatefulSet's stable pod names. */
  headlessName?: string;
  ingressHost?: string;
}

export interface WorkloadPlan {
  kind: WorkloadKind;
  name: string;
  namespace: NamespacePlan;
  uid: string;
  /** Seeds every random choice made later about this workload's objects. */
  seed: number;
  replicas: number;
  profile: Profile;
  /** Role of an application workload: `api`, `worker`, ... (labels, ports). */
  role: string;
  /** Labels the selector matches; template labels add to these. */
  selector: Record<string, string>;
  labels: Record<string, string>;
  image: string;
  ports: PortPlan[];
  serviceAccount: string;
  /** automountServiceAccountToken on the pod template, when set. */
  automount?: boolean;
  hardened: boolean;
  risks: Risk[];
  /** Secrets the containers read: env secretKeyRef, envFrom, a volume. */
  envSecret?: string;
  envFromSecret?: string;
  volumeSecret?: string;
  sidecar?: readonly [string, string];
  service?: ServicePlan;
  createdAt: string;
  /** Age in seconds, so children are younger than their parents. */
  ageSeconds: number;
  /** pod-template-hash (Deployment) or controller-revision-hash (StatefulSet, DaemonSet). */
  hash: string;
  /** Deployments: hashes of earlier ReplicaSets, scaled to zero. */
  oldHashes: string[];
  /** CronJobs: the Jobs still kept, oldest first, one pod each. */
  jobs: Array<{name: string; uid: string; ageSeconds: number}>;
  schedule?: string;
  /** Static pods: the control-plane node they belong to. */
  node?: NodePlan;
}

export interface NamespacePlan {
  name: string;
  uid: string;
  createdAt: string;
  ageSeconds: number;
  seed: number;
  system: boolean;
  /** The business domain of a team namespace (`payments`), or the namespace name. */
  domain: string;
  labels: Record<string, string>;
  podSecurity?: PodSecurityLevel;
  labelStyle: LabelStyle;
  networkPolicy: NetworkPolicyStyle;
  environment?: string;
  /** Pods budgeted here (workloads fill it exactly). */
  podBudget: number;
  pullSecret: boolean;
  riskyGrant?: RiskyGrant;
  serviceAccounts: ServiceAccountPlan[];
  secrets: SecretPlan[];
  workloads: WorkloadPlan[];
  usedNames: Set<string>;
}

export interface ClusterPlan {
  options: GenerateOptions;
  clusterName: string;
  company: string;
  /** DNS zone for ingress hosts, e.g. `acme-corp.io`. */
  dnsZone: string;
  registry: string;
  region: string;
  nodes: NodePlan[];
  controlPlanes: NodePlan[];
  workers: NodePlan[];
  /** Sorted by name, as the API server lists them. */
  namespaces: NamespacePlan[];
  namespaceByName: Map<string, NamespacePlan>;
  /** Total pods the plan holds; always equals options.pods. */
  podCount: number;
}

/** Streams of the root seed: each part of the plan draws from its own. */
const STREAM = {cluster: 1, nodes: 2, namespaces: 3, workloads: 4, system: 5} as const;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function planCluster(options: GenerateOptions): ClusterPlan {
  const {pods, seed} = options;
  const random = new Random(seed, STREAM.cluster);
  const company = random.pick(words.COMPANIES);
  const [region, zones] = random.pick(words.CLOUD_REGIONS);
  const plan: ClusterPlan = {
    options,
    clusterName: `${company}-${random.pick(['prod', 'shared', 'main', 'platform'])}-${region}`,
    company,
    dnsZone: `${company}.io`,
    registry: random.chance(0.5)
      ? `registry.${company}.io`
      : `${random.int(100_000_000_000, 999_999_999_999)}.dkr.ecr.${region}.amazonaws.com`,
    region,
    nodes: [],
    controlPlanes: [],
    workers: [],
    namespaces: [],
    namespaceByName: new Map(),
    podCount: 0,
  };
  planNodes(plan, new Random(seed, STREAM.nodes), zones);
  planNamespaces(plan, new Random(seed, STREAM.namespaces));
  planSystemWorkloads(plan, new Random(seed, STREAM.system));
  planTenantWorkloads(plan, new Random(seed, STREAM.workloads));
  for (const ns of plan.namespaces) {
    ns.workloads.sort((a, b) => compare(a.name, b.name));
    // cert-manager keeps each Ingress's certificate in the Secret its tls section names.
    for (const w of ns.workloads) if (w.service?.ingressHost) addSecret(ns, `${w.service.name}-tls`, 'kubernetes.io/tls');
    ns.secrets.sort((a, b) => compare(a.name, b.name));
    ns.serviceAccounts.sort((a, b) => compare(a.name, b.name));
  }

  let total = 0;
  for (const ns of plan.namespaces) for (const w of ns.workloads) total += podsOf(w, plan);
  if (total !== pods) throw new Error(`generator plan holds ${total} pods, not the ${pods} asked for`);
  plan.podCount = total;
  return plan;
}

/** Pods a workload puts in the cluster. */
export function podsOf(workload: WorkloadPlan, plan: ClusterPlan): number {
  return workload.kind === 'DaemonSet' ? plan.nodes.length : workload.replicas;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function planNodes(plan: ClusterPlan, random: Random, zones: readonly string[]): void {
  const count = clamp(Math.round(plan.options.pods / 30), 3, MAX_NODES);
  const controlPlanes = count >= 1000 ? 5 : count >= 10 ? 3 : 1;
  const domain = plan.region === 'us-east-1' ? 'ec2.internal' : `${plan.region}.compute.internal`;
  for (let index = 0; index < count; index++) {
    const controlPlane = index < controlPlanes;
    const zoneIndex = index % zones.length;
    // Each zone has its own /18 of the VPC, as subnets are laid out per zone.
    const host = Math.floor(index / zones.length) + 10;
    const internalIP = `10.0.${zoneIndex * 64 + (host >> 8)}.${host & 255}`;
    const [pool, instanceTypes] = controlPlane
      ? (['control-plane', ['m6i.xlarge']] as const)
      : random.weighted(words.NODE_POOLS.map((p, i) => [p, [6, 2, 2, 2][i]!] as const));
    // Pod CIDRs come from 10.64.0.0/10, one /24 per node, as kube-controller-manager allocates them.
    const podPrefix = `10.${64 + (index >> 8)}.${index & 255}.`;
    plan.nodes.push({
      index,
      name: `ip-${internalIP.replaceAll('.', '-')}.${domain}`,
      uid: random.uuid(),
      controlPlane,
      pool,
      zone: zones[zoneIndex]!,
      instanceType: random.pick(instanceTypes),
      internalIP,
      podPrefix,
      podCIDR: `${podPrefix}0/24`,
      // A rolling upgrade is usually under way somewhere.
      kubeletVersion: !controlPlane && random.chance(0.1) ? PREVIOUS_KUBERNETES_VERSION : KUBERNETES_VERSION,
      createdAt: timestamp(random.int(1, 90) * DAY_SECONDS + random.int(0, DAY_SECONDS)),
    });
  }
  plan.controlPlanes = plan.nodes.filter((n) => n.controlPlane);
  plan.workers = plan.nodes.filter((n) => !n.controlPlane);
}

/** System namespaces, and the namespace count from which each appears. */
const SYSTEM_NAMESPACES: ReadonlyArray<readonly [string, number]> = [
  ['kube-system', 0],
  ['default', 0],
  ['kube-public', 6],
  ['kube-node-lease', 6],
  ['ingress-nginx', 8],
  ['monitoring', 8],
  ['cert-manager', 12],
  ['ci', 12],
  ['argocd', 20],
];

function newNamespace(plan: ClusterPlan, random: Random, name: string, system: boolean, domain: string): NamespacePlan {
  const ageSeconds = system ? 720 * DAY_SECONDS : random.int(30, 700) * DAY_SECONDS + random.int(0, DAY_SECONDS);
  const ns: NamespacePlan = {
    name,
    uid: random.uuid(),
    createdAt: timestamp(ageSeconds),
    ageSeconds,
    seed: random.uint32(),
    system,
    domain,
    labels: {'kubernetes.io/metadata.name': name},
    labelStyle: 'recommended',
    networkPolicy: 'none',
    podBudget: 0,
    pullSecret: false,
    serviceAccounts: [],
    secrets: [],
    workloads: [],
    usedNames: new Set(),
  };
  addServiceAccount(ns, random, 'default');
  plan.namespaces.push(ns);
  plan.namespaceByName.set(name, ns);
  return ns;
}

function addServiceAccount(ns: NamespacePlan, random: Random, name: string, automount?: boolean): ServiceAccountPlan {
  const existing = ns.serviceAccounts.find((sa) => sa.name === name);
  if (existing) return existing;
  const sa: ServiceAccountPlan = {name, uid: random.uuid(), createdAt: timestamp(ns.ageSeconds - random.int(0, 3600))};
  if (automount !== undefined) sa.automount = automount;
  ns.serviceAccounts.push(sa);
  return sa;
}

/** A legacy token Secret (clusters older than 1.24 made one per account; CI still does). */
function addTokenSecret(ns: NamespacePlan, random: Random, sa: ServiceAccountPlan): void {
  if (sa.tokenSecret) return;
  sa.tokenSecret = uniqueSecretName(ns, `${sa.name}-token-${random.suffix()}`);
  ns.secrets.push({name: sa.tokenSecret, type: 'kubernetes.io/service-account-token', serviceAccount: sa});
}

function uniqueSecretName(ns: NamespacePlan, name: string): string {
  let candidate = name;
  for (let n = 2; ns.secrets.some((s) => s.name === candidate); n++) candidate = `${name}-${n}`;
  return candidate;
}

function addSecret(ns: NamespacePlan, name: string, type: SecretType): string {
  if (!ns.secrets.some((s) => s.name === name)) ns.secrets.push({name, type});
  return name;
}

function planNamespaces(plan: ClusterPlan, random: Random): void {
  const target = Math.max(3, Math.round(plan.options.pods / 100));
  for (const [name, from] of SYSTEM_NAMESPACES) {
    if (target < from && from > 0) continue;
    const ns = newNamespace(plan, random, name, true, name);
    ns.labels['pod-security.kubernetes.io/enforce'] = name === 'ingress-nginx' || name === 'cert-manager' ? 'baseline' : 'privileged';
    if (name === 'default') delete ns.labels['pod-security.kubernetes.io/enforce'];
    else ns.podSecurity = ns.labels['pod-security.kubernetes.io/enforce'] as PodSecurityLevel;
    if (name === 'ingress-nginx' || name === 'monitoring' || name === 'argocd') ns.labels['app.kubernetes.io/part-of'] = name;
  }
  const tenantCount = Math.max(1, target - plan.namespaces.length);
  const taken = new Set(plan.namespaces.map((ns) => ns.name));
  const domains = [...words.DOMAINS];
  for (let i = 0; i < tenantCount; i++) {
    const {name, domain, environment, tenant} = tenantNamespaceName(random, taken, domains, i);
    taken.add(name);
    const ns = newNamespace(plan, random, name, false, domain);
    ns.labels.team = tenant ? 'platform' : domain;
    if (tenant) ns.labels.tenant = tenant;
    if (environment) {
      ns.environment = environment;
      ns.labels.environment = environment;
    }
    if (random.chance(0.3)) ns.labels['cost-center'] = `cc-${random.int(1000, 9999)}`;
    const podSecurity = random.weighted<PodSecurityLevel | undefined>([
      [undefined, 50],
      ['restricted', 20],
      ['baseline', 25],
      ['privileged', 5],
    ]);
    if (podSecurity) {
      ns.podSecurity = podSecurity;
      ns.labels['pod-security.kubernetes.io/enforce'] = podSecurity;
      ns.labels['pod-security.kubernetes.io/enforce-version'] = 'latest';
    }
    ns.labelStyle = random.chance(0.6) ? 'recommended' : 'app';
    ns.networkPolicy = random.weighted<NetworkPolicyStyle>([
      ['none', 45],
      ['default-deny', 35],
      ['selected', 20],
    ]);
    ns.pullSecret = random.chance(0.3);
    if (ns.pullSecret) addSecret(ns, 'regcred', 'kubernetes.io/dockerconfigjson');
    if (random.chance(0.04)) {
      ns.riskyGrant = random.pick<RiskyGrant>(['default-sa-admin', 'secret-reader', 'pod-exec', 'namespace-cluster-admin']);
    }
    // Helm keeps each release revision as a Secret (the manifest, gzipped, in its data).
    for (let r = random.int(0, 2); r > 0; r--) {
      const release = `${domain}-${random.pick(['app', 'services', 'stack', 'chart'])}`;
      const revision = random.int(1, 40);
      for (let v = Math.max(1, revision - 1); v <= revision; v++) {
        const name = `sh.helm.release.v1.${release}.v${v}`;
        if (ns.secrets.some((s) => s.name === name)) continue;
        ns.secrets.push({
          name,
          type: 'helm.sh/release.v1',
          release: {name: release, revision: v, status: v === revision ? 'deployed' : 'superseded'},
        });
      }
    }
  }
  plan.namespaces.sort((a, b) => compare(a.name, b.name));
}

function tenantNamespaceName(
  random: Random,
  taken: ReadonlySet<string>,
  domains: readonly string[],
  index: number,
): {name: string; domain: string; environment?: string; tenant?: string} {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (random.chance(0.08)) {
      const tenant = random.pick(words.TENANTS);
      const name = `tenant-${tenant}`;
      if (!taken.has(name)) return {name, domain: 'storefront', tenant};
      continue;
    }
    const domain = random.pick(domains);
    const environment = random.weighted<string | undefined>([
      [undefined, 30],
      ['prod', 30],
      ['staging', 20],
      ['dev', 12],
      ['qa', 4],
      ['sandbox', 2],
      ['perf', 2],
    ]);
    let name = environment ? `${domain}-${environment}` : domain;
    if (attempt >= 4 || random.chance(0.1)) name = `${name}-${random.pick(words.REGIONS)}`;
    if (!taken.has(name)) return environment ? {name, domain, environment} : {name, domain};
  }
  // Thousands of namespaces exhaust the combinations: number the rest.
  const domain = domains[index % domains.length]!;
  let name = `${domain}-${index}`;
  for (let n = 2; taken.has(name); n++) name = `${domain}-${index}-${n}`;
  return {name, domain};
}

function uniqueWorkloadName(ns: NamespacePlan, name: string): string {
  let candidate = name;
  for (let n = 2; ns.usedNames.has(candidate); n++) candidate = `${name}-${n}`;
  ns.usedNames.add(candidate);
  return candidate;
}

interface WorkloadInit {
  kind: WorkloadKind;
  name: string;
  replicas: number;
  profile: Profile;
  role?: string;
  image: string;
  ports?: PortPlan[];
  serviceAccount?: string;
  service?: ServicePlan;
  selector?: Record<string, string>;
  labels?: Record<string, string>;
}

function newWorkload(plan: ClusterPlan, ns: NamespacePlan, random: Random, init: WorkloadInit): WorkloadPlan {
  const name = uniqueWorkloadName(ns, init.name);
  const ageSeconds = random.int(0, Math.max(1, ns.ageSeconds - 3600)) + 60;
  const selector = init.selector ?? selectorFor(ns, name);
  const workload: WorkloadPlan = {
    kind: init.kind,
    name,
    namespace: ns,
    uid: random.uuid(),
    seed: random.uint32(),
    replicas: init.replicas,
    profile: init.profile,
    role: init.role ?? init.profile,
    selector,
    labels: {...selector, ...(init.labels ?? {})},
    image: init.image,
    ports: init.ports ?? [],
    serviceAccount: init.serviceAccount ?? 'default',
    hardened: false,
    risks: [],
    createdAt: timestamp(ageSeconds),
    ageSeconds,
    hash: random.templateHash(),
    oldHashes: [],
    jobs: [],
  };
  if (init.service) workload.service = init.service;
  ns.workloads.push(workload);
  plan.podCount += podsOf(workload, plan);
  return workload;
}

function selectorFor(ns: NamespacePlan, name: string): Record<string, string> {
  return ns.labelStyle === 'recommended' ? {'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name} : {app: name};
}

interface SystemWorkload {
  namespace: string;
  kind: WorkloadKind;
  name: string;
  profile: Profile;
  /** Pods (or, for DaemonSets, the order they are given to the budget). */
  replicas: (plan: ClusterPlan) => number;
  /** Smallest cluster (in pods) that runs it. */
  minPods: number;
  serviceAccount?: string;
  image: string;
  ports?: PortPlan[];
  service?: ServicePlan;
  labels?: Record<string, string>;
  selector?: Record<string, string>;
}

const one = (): number => 1;

/** The add-ons a real cluster runs, in the order they are dropped last to first when pods are few. */
const SYSTEM_WORKLOADS: readonly SystemWorkload[] = [
  {
    namespace: 'kube-system',
    kind: 'Deployment',
    name: 'coredns',
    profile: 'coredns',
    replicas: (plan) => clamp(Math.ceil(plan.nodes.length / 200), 2, 12),
    minPods: 20,
    serviceAccount: 'coredns',
    image: 'registry.k8s.io/coredns/coredns:v1.11.3',
    ports: [
      {name: 'dns', containerPort: 53, protocol: 'UDP', servicePort: 53, namedTarget: true},
      {name: 'dns-tcp', containerPort: 53, protocol: 'TCP', servicePort: 53, namedTarget: true},
      {name: 'metrics', containerPort: 9153, protocol: 'TCP', servicePort: 9153},
    ],
    selector: {'k8s-app': 'kube-dns'},
    service: {name: 'kube-dns', type: 'ClusterIP'},
  },
  {
    namespace: 'ingress-nginx',
    kind: 'Deployment',
    name: 'ingress-nginx-controller',
    profile: 'ingress-nginx',
    replicas: (plan) => (plan.options.pods >= 100_000 ? 6 : plan.options.pods >= 10_000 ? 3 : 2),
    minPods: 300,
    serviceAccount: 'ingress-nginx',
    image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2',
    ports: [
      {name: 'http', containerPort: 80, protocol: 'TCP', servicePort: 80, namedTarget: true},
      {name: 'https', containerPort: 443, protocol: 'TCP', servicePort: 443, namedTarget: true},
      {name: 'webhook', containerPort: 8443, protocol: 'TCP'},
    ],
    service: {name: 'ingress-nginx-controller', type: 'LoadBalancer'},
  },
  {
    namespace: 'kube-system',
    kind: 'Deployment',
    name: 'metrics-server',
    profile: 'metrics-server',
    replicas: one,
    minPods: 150,
    serviceAccount: 'metrics-server',
    image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
    ports: [{name: 'https', containerPort: 10250, protocol: 'TCP', servicePort: 443, namedTarget: true}],
    service: {name: 'metrics-server', type: 'ClusterIP'},
  },
  {
    namespace: 'kube-system',
    kind: 'Deployment',
    name: 'calico-kube-controllers',
    profile: 'calico-kube-controllers',
    replicas: one,
    minPods: 150,
    serviceAccount: 'calico-kube-controllers',
    image: 'docker.io/calico/kube-controllers:v3.28.1',
  },
  {
    namespace: 'monitoring',
    kind: 'StatefulSet',
    name: 'prometheus-k8s',
    profile: 'prometheus',
    replicas: () => 2,
    minPods: 300,
    serviceAccount: 'prometheus-k8s',
    image: 'quay.io/prometheus/prometheus:v2.54.1',
    ports: [{name: 'web', containerPort: 9090, protocol: 'TCP', servicePort: 9090, namedTarget: true}],
    service: {name: 'prometheus-k8s', type: 'ClusterIP'},
  },
  {
    namespace: 'monitoring',
    kind: 'Deployment',
    name: 'kube-state-metrics',
    profile: 'kube-state-metrics',
    replicas: one,
    minPods: 300,
    serviceAccount: 'kube-state-metrics',
    image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0',
    ports: [{name: 'http-metrics', containerPort: 8080, protocol: 'TCP', servicePort: 8080, namedTarget: true}],
    service: {name: 'kube-state-metrics', type: 'ClusterIP'},
  },
  {
    namespace: 'monitoring',
    kind: 'Deployment',
    name: 'grafana',
    profile: 'grafana',
    replicas: one,
    minPods: 300,
    serviceAccount: 'grafana',
    image: 'docker.io/grafana/grafana:11.2.0',
    ports: [{name: 'http', containerPort: 3000, protocol: 'TCP', servicePort: 3000, namedTarget: true}],
    service: {name: 'grafana', type: 'ClusterIP', ingressHost: 'grafana'},
  },
  {
    namespace: 'monitoring',
    kind: 'StatefulSet',
    name: 'alertmanager-main',
    profile: 'alertmanager',
    replicas: () => 3,
    minPods: 1000,
    serviceAccount: 'alertmanager-main',
    image: 'quay.io/prometheus/alertmanager:v0.27.0',
    ports: [{name: 'web', containerPort: 9093, protocol: 'TCP', servicePort: 9093, namedTarget: true}],
    service: {name: 'alertmanager-main', type: 'ClusterIP'},
  },
  {
    namespace: 'cert-manager',
    kind: 'Deployment',
    name: 'cert-manager',
    profile: 'cert-manager',
    replicas: one,
    minPods: 1000,
    serviceAccount: 'cert-manager',
    image: 'quay.io/jetstack/cert-manager-controller:v1.15.3',
    ports: [{name: 'http-metrics', containerPort: 9402, protocol: 'TCP'}],
  },
  {
    namespace: 'cert-manager',
    kind: 'Deployment',
    name: 'cert-manager-cainjector',
    profile: 'cert-manager-cainjector',
    replicas: one,
    minPods: 1000,
    serviceAccount: 'cert-manager-cainjector',
    image: 'quay.io/jetstack/cert-manager-cainjector:v1.15.3',
  },
  {
    namespace: 'cert-manager',
    kind: 'Deployment',
    name: 'cert-manager-webhook',
    profile: 'cert-manager-webhook',
    replicas: one,
    minPods: 1000,
    serviceAccount: 'cert-manager-webhook',
    image: 'quay.io/jetstack/cert-manager-webhook:v1.15.3',
    ports: [{name: 'https', containerPort: 10250, protocol: 'TCP', servicePort: 443, namedTarget: true}],
    service: {name: 'cert-manager-webhook', type: 'ClusterIP'},
  },
  {
    namespace: 'ci',
    kind: 'Deployment',
    name: 'gitlab-runner',
    profile: 'gitlab-runner',
    replicas: one,
    minPods: 1000,
    serviceAccount: 'gitlab-runner',
    image: 'registry.gitlab.com/gitlab-org/gitlab-runner:v17.3.1',
    ports: [{name: 'metrics', containerPort: 9252, protocol: 'TCP'}],
  },
  {
    namespace: 'argocd',
    kind: 'Deployment',
    name: 'argocd-server',
    profile: 'argocd-server',
    replicas: (plan) => (plan.options.pods >= 100_000 ? 2 : 1),
    minPods: 2000,
    serviceAccount: 'argocd-server',
    image: 'quay.io/argoproj/argocd:v2.12.3',
    ports: [
      {name: 'server', containerPort: 8080, protocol: 'TCP', servicePort: 443, namedTarget: true},
      {name: 'metrics', containerPort: 8083, protocol: 'TCP'},
    ],
    service: {name: 'argocd-server', type: 'ClusterIP', ingressHost: 'argocd'},
  },
  {
    namespace: 'argocd',
    kind: 'Deployment',
    name: 'argocd-repo-server',
    profile: 'argocd-repo-server',
    replicas: one,
    minPods: 2000,
    image: 'quay.io/argoproj/argocd:v2.12.3',
    ports: [{name: 'server', containerPort: 8081, protocol: 'TCP', servicePort: 8081, namedTarget: true}],
    service: {name: 'argocd-repo-server', type: 'ClusterIP'},
  },
  {
    namespace: 'argocd',
    kind: 'Deployment',
    name: 'argocd-redis',
    profile: 'argocd-redis',
    replicas: one,
    minPods: 2000,
    image: 'docker.io/library/redis:7.2.5-alpine',
    ports: [{name: 'redis', containerPort: 6379, protocol: 'TCP', servicePort: 6379}],
    service: {name: 'argocd-redis', type: 'ClusterIP'},
  },
  {
    namespace: 'argocd',
    kind: 'StatefulSet',
    name: 'argocd-application-controller',
    profile: 'argocd-application-controller',
    replicas: one,
    minPods: 2000,
    serviceAccount: 'argocd-application-controller',
    image: 'quay.io/argoproj/argocd:v2.12.3',
    ports: [{name: 'metrics', containerPort: 8082, protocol: 'TCP'}],
  },
  {
    namespace: 'kube-system',
    kind: 'Deployment',
    name: 'kubernetes-dashboard',
    profile: 'kubernetes-dashboard',
    replicas: one,
    minPods: 3000,
    serviceAccount: 'kubernetes-dashboard',
    image: 'docker.io/kubernetesui/dashboard:v2.7.0',
    ports: [{name: 'https', containerPort: 8443, protocol: 'TCP', servicePort: 443, namedTarget: false}],
    service: {name: 'kubernetes-dashboard', type: 'ClusterIP'},
    labels: {'k8s-app': 'kubernetes-dashboard'},
  },
];

/** DaemonSets, in the order they join: each adds one pod per node. */
const DAEMON_SETS: readonly SystemWorkload[] = [
  {
    namespace: 'kube-system',
    kind: 'DaemonSet',
    name: 'kube-proxy',
    profile: 'kube-proxy',
    replicas: one,
    minPods: 0,
    serviceAccount: 'kube-proxy',
    image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
  },
  {
    namespace: 'kube-system',
    kind: 'DaemonSet',
    name: 'calico-node',
    profile: 'calico-node',
    replicas: one,
    minPods: 0,
    serviceAccount: 'calico-node',
    image: 'docker.io/calico/node:v3.28.1',
  },
  {
    namespace: 'monitoring',
    kind: 'DaemonSet',
    name: 'node-exporter',
    profile: 'node-exporter',
    replicas: one,
    minPods: 0,
    serviceAccount: 'node-exporter',
    image: 'quay.io/prometheus/node-exporter:v1.8.2',
    ports: [{name: 'metrics', containerPort: 9100, protocol: 'TCP'}],
  },
];

const STATIC_PODS: ReadonlyArray<readonly [Profile, string]> = [
  ['etcd', 'registry.k8s.io/etcd:3.5.15-0'],
  ['kube-apiserver', `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`],
  ['kube-controller-manager', `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`],
  ['kube-scheduler', `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`],
];

/** Share of the pods that system components may take; tenants get the rest. */
const SYSTEM_SHARE = 0.3;
const DAEMONSET_SHARE = 0.1;

function planSystemWorkloads(plan: ClusterPlan, random: Random): void {
  const pods = plan.options.pods;
  const nodeCount = plan.nodes.length;
  const systemNs = (name: string): NamespacePlan | undefined => plan.namespaceByName.get(name);
  const kubeSystem = systemNs('kube-system')!;

  // DaemonSets put one pod on every node; keep them to a tenth of the pods.
  const daemonSets = DAEMON_SETS.filter((d) => systemNs(d.namespace)).slice(
    0,
    Math.min(3, Math.floor((DAEMONSET_SHARE * pods) / nodeCount)),
  );
  const chosen: SystemWorkload[] = [...daemonSets];
  let used = daemonSets.length * nodeCount;
  const staticPods = pods >= 250 ? STATIC_PODS.length * plan.controlPlanes.length : 0;
  used += staticPods;
  for (const candidate of SYSTEM_WORKLOADS) {
    if (pods < candidate.minPods || !systemNs(candidate.namespace)) continue;
    const replicas = candidate.replicas(plan);
    if (used + replicas > SYSTEM_SHARE * pods) continue;
    chosen.push(candidate);
    used += replicas;
  }

  for (const candidate of chosen) {
    const ns = systemNs(candidate.namespace)!;
    const sa = candidate.serviceAccount ? addServiceAccount(ns, random, candidate.serviceAccount) : undefined;
    const init: WorkloadInit = {
      kind: candidate.kind,
      name: candidate.name,
      replicas: candidate.kind === 'DaemonSet' ? nodeCount : candidate.replicas(plan),
      profile: candidate.profile,
      image: candidate.image,
      selector: candidate.selector ?? systemSelector(candidate),
    };
    if (candidate.labels) init.labels = candidate.labels;
    if (candidate.ports) init.ports = candidate.ports;
    if (sa) init.serviceAccount = sa.name;
    if (candidate.service) init.service = {...candidate.service};
    newWorkload(plan, ns, random, init);
    if (candidate.profile === 'kubernetes-dashboard' && sa) addTokenSecret(ns, random, sa);
  }

  // CI build pods: GitLab's Kubernetes executor runs docker-in-docker, privileged, without a controller.
  const ciNs = systemNs('ci');
  if (ciNs && pods >= 1000 && used + 2 <= SYSTEM_SHARE * pods) {
    for (let i = 0; i < 2; i++) {
      const name = `runner-${random.suffix(8)}-project-${random.int(100, 9999)}-concurrent-${i}`;
      newWorkload(plan, ciNs, random, {
        kind: 'Pod',
        name,
        replicas: 1,
        profile: 'ci-build',
        image: 'docker.io/library/docker:27.1',
        selector: {pod: name},
      });
    }
    addSecret(ciNs, 'gitlab-runner', 'Opaque');
  }

  if (staticPods > 0) {
    for (const node of plan.controlPlanes) {
      for (const [profile, image] of STATIC_PODS) {
        // Mirror pods of the kubelet's static manifests are named after their node.
        const workload = newWorkload(plan, kubeSystem, random, {
          kind: 'StaticPod',
          name: `${profile}-${node.name}`,
          replicas: 1,
          profile,
          image,
          selector: {component: profile, tier: 'control-plane'},
        });
        workload.node = node;
      }
    }
  }

  // Accounts that RBAC grants name even where no pod runs as them.
  const ci = systemNs('ci');
  if (ci) addTokenSecret(ci, random, addServiceAccount(ci, random, 'deployer'));
  for (const name of [
    'backup-agent',
    'bootstrap-signer',
    'calico-kube-controllers',
    'calico-node',
    'coredns',
    'deployment-controller',
    'generic-garbage-collector',
    'kube-proxy',
    'metrics-server',
    'namespace-controller',
    'replicaset-controller',
  ]) {
    addServiceAccount(kubeSystem, random, name);
  }
  if (plan.namespaceByName.has('argocd'))
    addServiceAccount(plan.namespaceByName.get('argocd')!, random, 'argocd-applicationset-controller');
  addSecret(kubeSystem, 'bootstrap-token-abcdef', 'Opaque');
  if (plan.namespaceByName.has('cert-manager')) addSecret(plan.namespaceByName.get('cert-manager')!, 'cert-manager-webhook-ca', 'Opaque');
  if (plan.namespaceByName.has('ingress-nginx')) addSecret(plan.namespaceByName.get('ingress-nginx')!, 'ingress-nginx-admission', 'Opaque');
  if (plan.namespaceByName.has('monitoring')) {
    const monitoring = plan.namespaceByName.get('monitoring')!;
    addSecret(monitoring, 'grafana', 'Opaque');
    addSecret(monitoring, 'alertmanager-main', 'Opaque');
  }
  if (plan.namespaceByName.has('argocd')) addSecret(plan.namespaceByName.get('argocd')!, 'argocd-secret', 'Opaque');
  if (chosen.some((w) => w.profile === 'kubernetes-dashboard')) addSecret(kubeSystem, 'kubernetes-dashboard-certs', 'Opaque');
}

function systemSelector(workload: SystemWorkload): Record<string, string> {
  if (workload.namespace === 'kube-system') return {'k8s-app': workload.name};
  return {'app.kubernetes.io/name': workload.name, 'app.kubernetes.io/part-of': workload.namespace};
}

/** Splits `total` by weight into integers that add up to it exactly (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => (total * w) / sum);
  const result = shares.map(Math.floor);
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = shares.map((s, i) => [s - Math.floor(s), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) result[order[k]![1]]! += 1;
  return result;
}

const DEPLOYMENT_REPLICAS: ReadonlyArray<readonly [number, number]> = [
  [1, 22],
  [2, 22],
  [3, 18],
  [4, 8],
  [5, 7],
  [6, 5],
  [7, 3],
  [8, 4],
  [9, 3],
  [10, 8],
];
const STATEFUL_REPLICAS: ReadonlyArray<readonly [number, number]> = [
  [1, 35],
  [2, 10],
  [3, 45],
  [5, 10],
];
const LANGUAGE_PORTS: Record<string, number> = {go: 8080, java: 8080, node: 3000, python: 8000, rust: 8080, dotnet: 5000};

function planTenantWorkloads(plan: ClusterPlan, random: Random): void {
  const budget = plan.options.pods - plan.podCount;
  const tenants = plan.namespaces.filter((ns) => !ns.system || ns.name === 'default');
  // Team sizes are skewed: a few namespaces hold many pods, many hold a few.
  const weights = tenants.map((ns) => (ns.name === 'default' ? 0.15 : Math.exp(0.9 * random.gaussian())));
  const budgets = apportion(budget, weights);
  tenants.forEach((ns, i) => (ns.podBudget = budgets[i]!));

  for (const ns of tenants) {
    let remaining = ns.podBudget;
    while (remaining > 0) {
      const kind = random.weighted<WorkloadKind>([
        ['Deployment', 80],
        ['StatefulSet', 9],
        ['CronJob', 8],
        ['Pod', 3],
      ]);
      const wanted =
        kind === 'Deployment'
          ? random.weighted(DEPLOYMENT_REPLICAS)
          : kind === 'StatefulSet'
            ? random.weighted(STATEFUL_REPLICAS)
            : kind === 'CronJob'
              ? random.int(1, 3)
              : 1;
      const replicas = Math.min(wanted, remaining);
      remaining -= replicas;
      tenantWorkload(plan, ns, random, kind, replicas);
    }
    // Some Deployments are scaled to zero: their ReplicaSets are kept, with no pods.
    if (ns.podBudget > 0 && random.chance(0.05)) tenantWorkload(plan, ns, random, 'Deployment', 0);
  }
}

function tenantWorkload(plan: ClusterPlan, ns: NamespacePlan, random: Random, kind: WorkloadKind, replicas: number): WorkloadPlan {
  const component = (): string => (random.chance(0.45) ? ns.domain : random.pick(words.COMPONENTS));
  const language = random.pick(words.LANGUAGES);
  const version = random.chance(0.7) ? `${random.int(0, 4)}.${random.int(0, 30)}.${random.int(0, 20)}` : `sha-${random.hex(7)}`;
  const appImage = (name: string): string => `${plan.registry}/${ns.domain}/${name}:${version}`;
  let workload: WorkloadPlan;
  switch (kind) {
    case 'StatefulSet': {
      const [store, image, port, portName] = random.pick(words.DATASTORES);
      const name = random.chance(0.5) ? store : `${component()}-${store}`;
      workload = newWorkload(plan, ns, random, {
        kind,
        name,
        replicas,
        profile: 'datastore',
        role: store,
        image,
        ports: [{name: portName, containerPort: port, protocol: 'TCP', servicePort: port, namedTarget: random.chance(0.5)}],
      });
      // Named after the workload as finally named (`redis-2` when `redis` was taken).
      workload.service = {name: workload.name, type: 'ClusterIP', headlessName: `${workload.name}-headless`};
      workload.envSecret = addSecret(ns, workload.name, 'Opaque');
      break;
    }
    case 'CronJob': {
      const name = `${component()}-${random.pick(words.CRON_TASKS)}`;
      workload = newWorkload(plan, ns, random, {kind, name, replicas, profile: 'cron', role: 'job', image: appImage(name)});
      workload.schedule = random.pick(words.CRON_SCHEDULES);
      // Job names carry the scheduled time in minutes since the epoch; the latest is still running.
      const minutes = Math.floor(BASE_TIME_MS / 60_000);
      const spacing = random.pick([15, 60, 360, 1440]);
      for (let j = replicas - 1; j >= 0; j--) {
        const ageSeconds = j * spacing * 60 + random.int(5, 300);
        workload.jobs.push({name: `${workload.name}-${minutes - j * spacing}`, uid: random.uuid(), ageSeconds});
      }
      if (random.chance(0.4)) workload.envSecret = addSecret(ns, `${workload.name}-credentials`, 'Opaque');
      break;
    }
    case 'Pod': {
      const [base, image] = random.pick(words.ADHOC_PODS);
      const name = random.chance(0.6) ? `${base}-${random.pick(words.ENGINEERS)}` : base;
      workload = newWorkload(plan, ns, random, {kind, name, replicas: 1, profile: 'adhoc', role: 'adhoc', image, selector: {run: name}});
      break;
    }
    default: {
      const serving = random.chance(0.6);
      const role = serving ? random.pick(words.SERVING_ROLES) : random.pick(words.BACKGROUND_ROLES);
      const base = component();
      const ports: PortPlan[] = [];
      if (serving) {
        const port = role === 'grpc' ? 9090 : (LANGUAGE_PORTS[language] ?? 8080);
        ports.push({
          name: role === 'grpc' ? 'grpc' : 'http',
          containerPort: port,
          protocol: 'TCP',
          servicePort: role === 'grpc' ? 9090 : 80,
          namedTarget: random.chance(0.5),
        });
      }
      if (random.chance(serving ? 0.4 : 0.5))
        ports.push({name: 'metrics', containerPort: 9102, protocol: 'TCP', servicePort: 9102, namedTarget: true});
      workload = newWorkload(plan, ns, random, {
        kind: 'Deployment',
        name: `${base}-${role}`,
        replicas,
        profile: 'app',
        role,
        image: appImage(`${base}-${role}`),
        ports,
        labels: random.chance(0.25)
          ? ns.labelStyle === 'recommended'
            ? {'app.kubernetes.io/component': role, 'app.kubernetes.io/part-of': ns.domain}
            : {tier: serving ? 'frontend' : 'backend'}
          : {},
      });
      if (serving) {
        const type = random.weighted<ServicePlan['type']>([
          ['ClusterIP', 92],
          ['NodePort', 5],
          ['LoadBalancer', 3],
        ]);
        workload.service = {name: workload.name, type};
        const public_ = ['web', 'frontend', 'api', 'gateway', 'bff', 'webhook'].includes(role);
        if (public_ && ns.environment !== 'dev' && random.chance(0.35)) workload.service.ingressHost = `${workload.name}.${ns.name}`;
      } else if (ports.length > 0 && random.chance(0.3)) {
        workload.service = {name: `${workload.name}-metrics`, type: 'ClusterIP'};
      }
      if (random.chance(0.35)) workload.envSecret = addSecret(ns, `${workload.name}-db`, 'Opaque');
      if (random.chance(0.2)) workload.envFromSecret = addSecret(ns, `${workload.name}-env`, 'Opaque');
      if (random.chance(0.1)) workload.volumeSecret = addSecret(ns, `${workload.name}-tls`, 'kubernetes.io/tls');
      if (random.chance(0.12)) workload.sidecar = random.pick(words.SIDECARS);
      // Deployments keep earlier ReplicaSets (revisionHistoryLimit) scaled to zero.
      for (
        let r = random.weighted<number>([
          [0, 75],
          [1, 20],
          [2, 5],
        ]);
        r > 0;
        r--
      )
        workload.oldHashes.push(random.templateHash());
    }
  }

  // Service names share the namespace with workload names; keep later workloads off them.
  if (workload.service) ns.usedNames.add(workload.service.name);
  if (workload.service?.headlessName) ns.usedNames.add(workload.service.headlessName);

  // Identity: about half the workloads get an account of their own.
  if (kind !== 'Pod' && random.chance(kind === 'Deployment' ? 0.6 : 0.5)) {
    const sa = addServiceAccount(ns, random, workload.name, random.chance(0.15) ? false : undefined);
    workload.serviceAccount = sa.name;
    if (random.chance(0.08)) addTokenSecret(ns, random, sa);
  }
  if (random.chance(0.1)) workload.automount = false;

  // Pod Security admission would reject host access in restricted and baseline namespaces.
  workload.hardened = ns.podSecurity === 'restricted' || random.chance(0.35);
  const mayBeRisky = ns.podSecurity !== 'restricted' && ns.podSecurity !== 'baseline';
  const riskChance = kind === 'Pod' ? 0.35 : kind === 'Deployment' ? 0.015 : kind === 'CronJob' ? 0.02 : 0;
  if (mayBeRisky && random.chance(riskChance)) {
    workload.hardened = false;
    workload.risks.push(kind === 'CronJob' ? 'docker-sock' : random.pick(RISKS));
    if (random.chance(0.25)) {
      const second = random.pick(RISKS);
      if (!workload.risks.includes(second)) workload.risks.push(second);
    }
  }
  return workload;
}
