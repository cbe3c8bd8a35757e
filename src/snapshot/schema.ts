/**
 * kubepath snapshot schema
 * ========================
 *
 * The snapshot is the only thing the analysis reads. Each Kubernetes kind is checked
 * on the fields that kubepath reasons about; everything else in an object is kept as
 * it came (loose objects), so evidence can point at the object the user wrote.
 * Types follow the Kubernetes API: a value of the wrong type (a label that is a
 * number, `containers` that is a string) is refused as the API server refuses it,
 * while fields kubepath does not need may be missing or null.
 */
import {z} from 'zod';

export const SNAPSHOT_KIND = 'KubepathSnapshot';
export const SNAPSHOT_API_VERSION = 'kubepath.dev/v1alpha1';
export const SNAPSHOT_VERSION = 1;

const stringMap = z.record(z.string(), z.string());
const intOrString = z.union([z.number().int(), z.string()]);
const optionalBool = z.boolean().nullish();

export const labelSelector = z.looseObject({
  matchLabels: stringMap.nullish(),
  matchExpressions: z
    .array(
      z.looseObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});
export type LabelSelector = z.infer<typeof labelSelector>;

const ownerReference = z.looseObject({
  apiVersion: z.string().nullish(),
  kind: z.string().nullish(),
  name: z.string().nullish(),
  uid: z.string().nullish(),
  controller: optionalBool,
});

/** Names become ids and keys (`Pod/ns/name`): a `/` or `%` in one, or `.`/`..`, is refused as the API server refuses it. */
const OBJECT_NAME = /^(?!\.\.?$)[^/%]+$/;
const objectName = z.string().regex(OBJECT_NAME, 'a name must be non-empty, without / or %, and not . or ..');
/** Whether an object or a namespace can have this name in a snapshot. */
export const isObjectName = (name: string): boolean => OBJECT_NAME.test(name);

const objectMeta = z.looseObject({
  name: objectName,
  namespace: objectName.optional(), // never null once loaded: the loader defaults it
  uid: z.string().nullish(),
  labels: stringMap.nullish(),
  annotations: stringMap.nullish(),
  ownerReferences: z.array(ownerReference).nullish(),
});
export type ObjectMeta = z.infer<typeof objectMeta>;

const capabilities = z.looseObject({
  add: z.array(z.string()).nullish(),
  drop: z.array(z.string()).nullish(),
});

const securityContext = z.looseObject({
  privileged: z.boolean().nullish(),
  allowPrivilegeEscalation: z.boolean().nullish(),
  readOnlyRootFilesystem: z.boolean().nullish(),
  runAsNonRoot: z.boolean().nullish(),
  runAsUser: z.number().int().nullish(),
  runAsGroup: z.number().int().nullish(),
  procMount: z.string().nullish(),
  capabilities: capabilities.nullish(),
});

const podSecurityContext = z.looseObject({
  runAsNonRoot: z.boolean().nullish(),
  runAsUser: z.number().int().nullish(),
  runAsGroup: z.number().int().nullish(),
});

const containerPort = z.looseObject({
  containerPort: z.number().int().nullish(),
  name: z.string().nullish(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).nullish(),
  hostPort: z.number().int().nullish(),
  hostIP: z.string().nullish(),
});

const secretKeySelector = z.looseObject({name: z.string().nullish(), key: z.string().nullish(), optional: optionalBool});

const container = z.looseObject({
  name: z.string().nullish(),
  image: z.string().nullish(),
  command: z.array(z.string()).nullish(),
  args: z.array(z.string()).nullish(),
  ports: z.array(containerPort).nullish(),
  // `Always` on an init container makes it a sidecar that runs, and serves, beside the others.
  restartPolicy: z.string().nullish(),
  securityContext: securityContext.nullish(),
  volumeMounts: z
    .array(
      z.looseObject({
        name: z.string().nullish(),
        mountPath: z.string().nullish(),
        readOnly: optionalBool,
        subPath: z.string().nullish(),
      }),
    )
    .nullish(),
  env: z
    .array(
      z.looseObject({
        name: z.string().nullish(),
        value: z.string().nullish(),
        valueFrom: z.looseObject({secretKeyRef: secretKeySelector.nullish()}).nullish(),
      }),
    )
    .nullish(),
  envFrom: z.array(z.looseObject({secretRef: z.looseObject({name: z.string().nullish(), optional: optionalBool}).nullish()})).nullish(),
});
export type Container = z.infer<typeof container>;

const projectedSource = z.looseObject({
  secret: z.looseObject({name: z.string().nullish(), optional: optionalBool}).nullish(),
  serviceAccountToken: z
    .looseObject({path: z.string().nullish(), audience: z.string().nullish(), expirationSeconds: z.number().int().nullish()})
    .nullish(),
});

const volume = z.looseObject({
  name: z.string().nullish(),
  hostPath: z.looseObject({path: z.string().nullish(), type: z.string().nullish()}).nullish(),
  secret: z.looseObject({secretName: z.string().nullish(), optional: optionalBool}).nullish(),
  projected: z.looseObject({sources: z.array(projectedSource).nullish()}).nullish(),
});

export const podSpec = z.looseObject({
  containers: z.array(container),
  initContainers: z.array(container).nullish(),
  ephemeralContainers: z.array(container).nullish(),
  volumes: z.array(volume).nullish(),
  serviceAccountName: z.string().nullish(),
  serviceAccount: z.string().nullish(),
  automountServiceAccountToken: z.boolean().nullish(),
  nodeName: z.string().nullish(),
  hostNetwork: optionalBool,
  hostPID: optionalBool,
  hostIPC: optionalBool,
  securityContext: podSecurityContext.nullish(),
});
export type PodSpec = z.infer<typeof podSpec>;

const podTemplate = z.looseObject({
  metadata: z.looseObject({labels: stringMap.nullish(), annotations: stringMap.nullish()}).nullish(),
  spec: podSpec,
});

function kubeObject<K extends string, S extends z.ZodRawShape>(kind: K, shape: S) {
  return z.looseObject({
    apiVersion: z.string(),
    kind: z.literal(kind),
    metadata: objectMeta,
    ...shape,
  });
}

const ipAddresses = z.array(z.looseObject({ip: z.string()})).nullish();

export const podSchema = kubeObject('Pod', {
  spec: podSpec,
  status: z
    .looseObject({phase: z.string().nullish(), podIP: z.string().nullish(), podIPs: ipAddresses, hostIP: z.string().nullish()})
    .nullish(),
});

export const namespaceSchema = kubeObject('Namespace', {});

export const nodeSchema = kubeObject('Node', {
  spec: z.looseObject({podCIDR: z.string().nullish(), unschedulable: optionalBool}).nullish(),
  status: z
    .looseObject({
      addresses: z.array(z.looseObject({type: z.string(), address: z.string()})).nullish(),
      nodeInfo: z.looseObject({kubeletVersion: z.string().nullish()}).nullish(),
    })
    .nullish(),
});

const templatedSpec = z.looseObject({selector: labelSelector.nullish(), template: podTemplate});
export const deploymentSchema = kubeObject('Deployment', {spec: templatedSpec});
export const statefulSetSchema = kubeObject('StatefulSet', {spec: templatedSpec});
export const daemonSetSchema = kubeObject('DaemonSet', {spec: templatedSpec});
export const replicaSetSchema = kubeObject('ReplicaSet', {spec: templatedSpec});
export const jobSchema = kubeObject('Job', {spec: z.looseObject({template: podTemplate})});
export const cronJobSchema = kubeObject('CronJob', {
  spec: z.looseObject({jobTemplate: z.looseObject({spec: z.looseObject({template: podTemplate})})}),
});
export const replicationControllerSchema = kubeObject('ReplicationController', {
  // A ReplicationController's selector is a plain label map, not a LabelSelector.
  spec: z.looseObject({selector: stringMap.nullish(), template: podTemplate}),
});

const servicePort = z.looseObject({
  name: z.string().nullish(),
  port: z.number().int().nullish(),
  targetPort: intOrString.nullish(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).nullish(),
  nodePort: z.number().int().nullish(),
});

export const serviceSchema = kubeObject('Service', {
  spec: z
    .looseObject({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).nullish(),
      selector: stringMap.nullish(),
      ports: z.array(servicePort).nullish(),
      clusterIP: z.string().nullish(),
      externalIPs: z.array(z.string()).nullish(),
      externalTrafficPolicy: z.enum(['Cluster', 'Local']).nullish(),
      externalName: z.string().nullish(),
      loadBalancerSourceRanges: z.array(z.string()).nullish(),
    })
    .nullish(),
});

