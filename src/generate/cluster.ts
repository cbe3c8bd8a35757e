/**
 * kubepath cluster generator
 * ==========================
 *
 * Generates a live-looking cluster, deterministically from a seed, as the items of
 * one `kubectl get -o json` List: exactly the number of pods asked for, with the
 * nodes, namespaces, controllers, services, policies, RBAC and secret metadata
 * around them. Items are yielded one at a time, grouped by kind, so that the
 * largest cluster Kubernetes supports streams to disk in bounded memory.
 */
import {meta, controllerRef, ResourceVersions, type Json, type KubeObject} from './objects.js';
import {
  MAX_SUPPORTED_PODS,
  planCluster,
  podsOf,
  PODS_PER_NODE_LIMIT,
  timestamp,
  type ClusterPlan,
  type GenerateOptions,
  type NodePlan,
  type WorkloadPlan,
} from './plan.js';
import {Random} from './random.js';
import {clusterRoleBindingObjects, clusterRoleObjects, roleBindingObjects, roleObjects} from './rbac.js';
import {ingressObjects, networkPolicyObjects, serviceObjects} from './network.js';
import {assembleSpec, podTemplate, type PodPlacement, type PodTemplate} from './templates.js';

export type {GenerateOptions, KubeObject};
export {MAX_SUPPORTED_PODS};

/** Each pass over the plan draws from its own stream, so passes never shift each other. */
const PASS = {
  namespaces: 101,
  nodes: 102,
  serviceAccounts: 103,
  secrets: 104,
  rbac: 105,
  controllers: 106,
  pods: 107,
  services: 108,
  ingresses: 109,
  networkPolicies: 110,
} as const;

/**
 * Every object of the cluster, in List order: cluster-scoped kinds, then accounts,
 * secrets and RBAC, the controllers, the pods, and the network objects.
 */
export function* generateCluster(options: GenerateOptions): Generator<KubeObject> {
  const plan = planCluster(options);
  const pass = (stream: number): [Random, ResourceVersions] => {
    const random = new Random(options.seed, stream);
    return [random, new ResourceVersions(random)];
  };
  yield* namespaceObjects(plan, ...pass(PASS.namespaces));
  yield* nodeObjects(plan, ...pass(PASS.nodes));
  yield* serviceAccountObjects(plan, pass(PASS.serviceAccounts)[1]);
  yield* secretObjects(plan, ...pass(PASS.secrets));
  const [rbacRandom, rbacVersions] = pass(PASS.rbac);
  yield* clusterRoleObjects(plan, rbacRandom, rbacVersions);
  yield* clusterRoleBindingObjects(plan, rbacRandom, rbacVersions);
  yield* roleObjects(plan, rbacRandom, rbacVersions);
  yield* roleBindingObjects(plan, rbacRandom, rbacVersions);
  yield* controllerObjects(plan, ...pass(PASS.controllers));
  yield* podObjects(plan, ...pass(PASS.pods));
  yield* serviceObjects(plan, ...pass(PASS.services));
  yield* ingressObjects(plan, ...pass(PASS.ingresses));
  yield* networkPolicyObjects(plan, ...pass(PASS.networkPolicies));
}

/**
 * The cluster as the text of one `kind: List` document, in pieces: one item per
 * line, so that a consumer can write it out without ever holding it whole.
 */
export function* listDocumentChunks(items: Iterable<KubeObject>): Generator<string> {
  yield '{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[\n';
  let first = true;
  for (const item of items) {
    yield first ? JSON.stringify(item) : `,\n${JSON.stringify(item)}`;
    first = false;
  }
  yield '\n]}\n';
}

function* namespaceObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  for (const ns of plan.namespaces) {
    const annotations: Record<string, string> = {};
    if (!ns.system && random.chance(0.5)) annotations.owner = `${ns.labels.team ?? ns.domain}@${plan.dnsZone}`;
    yield {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta({name: ns.name, uid: ns.uid, createdAt: ns.createdAt, labels: ns.labels, annotations}, versions),
      spec: {finalizers: ['kubernetes']},
      status: {phase: 'Active'},
    };
  }
}

