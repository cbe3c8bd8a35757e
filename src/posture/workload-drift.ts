/**
 * workload-drift: pods of one controller that differ from its template, or from each
 * other when the template is not in the input, in what decides their access: images,
 * service account, labels (which policies and services select by) and security
 * settings. A sign of tampering (a pod edited in place, one added by hand with the
 * controller's labels) or of a rollout that is stuck (hardening).
 */
import type {PodInfo} from '../graph/model.js';
import {canonicalJson, compareStrings} from '../util/order.js';
import {pushTo} from '../util/group.js';
import type {PostureRule, Violation} from './rule.js';

/** Labels the controllers themselves add to the pods they create. */
const CONTROLLER_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
]);

/** The facts compared, each with the field path it is read from in `pod`. */
function facts(pod: PodInfo): Map<string, {field: string; value: string}> {
  const found = new Map<string, {field: string; value: string}>();
  const spec = pod.source.specPath;
  found.set('serviceAccount', {field: `${spec}.serviceAccountName`, value: pod.serviceAccount});
  found.set('securityContext', {field: `${spec}.securityContext`, value: canonicalJson(pod.spec.securityContext ?? {})});
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const)
    found.set(key, {field: `${spec}.${key}`, value: String(pod.spec[key] === true)});
  for (const kind of ['containers', 'initContainers'] as const) {
    (pod.spec[kind] ?? []).forEach((container, index) => {
      const name = container.name ?? String(index);
      found.set(`${kind}/${name}/image`, {field: `${spec}.${kind}[${index}].image`, value: container.image ?? ''});
      found.set(`${kind}/${name}/securityContext`, {
        field: `${spec}.${kind}[${index}].securityContext`,
        value: canonicalJson(container.securityContext ?? {}),
      });
    });
  }
  const labelsAt = pod.representative ? spec.replace(/\.spec$/, '.metadata.labels') : 'metadata.labels';
  for (const [key, value] of Object.entries(pod.labels))
    if (!CONTROLLER_LABELS.has(key)) found.set(`label/${key}`, {field: `${labelsAt}["${key}"]`, value});
  return found;
}

/** How `pod` differs from `reference`: each fact that differs, or that one has and the other lacks. */
function differences(pod: PodInfo, reference: PodInfo, against: string): Violation[] {
  const own = facts(pod);
  const expected = facts(reference);
  const violations: Violation[] = [];
  const fix = `find out why Pod ${pod.namespace}/${pod.name} differs from ${against}: if it was changed by hand, delete it (the controller makes a new one from the template) and look into who changed it; if a rollout is stuck, finish or undo it`;
  for (const key of [...new Set([...own.keys(), ...expected.keys()])].sort(compareStrings)) {
    const mine = own.get(key);
    const theirs = expected.get(key);
    if (mine?.value === theirs?.value) continue;
    // A container the reference lacks was injected at admission (a service mesh's sidecar): pods cannot gain one later.
    if (theirs === undefined && /^(containers|initContainers)\//.test(key)) continue;
    const field = mine?.field ?? theirs!.field.replace(reference.source.specPath, pod.source.specPath);
    const note =
      theirs === undefined
        ? `not in ${against}`
        : mine === undefined
          ? `missing; ${against} has ${theirs.value}`
          : `${against} has ${theirs.value}`;
    violations.push({evidence: {object: pod.source.object, field, value: mine?.value ?? 'unset', note}, fix});
  }
  return violations;
}

export const workloadDrift: PostureRule = {
  id: 'workload-drift',
  title: "pods that differ from their controller's template",
  level: 'hardening',
  why: "a pod edited in place, or added by hand with the controller's labels, runs what nobody reviewed; a stuck rollout keeps running what was meant to be replaced",
  check: (subject) => {
    const workload = subject.workload;
    const live = (workload?.pods ?? []).filter((pod) => !pod.representative);
    if (!workload || live.length === 0) return [];
    // Against the template when the input has it; else against the variant most pods share.
    if (subject.representative) return live.flatMap((pod) => differences(pod, subject, `the ${workload.kind}'s template`));
    const variants = new Map<string, PodInfo[]>();
    for (const pod of live) {
      const signature = canonicalJson([...facts(pod).entries()].map(([key, fact]) => [key, fact.value]));
      pushTo(variants, signature, pod);
    }
    if (variants.size < 2) return [];
    const [majority] = [...variants.values()].sort((a, b) => b.length - a.length || compareStrings(a[0]!.id, b[0]!.id));
    const agreeing = new Set(majority);
    return live
      .filter((pod) => !agreeing.has(pod))
      .flatMap((pod) => differences(pod, majority![0]!, `the other pods of ${workload.kind} ${workload.namespace}/${workload.name}`));
  },
};
