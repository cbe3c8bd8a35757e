/**
 * kubepath generator network objects
 * ==================================
 *
 * Services selecting the planned workloads (some with named targetPorts, a few
 * NodePort and LoadBalancer), Ingresses through ingress-nginx, and NetworkPolicies
 * in the styles teams really write: default-deny with allow rules (podSelector,
 * namespaceSelector, named ports, ipBlock with except, port ranges), or a few
 * allow rules that isolate only the pods they select.
 */
import {compare, type ClusterPlan, type NamespacePlan, type PortPlan, type WorkloadPlan} from './plan.js';
import {meta, type Json, type KubeObject, type ResourceVersions} from './objects.js';
import {Random} from './random.js';

/** Service ClusterIPs from 10.96.0.0/12, in allocation order with gaps. */
class ClusterIPs {
  private next = 20;

  constructor(private readonly random: Random) {}

  allocate(): string {
    const n = this.next;
    this.next += this.random.int(1, 6);
    return `10.${96 + (n >>> 16)}.${(n >>> 8) & 255}.${n & 255}`;
  }
}

/** NodePorts from 30000-32767; undefined once they run out. */
class NodePorts {
  private next = 30000;

  constructor(private readonly random: Random) {}

  allocate(): number | undefined {
    const port = this.next + this.random.int(0, 3);
    if (port > 32767) return undefined;
    this.next = port + 1;
    return port;
  }
}

/** The hostname AWS gives a LoadBalancer Service: stable for one plan and key. */
function loadBalancerHostname(plan: ClusterPlan, key: string): string {
  let hash = plan.options.seed >>> 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  const random = new Random(hash, 31);
  return `a${random.hex(32)}-${random.int(100_000_000, 1_999_999_999)}.${plan.region}.elb.amazonaws.com`;
}

function servicePorts(workload: WorkloadPlan): PortPlan[] {
  return workload.ports.filter((p) => p.servicePort !== undefined);
}

export function* serviceObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  const clusterIPs = new ClusterIPs(random);
  const nodePorts = new NodePorts(random);
  for (const ns of plan.namespaces) {
    const services: KubeObject[] = [];
    if (ns.name === 'default') {
      services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(
          {
            name: 'kubernetes',
            namespace: 'default',
            uid: random.uuid(),
            createdAt: ns.createdAt,
            labels: {component: 'apiserver', provider: 'kubernetes'},
          },
          versions,
        ),
        spec: {
          ports: [{name: 'https', protocol: 'TCP', port: 443, targetPort: 6443}],
          clusterIP: '10.96.0.1',
          clusterIPs: ['10.96.0.1'],
          type: 'ClusterIP',
          sessionAffinity: 'None',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          internalTrafficPolicy: 'Cluster',
        },
        status: {loadBalancer: {}},
      });
    }
    for (const workload of ns.workloads) {
      const service = workload.service;
      const ports = servicePorts(workload);
      if (!service || ports.length === 0) continue;
      let type = service.type;
      const specPorts = ports.map((p) => {
        const port: Json = {name: p.name, protocol: p.protocol, port: p.servicePort, targetPort: p.namedTarget ? p.name : p.containerPort};
        return port;
      });
      if (type !== 'ClusterIP') {
        for (const port of specPorts) {
          const nodePort = nodePorts.allocate();
          if (nodePort === undefined) type = 'ClusterIP';
          else port.nodePort = nodePort;
        }
        if (type === 'ClusterIP') for (const port of specPorts) delete port.nodePort;
      }
      const clusterIP = service.name === 'kube-dns' ? '10.96.0.10' : clusterIPs.allocate();
      const spec: Json = {
        ports: specPorts,
        selector: workload.selector,
        clusterIP,
        clusterIPs: [clusterIP],
        type,
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      };
      if (type !== 'ClusterIP') spec.externalTrafficPolicy = workload.profile === 'ingress-nginx' ? 'Local' : 'Cluster';
      if (type === 'LoadBalancer' && workload.profile !== 'ingress-nginx' && random.chance(0.5))
        spec.loadBalancerSourceRanges = ['203.0.113.0/24', '198.51.100.0/24'];
      spec.internalTrafficPolicy = 'Cluster';
      const status =
        type === 'LoadBalancer'
          ? {loadBalancer: {ingress: [{hostname: loadBalancerHostname(plan, `${ns.name}/${service.name}`)}]}}
          : {loadBalancer: {}};
      const labels = {...workload.labels};
      services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta({name: service.name, namespace: ns.name, uid: random.uuid(), createdAt: workload.createdAt, labels}, versions),
        spec,
        status,
      });
      if (service.headlessName) {
        services.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta(
            {name: service.headlessName, namespace: ns.name, uid: random.uuid(), createdAt: workload.createdAt, labels},
            versions,
          ),
          spec: {
            ports: specPorts.map(({nodePort: _nodePort, ...port}) => port),
            selector: workload.selector,
            clusterIP: 'None',
            clusterIPs: ['None'],
            type: 'ClusterIP',
            sessionAffinity: 'None',
            publishNotReadyAddresses: true,
            ipFamilies: ['IPv4'],
            ipFamilyPolicy: 'SingleStack',
            internalTrafficPolicy: 'Cluster',
          },
          status: {loadBalancer: {}},
        });
      }
    }
    services.sort((a, b) => compare(a.metadata.name as string, b.metadata.name as string));
    yield* services;
  }
}