/** vCPUs and memory (GiB) of the instance types node pools use. */
const INSTANCE_SIZES: Record<string, readonly [number, number]> = {
  'm6i.xlarge': [4, 16],
  'm6i.2xlarge': [8, 32],
  'm6i.4xlarge': [16, 64],
  'm7i.2xlarge': [8, 32],
  'c6i.4xlarge': [16, 32],
  'c7i.4xlarge': [16, 32],
  'r6i.2xlarge': [8, 64],
  'r6i.4xlarge': [16, 128],
  'm5.2xlarge': [8, 32],
  'm5a.2xlarge': [8, 32],
  'm6a.2xlarge': [8, 32],
};

function* nodeObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  // Pod capacity follows the density the plan needs (the kubelet's --max-pods).
  const maxPods = plan.options.pods / Math.max(1, plan.workers.length) > 80 ? '250' : '110';
  for (const node of plan.nodes) {
    const [cpu, memoryGi] = INSTANCE_SIZES[node.instanceType] ?? [8, 32];
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': node.name,
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': node.instanceType,
      'topology.kubernetes.io/region': plan.region,
      'topology.kubernetes.io/zone': node.zone,
      'node-pool': node.pool,
    };
    if (node.controlPlane) {
      labels['node-role.kubernetes.io/control-plane'] = '';
      labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    } else if (node.pool === 'spot') {
      labels['node.kubernetes.io/lifecycle'] = 'spot';
    }
    const spec: Json = {podCIDR: node.podCIDR, podCIDRs: [node.podCIDR], providerID: `aws:///${node.zone}/i-0${random.hex(16)}`};
    if (node.controlPlane) spec.taints = [{key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'}];
    const allocatableMemoryKi = memoryGi * 1024 * 1024 - 800 * 1024;
    yield {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(
        {
          name: node.name,
          uid: node.uid,
          createdAt: node.createdAt,
          labels,
          annotations: {'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true'},
        },
        versions,
      ),
      spec,
      status: {
        capacity: {cpu: String(cpu), 'ephemeral-storage': '104845292Ki', memory: `${memoryGi * 1024 * 1024}Ki`, pods: maxPods},
        allocatable: {cpu: `${cpu * 1000 - 90}m`, 'ephemeral-storage': '95551679124', memory: `${allocatableMemoryKi}Ki`, pods: maxPods},
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: timestamp(random.int(1, 40)),
            lastTransitionTime: node.createdAt,
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          },
        ],
        addresses: [
          {type: 'InternalIP', address: node.internalIP},
          {type: 'InternalDNS', address: node.name},
          {type: 'Hostname', address: node.name},
        ],
        daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
        nodeInfo: {
          machineID: random.hex(32),
          systemUUID: `ec2${random.hex(5)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
          bootID: random.uuid(),
          kernelVersion: '6.1.102-111.182.amzn2023.x86_64',
          osImage: 'Amazon Linux 2023.5.20240819',
          containerRuntimeVersion: 'containerd://1.7.20',
          kubeletVersion: node.kubeletVersion,
          kubeProxyVersion: node.kubeletVersion,
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    };
  }
}

function* serviceAccountObjects(plan: ClusterPlan, versions: ResourceVersions): Generator<KubeObject> {
  for (const ns of plan.namespaces) {
    for (const sa of ns.serviceAccounts) {
      const object: KubeObject = {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: meta({name: sa.name, namespace: ns.name, uid: sa.uid, createdAt: sa.createdAt}, versions),
      };
      if (sa.automount !== undefined) object.automountServiceAccountToken = sa.automount;
      if (sa.tokenSecret) object.secrets = [{name: sa.tokenSecret}];
      yield object;
    }
  }
}

/** Secret metadata only: a real dump would carry data, which kubepath never reads. */
function* secretObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  for (const ns of plan.namespaces) {
    for (const secret of ns.secrets) {
      let labels: Record<string, string> | undefined;
      let annotations: Record<string, string> | undefined;
      let createdAt = timestamp(random.int(60, ns.ageSeconds));
      if (secret.serviceAccount) {
        annotations = {
          'kubernetes.io/service-account.name': secret.serviceAccount.name,
          'kubernetes.io/service-account.uid': secret.serviceAccount.uid,
        };
        createdAt = secret.serviceAccount.createdAt;
      } else if (secret.release) {
        labels = {
          modifiedAt: String(1_700_000_000 + random.int(0, 40_000_000)),
          name: secret.release.name,
          owner: 'helm',
          status: secret.release.status,
          version: String(secret.release.revision),
        };
      } else if (secret.type === 'kubernetes.io/tls') {
        const name = secret.name.replace(/-tls$/, '');
        annotations = {
          'cert-manager.io/certificate-name': name,
          'cert-manager.io/issuer-kind': 'ClusterIssuer',
          'cert-manager.io/issuer-name': 'letsencrypt-prod',
          'cert-manager.io/common-name': `${name}.${plan.dnsZone}`,
        };
        labels = {'controller.cert-manager.io/fao': 'true'};
      }
      yield {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta({name: secret.name, namespace: ns.name, uid: random.uuid(), createdAt, labels, annotations}, versions),
        type: secret.type,
      };
    }
  }
}

/** The uid of a Deployment's ReplicaSet: 0 is the current one, 1.. the older ones. */
function replicaSetUid(workload: WorkloadPlan, revision: number): string {
  return new Random(workload.seed, 50 + revision).uuid();
}

function templateJson(template: PodTemplate, extraLabels?: Record<string, string>): Json {
  const metadata: Json = {labels: extraLabels ? {...template.labels, ...extraLabels} : template.labels};
  if (template.annotations) metadata.annotations = template.annotations;
  return {metadata, spec: assembleSpec(template.parts)};
}

/** An older revision's template: the same pods with an earlier image tag. */
function previousTemplate(template: PodTemplate, revision: number): PodTemplate {
  const containers = template.parts.containers.map((c, i) => {
    if (i > 0 || typeof c.image !== 'string') return c;
    const colon = c.image.lastIndexOf(':');
    return colon < 0 ? c : {...c, image: `${c.image.slice(0, colon)}:previous-${revision}`};
  });
  return {...template, parts: {...template.parts, containers}};
}

function* controllerObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  const workloads = (kind: WorkloadPlan['kind']): WorkloadPlan[] =>
    plan.namespaces.flatMap((ns) => ns.workloads.filter((w) => w.kind === kind));
  const deployments = workloads('Deployment');
  for (const w of deployments) yield deploymentObject(w, podTemplate(w, plan), versions);
  for (const w of deployments) yield* replicaSetObjects(w, podTemplate(w, plan), versions);
  for (const w of workloads('StatefulSet')) yield statefulSetObject(w, podTemplate(w, plan), versions);
  for (const w of workloads('DaemonSet')) yield daemonSetObject(w, podTemplate(w, plan), plan.nodes.length, versions);
  const cronJobs = workloads('CronJob');
  for (const w of cronJobs) yield cronJobObject(w, podTemplate(w, plan), versions);
  for (const w of cronJobs) yield* jobObjects(w, podTemplate(w, plan), versions, random);
}

function deploymentObject(w: WorkloadPlan, template: PodTemplate, versions: ResourceVersions): KubeObject {
  const revision = w.oldHashes.length + 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(
      {
        name: w.name,
        namespace: w.namespace.name,
        uid: w.uid,
        generation: revision,
        createdAt: w.createdAt,
        labels: w.labels,
        annotations: {'deployment.kubernetes.io/revision': String(revision)},
      },
      versions,
    ),
    spec: {
      replicas: w.replicas,
      selector: {matchLabels: w.selector},
      template: templateJson(template),
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}},
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status:
      w.replicas === 0
        ? {observedGeneration: revision}
        : {
            observedGeneration: revision,
            replicas: w.replicas,
            updatedReplicas: w.replicas,
            readyReplicas: w.replicas,
            availableReplicas: w.replicas,
          },
  };
}

function* replicaSetObjects(w: WorkloadPlan, template: PodTemplate, versions: ResourceVersions): Generator<KubeObject> {
  // Oldest first; the current one (revision = count) holds the pods.
  const hashes = [...w.oldHashes, w.hash];
  for (let i = 0; i < hashes.length; i++) {
    const hash = hashes[i]!;
    const current = i === hashes.length - 1;
    const revision = i + 1;
    const replicas = current ? w.replicas : 0;
    const labels = {...template.labels, 'pod-template-hash': hash};
    const age = current ? Math.min(w.ageSeconds, 86_400 * 14) : Math.round(w.ageSeconds * (1 - i / hashes.length));
    yield {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(
        {
          name: `${w.name}-${hash}`,
          namespace: w.namespace.name,
          uid: replicaSetUid(w, current ? 0 : revision),
          generation: current ? 1 : 2,
          createdAt: timestamp(age),
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(w.replicas),
            'deployment.kubernetes.io/max-replicas': String(w.replicas + Math.ceil(w.replicas / 4)),
            'deployment.kubernetes.io/revision': String(revision),
          },
          ownerReferences: [controllerRef('apps/v1', 'Deployment', w.name, w.uid)],
        },
        versions,
      ),
      spec: {
        replicas,
        selector: {matchLabels: {...w.selector, 'pod-template-hash': hash}},
        template: templateJson(current ? template : previousTemplate(template, revision), {'pod-template-hash': hash}),
      },
      status:
        replicas === 0
          ? {replicas: 0, observedGeneration: 2}
          : {replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1},
    };
  }
}

function statefulSetObject(w: WorkloadPlan, template: PodTemplate, versions: ResourceVersions): KubeObject {
  const spec: Json = {
    replicas: w.replicas,
    selector: {matchLabels: w.selector},
    template: templateJson(template),
    serviceName: w.service?.headlessName ?? w.service?.name ?? w.name,
    podManagementPolicy: 'OrderedReady',
    updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 0}},
    revisionHistoryLimit: 10,
  };
  if (template.claimTemplates) {
    spec.volumeClaimTemplates = template.claimTemplates.map((claim) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name: claim.name},
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'gp3',
        resources: {requests: {storage: claim.storage}},
        volumeMode: 'Filesystem',
      },
    }));
  }
  const revision = `${w.name}-${w.hash}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(
      {name: w.name, namespace: w.namespace.name, uid: w.uid, generation: 1, createdAt: w.createdAt, labels: w.labels},
      versions,
    ),
    spec,
    status: {
      observedGeneration: 1,
      replicas: w.replicas,
      readyReplicas: w.replicas,
      currentReplicas: w.replicas,
      updatedReplicas: w.replicas,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: w.replicas,
    },
  };
}

function daemonSetObject(w: WorkloadPlan, template: PodTemplate, nodes: number, versions: ResourceVersions): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(
      {
        name: w.name,
        namespace: w.namespace.name,
        uid: w.uid,
        generation: 1,
        createdAt: w.createdAt,
        labels: w.labels,
        annotations: {'deprecated.daemonset.template.generation': '1'},
      },
      versions,
    ),
    spec: {
      selector: {matchLabels: w.selector},
      template: templateJson(template),
      updateStrategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 1, maxSurge: 0}},
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: nodes,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes,
      numberReady: nodes,
      observedGeneration: 1,
      updatedNumberScheduled: nodes,
      numberAvailable: nodes,
    },
  };
}

