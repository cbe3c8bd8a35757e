/**
 * kubepath exposure
 * =================
 *
 * Which pods the Internet can send traffic to, and through what, before any
 * NetworkPolicy is applied: Services of type LoadBalancer or NodePort and Services with
 * externalIPs (to the pods their selector picks, on each port's targetPort), Ingress
 * and Gateway API HTTPRoute backends (through the controller or gateway, so proxied),
 * container hostPorts, and host-network pods. A pod that merely accepts anything is not
 * exposed: only these ways in count. Nothing is merged: one Exposure per pod, way,
 * object and field, so each one points at the exact field that makes it true.
 */
import type {ClusterModel, PodInfo} from '../../graph/model.js';
import type {
  BackendObjectReference,
  HTTPRouteFilter,
  HTTPRouteObject,
  IngressObject,
  PodSpec,
  ReferenceGrantObject,
  ServiceObject,
} from '../../snapshot/schema.js';
import {objectKey} from '../../snapshot/snapshot.js';
import {compareStrings} from '../../util/order.js';
import {compileLabelMap} from '../selectors.js';
import {servingContainers} from './classes.js';
import {MAX_PORT, MIN_PORT, PortSet, type Protocol} from './ports.js';

export type ExposureWay = 'LoadBalancer' | 'NodePort' | 'ExternalIP' | 'Ingress' | 'HTTPRoute' | 'HostPort' | 'HostNetwork';

export interface Exposure {
  /** PodInfo.id */
  pod: string;
  way: ExposureWay;
  /** The pod ports the traffic arrives on (after Service targetPort mapping). */
  ports: PortSet;
  /** Snapshot object key of what exposes it; for a representative pod, its workload's key. */
  via: string;
  /** Field path inside that object. */
  field: string;
  /** One human line. */
  detail: string;
  /** The field's own value, where the field is not the ports reached (a hostPort's number, hostNetwork's `true`). */
  value?: string;
  /** Only for Service-based ways: the Service's externalTrafficPolicy (default Cluster). */
  externalTrafficPolicy?: 'Cluster' | 'Local';
  /** For Ingress/HTTPRoute: the traffic reaches the pod from the ingress controller / gateway, not straight from the client. */
  proxied: boolean;
}

export function exposures(model: ClusterModel): Exposure[] {
  if (!model?.snapshot || !Array.isArray(model.pods)) throw new TypeError('exposures: expected a ClusterModel');
  const services = indexServices(model);
  return [
    ...serviceExposures(model, services),
    ...ingressExposures(model, services),
    ...httpRouteExposures(model, services),
    ...model.pods.flatMap(hostPortExposures),
    ...model.pods.flatMap(hostNetworkExposures),
  ].sort(byPodWayViaField);
}

function byPodWayViaField(a: Exposure, b: Exposure): number {
  return compareStrings(a.pod, b.pod) || compareStrings(a.way, b.way) || compareStrings(a.via, b.via) || compareStrings(a.field, b.field);
}

// ---------------------------------------------------------------------------------------
// Services: what they select, and the pod port each service port leads to

type ServicePort = NonNullable<NonNullable<ServiceObject['spec']>['ports']>[number];

interface ServiceIndex {
  find(namespace: string, name: string): ServiceObject | undefined;
  /** The pods a Service sends traffic to, computed once per Service. */
  selectedPods(service: ServiceObject): readonly PodInfo[];
}

function indexServices(model: ClusterModel): ServiceIndex {
  const byName = new Map(
    model.snapshot.objects.services.map((service) => [`${service.metadata.namespace}/${service.metadata.name}`, service]),
  );
  const selected = new Map<ServiceObject, readonly PodInfo[]>();
  let byLabel: Map<string, PodInfo[]> | undefined;
  return {
    find: (namespace, name) => byName.get(`${namespace}/${name}`),
    selectedPods(service) {
      let pods = selected.get(service);
      if (!pods) selected.set(service, (pods = podsSelectedBy((byLabel ??= indexPodsByLabel(model)), service)));
      return pods;
    },
  };
}

const labelKey = (namespace: string, key: string, value: string): string => `${namespace}\u0000${key}\u0000${value}`;

