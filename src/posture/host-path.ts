/** host-path: hostPath volumes (PSS baseline). */
import type {PostureRule} from './rule.js';

export const hostPath: PostureRule = {
  id: 'host-path',
  title: 'hostPath volume',
  level: 'baseline',
  why: "a hostPath volume opens the node's filesystem to the container; written, many paths hand over the node",
  check: (pod) =>
    (pod.spec.volumes ?? []).flatMap((volume, index) => {
      const path = volume.hostPath?.path;
      if (volume.hostPath === undefined || volume.hostPath === null) return [];
      const fieldPath = `${pod.source.specPath}.volumes[${index}].hostPath.path`;
      return [
        {
          evidence: {object: pod.source.object, field: fieldPath, value: path ?? '', note: `volume ${volume.name ?? index} is a host path`},
          fix: `replace volume ${volume.name ?? index} (${pod.source.specPath}.volumes[${index}]) with an emptyDir, configMap or persistentVolumeClaim`,
        },
      ];
    }),
};