export function* ingressObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  const controller = plan.namespaceByName.get('ingress-nginx');
  const address = controller ? loadBalancerHostname(plan, 'ingress-nginx/ingress-nginx-controller') : undefined;
  for (const ns of plan.namespaces) {
    for (const workload of ns.workloads) {
      const service = workload.service;
      const port = servicePorts(workload)[0];
      if (!service?.ingressHost || !port) continue;
      const host = `${service.ingressHost}.${plan.dnsZone}`;
      const backendPort = random.chance(0.5) ? {name: port.name} : {number: port.servicePort};
      yield {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta(
          {
            name: service.name,
            namespace: ns.name,
            uid: random.uuid(),
            generation: 1,
            createdAt: workload.createdAt,
            labels: {...workload.selector},
            annotations: {'cert-manager.io/cluster-issuer': 'letsencrypt-prod', 'nginx.ingress.kubernetes.io/proxy-body-size': '16m'},
          },
          versions,
        ),
        spec: {
          ingressClassName: 'nginx',
          tls: [{hosts: [host], secretName: `${service.name}-tls`}],
          rules: [{host, http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: service.name, port: backendPort}}}]}}],
        },
        status: {loadBalancer: address ? {ingress: [{hostname: address}]} : {}},
      };
    }
  }
}

const DENY_EXCEPT_PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** matchLabels, or the same choice written as a matchExpressions In. */
function podSelectorOf(workloads: readonly WorkloadPlan[], random: Random): Json {
  const first = workloads[0]!;
  const key = Object.keys(first.selector)[0]!;
  if (workloads.length === 1 && random.chance(0.7)) return {matchLabels: first.selector};
  return {matchExpressions: [{key, operator: 'In', values: workloads.map((w) => w.selector[key] ?? w.name)}]};
}