/** Pods by namespace and label pair: a selector then reads only the pods that carry one of its pairs, not the whole namespace. */
function indexPodsByLabel(model: ClusterModel): Map<string, PodInfo[]> {
  const index = new Map<string, PodInfo[]>();
  for (const pod of model.pods) {
    for (const [key, value] of Object.entries(pod.labels)) {
      const at = labelKey(pod.namespace, key, value);
      let pods = index.get(at);
      if (!pods) index.set(at, (pods = []));
      pods.push(pod);
    }
  }
  return index;
}

/** An ExternalName Service gets no endpoints; a Service without a selector has hand-made ones we cannot resolve. */
function podsSelectedBy(byLabel: Map<string, PodInfo[]>, service: ServiceObject): PodInfo[] {
  const pairs = Object.entries(service.spec?.selector ?? {});
  if (service.spec?.type === 'ExternalName' || pairs.length === 0) return [];
  const namespace = service.metadata.namespace!;
  const candidates = pairs
    .map(([key, value]) => byLabel.get(labelKey(namespace, key, value)) ?? [])
    .reduce((a, b) => (b.length < a.length ? b : a));
  const selects = compileLabelMap(service.spec?.selector);
  return candidates.filter((pod) => selects(pod.labels));
}

/** A pod port that a service port reaches. */
interface PodTarget {
  pod: PodInfo;
  protocol: Protocol;
  port: number;
}

function podTargets(services: ServiceIndex, service: ServiceObject, servicePort: ServicePort): PodTarget[] {
  const protocol = servicePort.protocol ?? 'TCP';
  return services.selectedPods(service).flatMap((pod) => {
    const port = targetPortOn(pod.spec, servicePort, protocol);
    return port === undefined ? [] : [{pod, protocol, port}];
  });
}

/** The targetPort as the endpoints controller resolves it: a number, or a name looked up per pod; absent means `port`. */
function targetPortOn(spec: PodSpec, servicePort: ServicePort, protocol: Protocol): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  const port = typeof target === 'string' ? namedContainerPort(spec, target, protocol) : target;
  return port != null && port >= MIN_PORT && port <= MAX_PORT ? port : undefined;
}

/** Name and protocol must both match, as in Kubernetes' FindPort. */
function namedContainerPort(spec: PodSpec, name: string, protocol: Protocol): number | undefined {
  for (const container of servingContainers(spec)) {
    for (const port of container.ports ?? []) {
      if (port.name === name && (port.protocol ?? 'TCP') === protocol && port.containerPort != null) return port.containerPort;
    }
  }
  return undefined;
}

function targetText(servicePort: ServicePort, target: PodTarget): string {
  return `targetPort ${servicePort.targetPort ?? servicePort.port} (${target.protocol} ${target.port})`;
}

// ---------------------------------------------------------------------------------------
// LoadBalancer, NodePort and externalIPs

type ServiceWay = 'LoadBalancer' | 'NodePort' | 'ExternalIP';

/** A LoadBalancer also opens node ports: it counts once, as LoadBalancer. externalIPs count on any type but ExternalName. */
function serviceWays(service: ServiceObject): ServiceWay[] {
  const type = service.spec?.type ?? 'ClusterIP';
  if (type === 'ExternalName') return [];
  const ways: ServiceWay[] = [];
  if (type === 'LoadBalancer') ways.push('LoadBalancer');
  if (type === 'NodePort') ways.push('NodePort');
  if ((service.spec?.externalIPs ?? []).length > 0) ways.push('ExternalIP');
  return ways;
}

function serviceExposures(model: ClusterModel, services: ServiceIndex): Exposure[] {
  return model.snapshot.objects.services.flatMap((service) => {
    const ways = serviceWays(service);
    if (ways.length === 0) return [];
    const via = objectKey('Service', service.metadata.namespace, service.metadata.name);
    const externalTrafficPolicy = service.spec?.externalTrafficPolicy ?? 'Cluster';
    return (service.spec?.ports ?? []).flatMap((servicePort, index) =>
      podTargets(services, service, servicePort).flatMap((target) =>
        ways.map((way) => ({
          pod: target.pod.id,
          way,
          ports: PortSet.range(target.protocol, target.port),
          via,
          field: `spec.ports[${index}]`,
          detail: `${entryText(way, service, servicePort)} -> ${targetText(servicePort, target)}; ${trafficPolicyText(externalTrafficPolicy)}`,
          externalTrafficPolicy,
          proxied: false,
        })),
      ),
    );
  });
}

