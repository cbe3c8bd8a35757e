/**
 * kubepath containment
 * ====================
 *
 * For a breached pod (or the pods a finding's path lands in), the native steps that
 * contain it, worked out from the snapshot and never run: keep the evidence, cut the
 * pod off the network, stop its workload, and take away its identity's grants.
 *
 * NetworkPolicies only ever add allowed connections, so a deny-all policy alone does
 * not isolate a pod that another policy lets traffic reach; the pod is labelled into
 * quarantine (which also takes it out of its controller, Services and every policy
 * selecting the labels it loses), and the policies that still select it are named.
 * An AdminNetworkPolicy Deny overrides them all where the cluster serves the API.
 */
import {compileSelector} from '../engines/selectors.js';
import {serviceAccountId} from '../graph/ids.js';
import type {ClusterModel, PodInfo} from '../graph/model.js';
import type {RbacEngine} from '../engines/rbac/engine.js';
import {TOKEN_SECRET_TYPE, SA_NAME_ANNOTATION} from '../graph/pod-tokens.js';
import {compareStrings} from '../util/order.js';

/** The label that puts a pod into quarantine, and the policies' name. */
export const QUARANTINE_LABEL = 'kubepath.dev/quarantine';

export interface ContainmentStep {
  action: 'preserve' | 'isolate' | 'stop' | 'revoke';
  why: string;
  commands: string[];
  /** A manifest to apply (YAML), when the step has one. */
  manifest?: string;
  /** What the step leaves open, for the responder to weigh. */
  caveats: string[];
}

export interface ContainmentPlan {
  pod: string;
  workload?: string;
  serviceAccount: string;
  steps: ContainmentStep[];
}

/** A value as a shell word: single-quoted unless plainly safe. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A YAML scalar, quoted so that no name or label value is read as anything but a string. */
const yamlString = (text: string): string => JSON.stringify(text);

function preserve(pod: PodInfo): ContainmentStep {
  const ns = shellWord(pod.namespace);
  const name = shellWord(pod.name);
  return {
    action: 'preserve',
    why: 'keep what the pod is before it changes: its spec and status, its logs, the events around it',
    commands: pod.representative
      ? [
          `kubectl -n ${ns} get pods -l ${shellWord(
            Object.entries(pod.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(','),
          )} -o yaml > ${shellWord(`${pod.name}.evidence.yaml`)}`,
        ]
      : [
          `kubectl -n ${ns} get pod ${name} -o yaml > ${shellWord(`${pod.name}.evidence.yaml`)}`,
          `kubectl -n ${ns} logs ${name} --all-containers --timestamps > ${shellWord(`${pod.name}.logs.txt`)}`,
          `kubectl -n ${ns} get events --field-selector involvedObject.name=${pod.name} -o yaml > ${shellWord(`${pod.name}.events.yaml`)}`,
        ],
    caveats: pod.representative
      ? ['the input has no live pod of this workload (manifests): the commands select its pods by their template labels']
      : [],
  };
}

function isolate(model: ClusterModel, pod: PodInfo): ContainmentStep {
  const ns = shellWord(pod.namespace);
  const manifest = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: kubepath-quarantine',
    `  namespace: ${yamlString(pod.namespace)}`,
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    `      ${QUARANTINE_LABEL}: "true"`,
    '  policyTypes: [Ingress, Egress]',
    '',
  ].join('\n');
  // Policies that select the pod now and allow something: they still do while it keeps the labels they select by.
  const allows = (policy: (typeof model.snapshot.objects.networkPolicies)[number]): boolean =>
    (policy.spec?.ingress?.length ?? 0) + (policy.spec?.egress?.length ?? 0) > 0;
  const selecting = model.snapshot.objects.networkPolicies
    .filter(
      (policy) =>
        policy.metadata.namespace === pod.namespace && allows(policy) && compileSelector(policy.spec?.podSelector ?? {})(pod.labels),
    )
    .map((policy) => `NetworkPolicy/${policy.metadata.namespace}/${policy.metadata.name}`)
    .sort(compareStrings);
  const target = pod.representative
    ? `pods -l ${shellWord(
        Object.entries(pod.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      )}`
    : `pod ${shellWord(pod.name)}`;
  return {
    action: 'isolate',
    why: 'cut it off the network: a deny-all policy for quarantined pods, and the label that quarantines this one',
    commands: [`kubectl apply -f - <<'EOF'\n${manifest}EOF`, `kubectl -n ${ns} label --overwrite ${target} ${QUARANTINE_LABEL}=true`],
    manifest,
    caveats: [
      ...(selecting.length > 0
        ? [
            `NetworkPolicies add up: these select the pod today and still allow what they allow while it keeps the labels they select by (remove them with kubectl label pod ... KEY-): ${selecting.join(', ')}`,
          ]
        : []),
      'where the cluster serves AdminNetworkPolicy, a Deny rule for the quarantine label overrides every NetworkPolicy',
      'a pod on the host network is not governed by NetworkPolicy at all',
    ],
  };
}