const endpointTarget = z.looseObject({kind: z.string().nullish(), name: z.string().nullish(), namespace: z.string().nullish()});

export const endpointsSchema = kubeObject('Endpoints', {
  subsets: z
    .array(
      z.looseObject({
        addresses: z.array(z.looseObject({ip: z.string(), targetRef: endpointTarget.nullish()})).nullish(),
        ports: z.array(z.looseObject({port: z.number().int(), name: z.string().nullish(), protocol: z.string().nullish()})).nullish(),
      }),
    )
    .nullish(),
});

export const endpointSliceSchema = kubeObject('EndpointSlice', {
  addressType: z.string().nullish(),
  endpoints: z.array(z.looseObject({addresses: z.array(z.string()), targetRef: endpointTarget.nullish()})).nullish(),
  ports: z.array(z.looseObject({port: z.number().int().nullish(), name: z.string().nullish(), protocol: z.string().nullish()})).nullish(),
});

const ingressBackend = z.looseObject({
  service: z
    .looseObject({name: z.string(), port: z.looseObject({number: z.number().int().nullish(), name: z.string().nullish()}).nullish()})
    .nullish(),
  // extensions/v1beta1 and networking.k8s.io/v1beta1 spelling
  serviceName: z.string().nullish(),
  servicePort: intOrString.nullish(),
});