function cronJobObject(w: WorkloadPlan, template: PodTemplate, versions: ResourceVersions): KubeObject {
  const latest = w.jobs[w.jobs.length - 1];
  const status: Json = {};
  if (latest) status.lastScheduleTime = timestamp(latest.ageSeconds);
  if (w.jobs.length > 1) status.lastSuccessfulTime = timestamp(w.jobs[w.jobs.length - 2]!.ageSeconds - 90);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(
      {name: w.name, namespace: w.namespace.name, uid: w.uid, generation: 1, createdAt: w.createdAt, labels: w.labels},
      versions,
    ),
    spec: {
      schedule: w.schedule,
      concurrencyPolicy: 'Forbid',
      suspend: false,
      jobTemplate: {metadata: {}, spec: {backoffLimit: 2, template: templateJson(template)}},
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    },
    status,
  };
}

function jobLabels(job: {name: string; uid: string}): Record<string, string> {
  return {
    'batch.kubernetes.io/controller-uid': job.uid,
    'batch.kubernetes.io/job-name': job.name,
    'controller-uid': job.uid,
    'job-name': job.name,
  };
}

function* jobObjects(w: WorkloadPlan, template: PodTemplate, versions: ResourceVersions, random: Random): Generator<KubeObject> {
  for (let i = 0; i < w.jobs.length; i++) {
    const job = w.jobs[i]!;
    const running = i === w.jobs.length - 1;
    const labels = {...w.labels, ...jobLabels(job)};
    yield {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(
        {
          name: job.name,
          namespace: w.namespace.name,
          uid: job.uid,
          generation: 1,
          createdAt: timestamp(job.ageSeconds),
          labels,
          ownerReferences: [controllerRef('batch/v1', 'CronJob', w.name, w.uid)],
        },
        versions,
      ),
      spec: {
        parallelism: 1,
        completions: 1,
        backoffLimit: 2,
        completionMode: 'NonIndexed',
        suspend: false,
        selector: {matchLabels: {'batch.kubernetes.io/controller-uid': job.uid}},
        template: templateJson(template, jobLabels(job)),
      },
      status: running
        ? {startTime: timestamp(job.ageSeconds), active: 1, ready: 1, uncountedTerminatedPods: {}}
        : {
            startTime: timestamp(job.ageSeconds),
            completionTime: timestamp(Math.max(0, job.ageSeconds - random.int(20, 600))),
            succeeded: 1,
            uncountedTerminatedPods: {},
          },
    };
  }
}