function stop(pod: PodInfo): ContainmentStep {
  const ns = shellWord(pod.namespace);
  const workload = pod.workload;
  if (!workload) {
    return {
      action: 'stop',
      why: 'no controller owns the pod: delete it once the evidence is kept',
      commands: [`kubectl -n ${ns} delete pod ${shellWord(pod.name)}`],
      caveats: [],
    };
  }
  const ref = `${workload.kind.toLowerCase()}/${shellWord(workload.name)}`;
  switch (workload.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'ReplicationController':
      return {
        action: 'stop',
        why: `scale its ${workload.kind} to zero, so that no replica takes its place`,
        commands: [`kubectl -n ${ns} scale ${ref} --replicas=0`],
        caveats: ['an autoscaler (HorizontalPodAutoscaler, KEDA) may scale it up again: pause it too'],
      };
    case 'CronJob':
    case 'Job':
      return {
        action: 'stop',
        why: `suspend the ${workload.kind}, so that it starts nothing more`,
        commands: [`kubectl -n ${ns} patch ${ref} --type merge -p '{"spec":{"suspend":true}}'`],
        caveats:
          workload.kind === 'Job'
            ? ['suspending a Job stops its running pods']
            : ['running Jobs of the CronJob go on: suspend or delete them as well'],
      };
    case 'DaemonSet':
      return {
        action: 'stop',
        why: 'a DaemonSet cannot be scaled: a node selector no node matches removes its pods from every node',
        commands: [
          `kubectl -n ${ns} patch ${ref} --type merge -p '{"spec":{"template":{"spec":{"nodeSelector":{"${QUARANTINE_LABEL}":"no-node"}}}}}'`,
        ],
        caveats: ['remove the node selector to bring it back'],
      };
  }
}

function revoke(model: ClusterModel, rbac: RbacEngine, pod: PodInfo): ContainmentStep {
  const account = `system:serviceaccount:${pod.namespace}:${pod.serviceAccount}`;
  const bindings = rbac.policy.bindings.filter(
    (binding) =>
      !binding.bootstrap &&
      binding.subjects.some(
        (s) => s.kind === 'ServiceAccount' && s.name === pod.serviceAccount && (s.namespace ?? binding.namespace) === pod.namespace,
      ),
  );
  const commands = bindings.map((binding) =>
    binding.kind === 'RoleBinding'
      ? `kubectl -n ${shellWord(binding.namespace!)} delete rolebinding ${shellWord(binding.name)}`
      : `kubectl delete clusterrolebinding ${shellWord(binding.name)}`,
  );
  const tokenSecrets = model.snapshot.objects.secrets
    .filter(
      (secret) =>
        secret.type === TOKEN_SECRET_TYPE &&
        secret.metadata.namespace === pod.namespace &&
        secret.metadata.annotations?.[SA_NAME_ANNOTATION] === pod.serviceAccount,
    )
    .map((secret) => `kubectl -n ${shellWord(pod.namespace)} delete secret ${shellWord(secret.metadata.name)}`);
  const shared = model.pods.filter(
    (other) => other !== pod && other.namespace === pod.namespace && other.serviceAccount === pod.serviceAccount,
  ).length;
  return {
    action: 'revoke',
    why: `take away what a stolen token of ${account} allows: the bindings that name the account, and its long-lived token secrets`,
    commands: [...commands, ...tokenSecrets],
    caveats: [
      ...(bindings.length === 0 ? ['no binding of the input names the account directly'] : []),
      'grants to its groups (system:serviceaccounts, system:serviceaccounts:<ns>, system:authenticated) stay: removing them affects every account',
      `tokens already issued stay valid until they expire; deleting and recreating the ServiceAccount (kubectl -n ${shellWord(pod.namespace)} delete serviceaccount ${shellWord(pod.serviceAccount)}) invalidates its bound tokens at once`,
      ...(shared > 0
        ? [
            `${shared} other pod${shared === 1 ? '' : 's'} of ${pod.namespace} run${shared === 1 ? 's' : ''} as the same account and lose${shared === 1 ? 's' : ''} the same grants`,
          ]
        : []),
    ],
  };
}

export function containmentPlan(model: ClusterModel, rbac: RbacEngine, pod: PodInfo): ContainmentPlan {
  return {
    pod: pod.id,
    ...(pod.workload ? {workload: pod.workload.id} : {}),
    serviceAccount: serviceAccountId(pod.namespace, pod.serviceAccount),
    steps: [preserve(pod), isolate(model, pod), stop(pod), revoke(model, rbac, pod)],
  };
}