export const ingressSchema = kubeObject('Ingress', {
  spec: z
    .looseObject({
      ingressClassName: z.string().nullish(),
      defaultBackend: ingressBackend.nullish(),
      backend: ingressBackend.nullish(),
      rules: z
        .array(
          z.looseObject({
            host: z.string().nullish(),
            http: z.looseObject({paths: z.array(z.looseObject({path: z.string().nullish(), backend: ingressBackend}))}).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

// Gateway API (gateway.networking.k8s.io). A Gateway is kept for context; routes and
// reference grants are read for what they send to Services.
export const gatewaySchema = kubeObject('Gateway', {spec: z.looseObject({}).nullish()});

const backendObjectReference = z.looseObject({
  group: z.string().nullish(),
  kind: z.string().nullish(),
  name: z.string().nullish(),
  namespace: z.string().nullish(),
  port: z.number().int().nullish(),
});

const httpRouteFilter = z.looseObject({
  type: z.string().nullish(),
  requestMirror: z.looseObject({backendRef: backendObjectReference.nullish()}).nullish(),
});

const httpBackendRef = backendObjectReference.extend({
  weight: z.number().int().nullish(),
  filters: z.array(httpRouteFilter).nullish(),
});

export const httpRouteSchema = kubeObject('HTTPRoute', {
  spec: z
    .looseObject({
      parentRefs: z
        .array(
          z.looseObject({
            group: z.string().nullish(),
            kind: z.string().nullish(),
            name: z.string().nullish(),
            namespace: z.string().nullish(),
          }),
        )
        .nullish(),
      hostnames: z.array(z.string()).nullish(),
      rules: z
        .array(z.looseObject({backendRefs: z.array(httpBackendRef).nullish(), filters: z.array(httpRouteFilter).nullish()}))
        .nullish(),
    })
    .nullish(),
});

export const referenceGrantSchema = kubeObject('ReferenceGrant', {
  spec: z
    .looseObject({
      from: z.array(z.looseObject({group: z.string().nullish(), kind: z.string().nullish(), namespace: z.string().nullish()})).nullish(),
      to: z.array(z.looseObject({group: z.string().nullish(), kind: z.string().nullish(), name: z.string().nullish()})).nullish(),
    })
    .nullish(),
});

const protocol = z.enum(['TCP', 'UDP', 'SCTP']);
const portNumber = z.number().int().min(1, 'a port is 1 to 65535').max(65535, 'a port is 1 to 65535');
/** An IANA service name, as the API requires of named ports: at most 15 characters, with a letter. */
const portName = z
  .string()
  .regex(/^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/, 'a port name is 1 to 15 lower-case letters, digits and dashes, with a letter');

const networkPolicyPort = z.looseObject({
  protocol: protocol.nullish(),
  port: z.union([portNumber, portName]).nullish(),
  endPort: portNumber.nullish(),
});

const networkPolicyPeer = z.looseObject({
  podSelector: labelSelector.nullish(),
  namespaceSelector: labelSelector.nullish(),
  ipBlock: z.looseObject({cidr: z.string(), except: z.array(z.string()).nullish()}).nullish(),
});

export const networkPolicySchema = kubeObject('NetworkPolicy', {
  // A policy without a spec selects every pod of its namespace for ingress: a deny-all.
  spec: z
    .looseObject({
      podSelector: labelSelector.nullish(),
      policyTypes: z.array(z.enum(['Ingress', 'Egress'])).nullish(),
      ingress: z.array(z.looseObject({from: z.array(networkPolicyPeer).nullish(), ports: z.array(networkPolicyPort).nullish()})).nullish(),
      egress: z.array(z.looseObject({to: z.array(networkPolicyPeer).nullish(), ports: z.array(networkPolicyPort).nullish()})).nullish(),
    })
    .nullish(),
});

// AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1),
// checked as the API server's validation would: one field per subject, peer and port entry.
const exactlyOne = (fields: readonly string[]) => (value: Record<string, unknown>) => fields.filter((f) => value[f] != null).length === 1;
// An omitted selector is the empty one, as netpol-analyzer and the reference cases read it.
const adminPods = z.looseObject({namespaceSelector: labelSelector.nullish(), podSelector: labelSelector.nullish()});
const adminSubject = z
  .looseObject({namespaces: labelSelector.nullish(), pods: adminPods.nullish()})
  .refine(exactlyOne(['namespaces', 'pods']), 'a subject sets exactly one of namespaces, pods');
const adminIngressPeer = z
  .looseObject({namespaces: labelSelector.nullish(), pods: adminPods.nullish()})
  .refine(exactlyOne(['namespaces', 'pods']), 'an ingress peer sets exactly one of namespaces, pods');
const ADMIN_EGRESS_PEERS = ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];
const adminEgressPeer = z
  .looseObject({
    namespaces: labelSelector.nullish(),
    pods: adminPods.nullish(),
    networks: z.array(z.string()).min(1).nullish(),
    nodes: labelSelector.nullish(),
    domainNames: z.array(z.string()).min(1).nullish(),
  })
  .refine(exactlyOne(ADMIN_EGRESS_PEERS), `an egress peer sets exactly one of ${ADMIN_EGRESS_PEERS.join(', ')}`);
const adminPort = z
  .looseObject({
    portNumber: z.looseObject({protocol: protocol.nullish(), port: portNumber}).nullish(),
    portRange: z
      .looseObject({protocol: protocol.nullish(), start: portNumber, end: portNumber})
      .refine((range) => range.start < range.end, 'a portRange needs start below end')
      .nullish(),
    namedPort: portName.nullish(),
  })
  .refine(exactlyOne(['portNumber', 'portRange', 'namedPort']), 'a port entry sets exactly one of portNumber, portRange, namedPort');
// The peers' field is spelled out (`{from: ...}`), not computed, so the rule's type keeps its name.
const adminRule = <Peers extends z.ZodRawShape>(peers: Peers) =>
  z.looseObject({name: z.string().nullish(), action: z.enum(['Allow', 'Deny', 'Pass']), ...peers, ports: z.array(adminPort).nullish()});
const adminPolicySpec = z.looseObject({
  subject: adminSubject,
  ingress: z
    .array(adminRule({from: z.array(adminIngressPeer).min(1, 'from needs at least one peer')}))
    .max(100)
    .nullish(),
  egress: z
    .array(adminRule({to: z.array(adminEgressPeer).min(1, 'to needs at least one peer')}))
    .max(100)
    .nullish(),
});
export const adminNetworkPolicySchema = kubeObject('AdminNetworkPolicy', {
  spec: adminPolicySpec.extend({priority: z.number().int().min(0).max(1000)}),
});
export const baselineAdminNetworkPolicySchema = kubeObject('BaselineAdminNetworkPolicy', {spec: adminPolicySpec});

export const serviceAccountSchema = kubeObject('ServiceAccount', {
  automountServiceAccountToken: z.boolean().nullish(),
  secrets: z.array(z.looseObject({name: z.string().nullish()})).nullish(),
});

const policyRule = z.looseObject({
  apiGroups: z.array(z.string()).nullish(),
  resources: z.array(z.string()).nullish(),
  resourceNames: z.array(z.string()).nullish(),
  nonResourceURLs: z.array(z.string()).nullish(),
  verbs: z.array(z.string()).nullish(),
});
export type PolicyRule = z.infer<typeof policyRule>;

export const roleSchema = kubeObject('Role', {rules: z.array(policyRule).nullish()});
export const clusterRoleSchema = kubeObject('ClusterRole', {
  rules: z.array(policyRule).nullish(),
  aggregationRule: z.looseObject({clusterRoleSelectors: z.array(labelSelector).nullish()}).nullish(),
});

/** A DNS-1123 subdomain, as the API server requires of a ServiceAccount's name. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// As the API server validates a binding's subjects (pkg/apis/rbac/validation): one of three kinds, a
// non-empty name, a ServiceAccount's name a DNS subdomain. A User or Group name may be any other string,
// and a ServiceAccount's namespace is not checked at all (src/graph/model.ts says what such a subject names).
const subject = z
  .looseObject({
    kind: z.enum(['User', 'Group', 'ServiceAccount']),
    name: z.string().min(1, 'a subject needs a name'),
    namespace: z.string().nullish(),
    apiGroup: z.string().nullish(),
  })
  .refine((s) => s.kind !== 'ServiceAccount' || DNS_SUBDOMAIN.test(s.name), {
    path: ['name'],
    message: 'a ServiceAccount subject names a service account: lower-case letters, digits, - and ., at most 253 characters',
  });
export type Subject = z.infer<typeof subject>;
const roleRef = z.looseObject({kind: z.enum(['Role', 'ClusterRole']), name: objectName, apiGroup: z.string().nullish()});

export const roleBindingSchema = kubeObject('RoleBinding', {subjects: z.array(subject).nullish(), roleRef});
export const clusterRoleBindingSchema = kubeObject('ClusterRoleBinding', {subjects: z.array(subject).nullish(), roleRef});

// Secrets are reduced to metadata and type before they are checked (see redact.ts).
export const secretSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Secret'),
  metadata: objectMeta,
  type: z.string().nullish(),
});

export type PodObject = z.infer<typeof podSchema>;
export type NamespaceObject = z.infer<typeof namespaceSchema>;
export type NodeObject = z.infer<typeof nodeSchema>;
export type ServiceObject = z.infer<typeof serviceSchema>;
export type IngressObject = z.infer<typeof ingressSchema>;
export type GatewayObject = z.infer<typeof gatewaySchema>;
export type HTTPRouteObject = z.infer<typeof httpRouteSchema>;
export type ReferenceGrantObject = z.infer<typeof referenceGrantSchema>;
export type BackendObjectReference = z.infer<typeof backendObjectReference>;
export type HTTPRouteFilter = z.infer<typeof httpRouteFilter>;
export type NetworkPolicyObject = z.infer<typeof networkPolicySchema>;
export type ServiceAccountObject = z.infer<typeof serviceAccountSchema>;
export type RoleObject = z.infer<typeof roleSchema>;
export type ClusterRoleObject = z.infer<typeof clusterRoleSchema>;
export type RoleBindingObject = z.infer<typeof roleBindingSchema>;
export type ClusterRoleBindingObject = z.infer<typeof clusterRoleBindingSchema>;
export type SecretObject = z.infer<typeof secretSchema>;
export type EndpointsObject = z.infer<typeof endpointsSchema>;
export type EndpointSliceObject = z.infer<typeof endpointSliceSchema>;
export type AdminNetworkPolicyObject = z.infer<typeof adminNetworkPolicySchema>;
export type BaselineAdminNetworkPolicyObject = z.infer<typeof baselineAdminNetworkPolicySchema>;
export type DeploymentObject = z.infer<typeof deploymentSchema>;
export type StatefulSetObject = z.infer<typeof statefulSetSchema>;
export type DaemonSetObject = z.infer<typeof daemonSetSchema>;
export type ReplicaSetObject = z.infer<typeof replicaSetSchema>;
export type JobObject = z.infer<typeof jobSchema>;
export type CronJobObject = z.infer<typeof cronJobSchema>;
export type ReplicationControllerObject = z.infer<typeof replicationControllerSchema>;
export type WorkloadObject =
  DeploymentObject | StatefulSetObject | DaemonSetObject | ReplicaSetObject | JobObject | CronJobObject | ReplicationControllerObject;