/** Where outside traffic enters: the load balancer's port, the node port, or the external IPs. */
function entryText(way: ServiceWay, service: ServiceObject, servicePort: ServicePort): string {
  switch (way) {
    case 'LoadBalancer': {
      const ranges = service.spec?.loadBalancerSourceRanges ?? [];
      return `LoadBalancer port ${servicePort.port}${ranges.length > 0 ? ` (loadBalancerSourceRanges ${ranges.join(', ')})` : ''}`;
    }
    case 'NodePort':
      return `NodePort ${servicePort.nodePort ?? '(allocated at creation)'} for port ${servicePort.port}`;
    case 'ExternalIP':
      return `externalIPs ${(service.spec?.externalIPs ?? []).join(', ')} port ${servicePort.port}`;
  }
}

function trafficPolicyText(policy: 'Cluster' | 'Local'): string {
  return policy === 'Local'
    ? 'externalTrafficPolicy: Local (client source IP preserved)'
    : 'externalTrafficPolicy: Cluster (client source IP replaced by a node IP)';
}

// ---------------------------------------------------------------------------------------
// Ingress and HTTPRoute: a proxy in front of a Service port

/** A Service port that a proxy sends requests to, with where that is written. */
interface ProxiedBackend {
  service: ServiceObject;
  servicePort: ServicePort;
  field: string;
  /** What the route says, for the detail line. */
  route: string;
}

function proxiedExposures(services: ServiceIndex, way: 'Ingress' | 'HTTPRoute', via: string, backends: ProxiedBackend[]): Exposure[] {
  return backends.flatMap(({service, servicePort, field, route}) =>
    podTargets(services, service, servicePort).map((target) => ({
      pod: target.pod.id,
      way,
      ports: PortSet.range(target.protocol, target.port),
      via,
      field,
      detail: `${route} -> Service ${service.metadata.namespace}/${service.metadata.name} port ${servicePort.port}${servicePort.name ? ` (${servicePort.name})` : ''} -> ${targetText(servicePort, target)}`,
      proxied: true,
    })),
  );
}

/** Proxies speak HTTP, so only a TCP service port can take their requests. */
function tcpServicePort(service: ServiceObject, wanted: number | string): ServicePort | undefined {
  return (service.spec?.ports ?? []).find(
    (port) => (port.protocol ?? 'TCP') === 'TCP' && (typeof wanted === 'number' ? port.port === wanted : port.name === wanted),
  );
}

// Ingress ---------------------------------------------------------------------------------

type IngressBackend = NonNullable<NonNullable<IngressObject['spec']>['defaultBackend']>;

function ingressExposures(model: ClusterModel, services: ServiceIndex): Exposure[] {
  return model.snapshot.objects.ingresses.flatMap((ingress) => {
    const via = objectKey('Ingress', ingress.metadata.namespace, ingress.metadata.name);
    const backends = ingressBackends(ingress).flatMap(({backend, field, route}) => {
      const resolved = ingressServicePort(services, ingress.metadata.namespace!, backend);
      return resolved ? [{...resolved, field, route}] : [];
    });
    return proxiedExposures(services, 'Ingress', via, backends);
  });
}

/** Every backend an Ingress names: the default one (v1 `defaultBackend`, legacy `backend`) and each rule path's. */
function ingressBackends(ingress: IngressObject): Array<{backend: IngressBackend; field: string; route: string}> {
  const spec = ingress.spec ?? {};
  const found: Array<{backend: IngressBackend; field: string; route: string}> = [];
  if (spec.defaultBackend) found.push({backend: spec.defaultBackend, field: 'spec.defaultBackend', route: 'Ingress default backend'});
  if (spec.backend) found.push({backend: spec.backend, field: 'spec.backend', route: 'Ingress default backend'});
  (spec.rules ?? []).forEach((rule, i) =>
    (rule.http?.paths ?? []).forEach((path, j) =>
      found.push({
        backend: path.backend,
        field: `spec.rules[${i}].http.paths[${j}].backend`,
        route: `Ingress host ${rule.host || '*'} path ${path.path || '/'}`,
      }),
    ),
  );
  return found;
}