/**
 * Places pods on nodes and hands out pod IPs from each node's /24. Workers are
 * picked at random; a full node passes its pod to the next one.
 */
class Scheduler {
  private readonly podIPsUsed: Uint16Array;

  constructor(
    private readonly plan: ClusterPlan,
    private readonly random: Random,
  ) {
    this.podIPsUsed = new Uint16Array(plan.nodes.length);
  }

  pickWorker(): NodePlan {
    const workers = this.plan.workers.length > 0 ? this.plan.workers : this.plan.nodes;
    const start = this.random.int(0, workers.length - 1);
    for (let k = 0; k < workers.length; k++) {
      const node = workers[(start + k) % workers.length]!;
      if (this.podIPsUsed[node.index]! < PODS_PER_NODE_LIMIT) return node;
    }
    throw new Error('generator: every node is full; the plan has more pods than the nodes can hold');
  }

  podIP(node: NodePlan, hostNetwork: boolean): string {
    if (hostNetwork) return node.internalIP;
    const used = ++this.podIPsUsed[node.index]!;
    if (used > PODS_PER_NODE_LIMIT) throw new Error(`generator: node ${node.name} has no pod IPs left`);
    return `${node.podPrefix}${used + 1}`;
  }
}

interface PodFields {
  name: string;
  node: NodePlan;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  owner?: Json;
  ageSeconds: number;
  phase: 'Running' | 'Succeeded';
  placement?: Partial<PodPlacement>;
}

function* podObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  const scheduler = new Scheduler(plan, random);
  let written = 0;
  for (const ns of plan.namespaces) {
    for (const w of ns.workloads) {
      if (podsOf(w, plan) === 0) continue;
      const template = podTemplate(w, plan);
      const hostNetwork = template.parts.hostNetwork === true;
      const main = template.parts.containers[0];
      const qosClass = main && Object.keys((main.resources as Json | undefined) ?? {}).length > 0 ? 'Burstable' : 'BestEffort';
      const sa = ns.serviceAccounts.find((s) => s.name === w.serviceAccount);
      // Static pods cannot use service accounts; others get the token unless someone opted out.
      const tokenMounted = w.kind !== 'StaticPod' && (w.automount ?? sa?.automount ?? true);
      const names = new Set<string>();
      const uniqueName = (prefix: string): string => {
        let name: string;
        do name = `${prefix}-${random.suffix()}`;
        while (names.has(name));
        names.add(name);
        return name;
      };
      const podAge = (): number => Math.min(w.ageSeconds, random.int(600, 86_400 * 21));

      const pod = (fields: PodFields): KubeObject => {
        const podIP = scheduler.podIP(fields.node, hostNetwork);
        const placement: PodPlacement = {nodeName: fields.node.name, ...fields.placement};
        if (w.kind !== 'StaticPod') placement.serviceAccount = w.serviceAccount;
        if (tokenMounted) placement.apiAccessVolume = `kube-api-access-${random.suffix()}`;
        const uid = random.uuid();
        written++;
        return {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: meta(
            {
              name: fields.name,
              namespace: ns.name,
              uid,
              createdAt: timestamp(fields.ageSeconds),
              labels: fields.labels,
              annotations: fields.annotations ?? template.annotations,
              ownerReferences: fields.owner ? [fields.owner] : undefined,
            },
            versions,
          ),
          spec: assembleSpec(template.parts, placement),
          status: {
            phase: fields.phase,
            hostIP: fields.node.internalIP,
            podIP,
            qosClass,
          },
        };
      };

      switch (w.kind) {
        case 'Deployment': {
          const owner = controllerRef('apps/v1', 'ReplicaSet', `${w.name}-${w.hash}`, replicaSetUid(w, 0));
          const labels = {...template.labels, 'pod-template-hash': w.hash};
          for (let i = 0; i < w.replicas; i++) {
            yield pod({
              name: uniqueName(`${w.name}-${w.hash}`),
              node: scheduler.pickWorker(),
              labels,
              owner,
              ageSeconds: podAge(),
              phase: 'Running',
            });
          }
          break;
        }
        case 'StatefulSet': {
          const owner = controllerRef('apps/v1', 'StatefulSet', w.name, w.uid);
          for (let i = 0; i < w.replicas; i++) {
            const name = `${w.name}-${i}`;
            const labels = {
              ...template.labels,
              'apps.kubernetes.io/pod-index': String(i),
              'controller-revision-hash': `${w.name}-${w.hash}`,
              'statefulset.kubernetes.io/pod-name': name,
            };
            const claimVolumes = (template.claimTemplates ?? []).map((claim) => ({
              name: claim.name,
              persistentVolumeClaim: {claimName: `${claim.name}-${name}`},
            }));
            const placement: Partial<PodPlacement> = {hostname: name, subdomain: w.service?.headlessName ?? w.name};
            if (claimVolumes.length > 0) placement.claimVolumes = claimVolumes;
            yield pod({name, node: scheduler.pickWorker(), labels, owner, ageSeconds: podAge(), phase: 'Running', placement});
          }
          break;
        }
        case 'DaemonSet': {
          const owner = controllerRef('apps/v1', 'DaemonSet', w.name, w.uid);
          const labels = {...template.labels, 'controller-revision-hash': w.hash, 'pod-template-generation': '1'};
          for (const node of plan.nodes) {
            yield pod({
              name: uniqueName(w.name),
              node,
              labels,
              owner,
              ageSeconds: podAge(),
              phase: 'Running',
              placement: {pinToNode: true},
            });
          }
          break;
        }
        case 'CronJob': {
          for (let i = 0; i < w.jobs.length; i++) {
            const job = w.jobs[i]!;
            const owner = controllerRef('batch/v1', 'Job', job.name, job.uid);
            const labels = {...template.labels, ...jobLabels(job)};
            const phase = i === w.jobs.length - 1 ? 'Running' : 'Succeeded';
            yield pod({name: uniqueName(job.name), node: scheduler.pickWorker(), labels, owner, ageSeconds: job.ageSeconds, phase});
          }
          break;
        }
        case 'Pod':
          yield pod({name: w.name, node: scheduler.pickWorker(), labels: template.labels, ageSeconds: podAge(), phase: 'Running'});
          break;
        case 'StaticPod': {
          const node = w.node!;
          const hash = random.hex(32);
          const annotations: Record<string, string> = {
            'kubernetes.io/config.hash': hash,
            'kubernetes.io/config.mirror': hash,
            'kubernetes.io/config.seen': timestamp(random.int(3600, 86_400 * 30)),
            'kubernetes.io/config.source': 'file',
          };
          if (w.profile === 'kube-apiserver')
            annotations['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] = `${node.internalIP}:6443`;
          if (w.profile === 'etcd') annotations['kubeadm.kubernetes.io/etcd.advertise-client-urls'] = `https://${node.internalIP}:2379`;
          // A mirror pod is owned by its node: deleting the node deletes the mirror.
          const owner = {apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true};
          yield pod({name: w.name, node, labels: template.labels, annotations, owner, ageSeconds: podAge(), phase: 'Running'});
          break;
        }
      }
    }
  }
  if (written !== plan.podCount) throw new Error(`generator wrote ${written} pods, not the ${plan.podCount} planned`);
}
