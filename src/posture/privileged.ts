/** privileged: a privileged container is the node's root (PSS baseline). */
import {containersOf, isPrivileged} from '../graph/pod-spec.js';
import type {PostureRule} from './rule.js';

export const privileged: PostureRule = {
  id: 'privileged',
  title: 'privileged container',
  level: 'baseline',
  why: 'a privileged container has every capability and the host devices: it is root on the node',
  check: (pod) =>
    containersOf(pod)
      .filter(isPrivileged)
      .map((ref) => ({
        evidence: {object: pod.source.object, field: `${ref.path}.securityContext.privileged`, value: true, note: 'privileged'},
        fix: `remove ${ref.path}.securityContext.privileged (or set it to false)`,
      })),
};