/** v1 `service: {name, port: {number | name}}` or legacy `serviceName`/`servicePort`; always a Service of the Ingress's namespace. */
function ingressServicePort(
  services: ServiceIndex,
  namespace: string,
  backend: IngressBackend,
): {service: ServiceObject; servicePort: ServicePort} | undefined {
  const name = backend.service?.name ?? backend.serviceName;
  const wanted = backend.service?.port?.number ?? backend.service?.port?.name ?? backend.servicePort;
  const service = name ? services.find(namespace, name) : undefined;
  const servicePort = service && wanted != null ? tcpServicePort(service, wanted) : undefined;
  return service && servicePort ? {service, servicePort} : undefined;
}

// HTTPRoute -------------------------------------------------------------------------------
// Any Gateway a route names is taken to face the Internet and to accept the route: the
// Gateway's listeners (allowedRoutes, hostnames) are not read yet.

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

function httpRouteExposures(model: ClusterModel, services: ServiceIndex): Exposure[] {
  const {httpRoutes, referenceGrants} = model.snapshot.objects;
  return httpRoutes.flatMap((route) => {
    const gateways = parentGateways(route);
    if (gateways.length === 0) return [];
    const namespace = route.metadata.namespace!;
    const via = objectKey('HTTPRoute', namespace, route.metadata.name);
    const hosts = route.spec?.hostnames?.length ? route.spec.hostnames.join(', ') : '*';
    const backends = routeBackendRefs(route).flatMap(({ref, field, mirror}) => {
      const resolved = routeServicePort(services, referenceGrants, namespace, ref);
      if (!resolved) return [];
      const what = mirror ? 'mirrors requests for' : 'routes';
      const grant = resolved.grant ? ` (allowed by ${resolved.grant})` : '';
      return [{...resolved, field, route: `HTTPRoute on ${gateways.join(', ')} ${what} hosts ${hosts}${grant}`}];
    });
    return proxiedExposures(services, 'HTTPRoute', via, backends);
  });
}

