/** selinux-options: SELinux options that leave the container's confinement (PSS baseline). */
import {containersOf, field} from '../graph/pod-spec.js';
import type {PostureRule, Violation} from './rule.js';

/** The SELinux types PSS baseline allows; user and role must not be set at all. */
const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

export const selinuxOptions: PostureRule = {
  id: 'selinux-options',
  title: 'SELinux confinement overridden',
  level: 'baseline',
  why: 'an SELinux type such as spc_t, or a custom user or role, takes the container out of the confinement container_t gives',
  check: (pod) => {
    const violations = new Map<string, Violation>();
    const inspect = (context: unknown, base: string): void => {
      const options = field(context, 'seLinuxOptions');
      if (options === undefined || options === null) return;
      const type = field(options, 'type');
      if (typeof type === 'string' && !ALLOWED_TYPES.has(type)) {
        violations.set(`${base}.type`, {
          evidence: {object: pod.source.object, field: `${base}.type`, value: type, note: `SELinux type ${type} is not a container type`},
          fix: `remove ${base}.type (or set container_t)`,
        });
      }
      for (const key of ['user', 'role']) {
        const value = field(options, key);
        if (typeof value === 'string' && value !== '') {
          violations.set(`${base}.${key}`, {
            evidence: {object: pod.source.object, field: `${base}.${key}`, value, note: `a custom SELinux ${key}`},
            fix: `remove ${base}.${key}`,
          });
        }
      }
    };
    inspect(pod.spec.securityContext, `${pod.source.specPath}.securityContext.seLinuxOptions`);
    for (const ref of containersOf(pod)) inspect(ref.container.securityContext, `${ref.path}.securityContext.seLinuxOptions`);
    return [...violations.values()];
  },
};
