/** shared-service-account: one service account used by unrelated applications (hardening). */
import {serviceAccountId} from '../graph/ids.js';
import type {ClusterModel, PodInfo} from '../graph/model.js';
import type {PostureRule} from './rule.js';
import {perObject} from '../util/memo.js';

/** Labels that name the application a pod belongs to, most specific last considered first. */
const APPLICATION_LABELS = ['app.kubernetes.io/part-of', 'app.kubernetes.io/instance', 'app.kubernetes.io/name', 'app'];

/** Which application a pod belongs to: its labels say, else its workload, else itself. */
export function applicationOf(pod: PodInfo): string {
  for (const label of APPLICATION_LABELS) if (pod.labels[label]) return `${label}=${pod.labels[label]}`;
  return pod.workload?.id ?? pod.id;
}

/** Per service account id: each application using it, with one workload or pod of it. */
const accountUsers = perObject((model: ClusterModel): Map<string, Map<string, string>> => {
  const users = new Map<string, Map<string, string>>();
  for (const pod of model.pods) {
    const account = serviceAccountId(pod.namespace, pod.serviceAccount);
    const applications = users.get(account) ?? new Map<string, string>();
    const application = applicationOf(pod);
    if (!applications.has(application)) applications.set(application, pod.workload?.id ?? pod.id);
    users.set(account, applications);
  }
  return users;
});

export const sharedServiceAccount: PostureRule = {
  id: 'shared-service-account',
  title: 'service account shared by unrelated applications',
  level: 'hardening',
  why: "every application using the account holds its token and its permissions: a breach of one is a breach of the others' access",
  check: (pod, context) => {
    const account = serviceAccountId(pod.namespace, pod.serviceAccount);
    const applications = accountUsers(context.model).get(account);
    if (!applications || applications.size < 2) return [];
    const own = applicationOf(pod);
    const others = [...applications.entries()]
      .filter(([application]) => application !== own)
      .map(([, user]) => user)
      .sort();
    const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
    const fieldPath = `${pod.source.specPath}.serviceAccountName`;
    return [
      {
        evidence: {object: pod.source.object, field: fieldPath, value: pod.serviceAccount, note: `${account} is also used by ${shown}`},
        fix: `give it a service account of its own (set ${fieldPath})`,
      },
    ];
  },
};