/** The Gateways a route attaches to; a route whose parents are Services (GAMMA, mesh traffic) takes nothing from outside. */
function parentGateways(route: HTTPRouteObject): string[] {
  return (route.spec?.parentRefs ?? [])
    .filter((ref) => (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (ref.kind ?? 'Gateway') === 'Gateway' && ref.name)
    .map((ref) => `Gateway ${ref.namespace ?? route.metadata.namespace}/${ref.name}`);
}

interface RouteBackendRef {
  ref: BackendObjectReference;
  field: string;
  /** Receives a copy of each request (RequestMirror) rather than the request. */
  mirror: boolean;
}

/**
 * Every Service reference that receives a route's requests: backendRefs (one of weight 0
 * receives none, and its filters never run), and the RequestMirror filters of rules and
 * of backendRefs.
 */
function routeBackendRefs(route: HTTPRouteObject): RouteBackendRef[] {
  return (route.spec?.rules ?? []).flatMap((rule, i) => {
    const at = `spec.rules[${i}]`;
    const forwarded = (rule.backendRefs ?? []).flatMap((ref, j) =>
      ref.weight === 0
        ? []
        : [{ref, field: `${at}.backendRefs[${j}]`, mirror: false}, ...mirrorRefs(ref.filters, `${at}.backendRefs[${j}]`)],
    );
    return [...mirrorRefs(rule.filters, at), ...forwarded];
  });
}

function mirrorRefs(filters: readonly HTTPRouteFilter[] | null | undefined, at: string): RouteBackendRef[] {
  return (filters ?? []).flatMap((filter, k) => {
    const ref = filter.requestMirror?.backendRef;
    return filter.type === 'RequestMirror' && ref ? [{ref, field: `${at}.filters[${k}].requestMirror.backendRef`, mirror: true}] : [];
  });
}

/** A core Service by name and port number (the Service port, not the target); another namespace needs a ReferenceGrant there. */
function routeServicePort(
  services: ServiceIndex,
  grants: readonly ReferenceGrantObject[],
  routeNamespace: string,
  ref: BackendObjectReference,
): {service: ServiceObject; servicePort: ServicePort; grant?: string} | undefined {
  if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service' || !ref.name || ref.port == null) return undefined;
  const namespace = ref.namespace ?? routeNamespace;
  const grant = namespace === routeNamespace ? undefined : grantFor(grants, routeNamespace, namespace, ref.name);
  if (namespace !== routeNamespace && !grant) return undefined;
  const service = services.find(namespace, ref.name);
  const servicePort = service ? tcpServicePort(service, ref.port) : undefined;
  if (!service || !servicePort) return undefined;
  return grant ? {service, servicePort, grant} : {service, servicePort};
}

/** The key of a ReferenceGrant in the Service's namespace that lets HTTPRoutes of `from` refer to that Service. */
function grantFor(grants: readonly ReferenceGrantObject[], from: string, namespace: string, service: string): string | undefined {
  const grant = grants.find(
    (candidate) =>
      candidate.metadata.namespace === namespace &&
      (candidate.spec?.from ?? []).some((peer) => peer.group === GATEWAY_GROUP && peer.kind === 'HTTPRoute' && peer.namespace === from) &&
      (candidate.spec?.to ?? []).some(
        (target) => (target.group ?? '') === '' && target.kind === 'Service' && (!target.name || target.name === service),
      ),
  );
  return grant ? objectKey('ReferenceGrant', namespace, grant.metadata.name) : undefined;
}

// ---------------------------------------------------------------------------------------
// hostPort and hostNetwork: the pod listens on its node's addresses

/** The kubelet maps hostPorts of regular containers only; one bound to loopback is out of reach from outside. */
function hostPortExposures(pod: PodInfo): Exposure[] {
  return pod.spec.containers.flatMap((container, i) =>
    (container.ports ?? []).flatMap((port, j) => {
      if (!port.hostPort || port.containerPort == null || isLoopback(port.hostIP)) return [];
      const protocol = port.protocol ?? 'TCP';
      const onAddress = port.hostIP ? ` on ${port.hostIP}` : '';
      return [
        {
          pod: pod.id,
          way: 'HostPort' as const,
          ports: PortSet.range(protocol, port.containerPort),
          via: pod.source.object,
          field: `${pod.source.specPath}.containers[${i}].ports[${j}].hostPort`,
          value: String(port.hostPort),
          detail: `hostPort ${port.hostPort}${onAddress} of the node -> containerPort ${port.containerPort} (${protocol}) of container ${container.name ?? i}`,
          proxied: false,
        },
      ];
    }),
  );
}

function isLoopback(address: string | null | undefined): boolean {
  return address != null && (address.startsWith('127.') || address === '::1');
}

/** Declared ports say where it listens; a pod that declares none may listen anywhere. */
function hostNetworkExposures(pod: PodInfo): Exposure[] {
  if (pod.spec.hostNetwork !== true) return [];
  const declared = servingContainers(pod.spec)
    .flatMap((container) => container.ports ?? [])
    .reduce(
      (ports, port) => (port.containerPort == null ? ports : ports.union(PortSet.range(port.protocol ?? 'TCP', port.containerPort))),
      PortSet.NONE,
    );
  const ports = declared.isEmpty() ? PortSet.ALL : declared;
  const listens = declared.isEmpty() ? 'no ports declared, so any port may be open' : `declared ports ${declared.format()}`;
  return [
    {
      pod: pod.id,
      way: 'HostNetwork',
      ports,
      via: pod.source.object,
      field: `${pod.source.specPath}.hostNetwork`,
      value: 'true',
      detail: `hostNetwork: true: listens on the node's addresses; ${listens}`,
      proxied: false,
    },
  ];
}
