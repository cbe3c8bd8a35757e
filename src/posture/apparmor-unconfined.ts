/** apparmor-unconfined: AppArmor explicitly off (PSS baseline). */
import {appArmorUnconfined, containersOf} from '../graph/pod-spec.js';
import type {PostureRule} from './rule.js';

export const apparmorUnconfined: PostureRule = {
  id: 'apparmor-unconfined',
  title: 'AppArmor turned off',
  level: 'baseline',
  why: "the runtime's default AppArmor profile denies mounts and ptrace of host processes that escapes rely on",
  check: (pod, {model}) =>
    containersOf(pod).flatMap((ref) => {
      const evidence = appArmorUnconfined(pod, ref, model.kubernetesVersion);
      return evidence
        ? [
            {
              evidence: {...evidence, note: 'AppArmor is off'},
              fix: `set ${evidence.field} to RuntimeDefault (remove the annotation; set securityContext.appArmorProfile.type)`,
            },
          ]
        : [];
    }),
};