function namespacePeer(name: string): Json {
  return {namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': name}}};
}

function systemSelector(plan: ClusterPlan, namespace: string, name: string): Json | undefined {
  const workload = plan.namespaceByName.get(namespace)?.workloads.find((w) => w.name === name);
  return workload ? {matchLabels: workload.selector} : undefined;
}

/** The allow rule of one workload: who may connect to it, on which ports. */
function allowPolicy(plan: ClusterPlan, ns: NamespacePlan, workload: WorkloadPlan, random: Random): Json {
  const ingress: Json[] = [];
  const ports = workload.ports;
  const main = ports.find((p) => p.name !== 'metrics');
  if (main) {
    const clients = ns.workloads.filter((w) => w !== workload && w.kind !== 'Pod' && w.kind !== 'StaticPod');
    const chosen: WorkloadPlan[] = [];
    for (let i = Math.min(clients.length, random.int(1, 3)); i > 0; i--) {
      const client = random.pick(clients);
      if (!chosen.includes(client)) chosen.push(client);
    }
    const from = chosen.length > 0 ? [{podSelector: podSelectorOf(chosen, random)}] : [{podSelector: {}}];
    // Named ports resolve per pod, so a policy may name the port instead of its number.
    const port = random.chance(0.6) ? {protocol: main.protocol, port: main.name} : {protocol: main.protocol, port: main.containerPort};
    ingress.push({from, ports: [port]});
    if (workload.service?.ingressHost && plan.namespaceByName.has('ingress-nginx')) {
      const controller = systemSelector(plan, 'ingress-nginx', 'ingress-nginx-controller');
      const peer = controller ? {...namespacePeer('ingress-nginx'), podSelector: controller} : namespacePeer('ingress-nginx');
      ingress.push({from: [peer], ports: [{protocol: 'TCP', port: main.name}]});
    }
    if (workload.profile === 'datastore' && ns.labels.team) {
      // The team's other namespaces (staging and prod of one domain) may use its datastores.
      ingress.push({
        from: [
          {
            namespaceSelector: {
              matchExpressions: [
                {key: 'team', operator: 'In', values: [ns.labels.team]},
                {key: 'environment', operator: 'NotIn', values: ['dev', 'sandbox']},
              ],
            },
          },
        ],
        ports: [{protocol: 'TCP', port: main.containerPort}],
      });
    }
    if (random.chance(0.1)) ingress.push({from: [{ipBlock: {cidr: '10.0.0.0/16'}}], ports: [{protocol: 'TCP', port: main.containerPort}]});
  }
  if (ports.some((p) => p.name === 'metrics') && plan.namespaceByName.has('monitoring')) {
    const prometheus = systemSelector(plan, 'monitoring', 'prometheus-k8s');
    const peer = prometheus ? {...namespacePeer('monitoring'), podSelector: prometheus} : namespacePeer('monitoring');
    ingress.push({from: [peer], ports: [{protocol: 'TCP', port: 'metrics'}]});
  }
  return {name: `allow-${workload.name}`, podSelector: {matchLabels: workload.selector}, policyTypes: ['Ingress'], ingress};
}

function namespacePolicies(plan: ClusterPlan, ns: NamespacePlan, random: Random): Json[] {
  const policies: Json[] = [];
  const exposed = ns.workloads.filter((w) => w.ports.length > 0 && w.kind !== 'Pod' && w.kind !== 'StaticPod');
  if (ns.networkPolicy === 'default-deny') {
    const denyEgress = random.chance(0.5);
    policies.push({
      name: denyEgress ? 'default-deny-all' : 'default-deny-ingress',
      podSelector: {},
      policyTypes: denyEgress ? ['Ingress', 'Egress'] : ['Ingress'],
    });
    if (denyEgress) {
      const dns = systemSelector(plan, 'kube-system', 'coredns') ?? {matchLabels: {'k8s-app': 'kube-dns'}};
      policies.push({
        name: 'allow-dns-egress',
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{...namespacePeer('kube-system'), podSelector: dns}],
            ports: [
              {protocol: 'UDP', port: 53},
              {protocol: 'TCP', port: 53},
            ],
          },
        ],
      });
      if (random.chance(0.6))
        policies.push({name: 'allow-same-namespace-egress', podSelector: {}, policyTypes: ['Egress'], egress: [{to: [{podSelector: {}}]}]});
      if (random.chance(0.5)) {
        policies.push({
          name: 'allow-https-egress',
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{to: [{ipBlock: {cidr: '0.0.0.0/0', except: DENY_EXCEPT_PRIVATE}}], ports: [{protocol: 'TCP', port: 443}]}],
        });
      }
      const dbClients = ns.workloads.filter((w) => w.envSecret && w.profile === 'app');
      if (dbClients.length > 0 && random.chance(0.4)) {
        // A managed database outside the cluster, minus the subnet of its admin endpoints.
        policies.push({
          name: 'allow-managed-postgres',
          podSelector: podSelectorOf(dbClients.slice(0, 3), random),
          policyTypes: ['Egress'],
          egress: [
            {to: [{ipBlock: {cidr: '10.20.0.0/16', except: ['10.20.99.0/24']}}], ports: [{protocol: 'TCP', port: 5432, endPort: 5439}]},
          ],
        });
      }
    }
    for (const workload of exposed) if (random.chance(0.85)) policies.push(allowPolicy(plan, ns, workload, random));
  } else if (ns.networkPolicy === 'selected') {
    for (const workload of exposed) if (random.chance(0.3)) policies.push(allowPolicy(plan, ns, workload, random));
  }
  const seen = new Set<string>();
  return policies
    .filter((p) => !seen.has(p.name as string) && seen.add(p.name as string))
    .sort((a, b) => compare(a.name as string, b.name as string));
}

export function* networkPolicyObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  for (const ns of plan.namespaces) {
    if (ns.networkPolicy === 'none') continue;
    for (const {name, ...spec} of namespacePolicies(plan, ns, new Random(ns.seed, 41))) {
      yield {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta({name: name as string, namespace: ns.name, uid: random.uuid(), generation: 1, createdAt: ns.createdAt}, versions),
        spec,
      };
    }
  }
}
