/** volume-types: volumes of kinds PSS restricted does not allow (host paths are host-path's, a baseline finding). */
import type {PostureRule} from './rule.js';

const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

export const volumeTypes: PostureRule = {
  id: 'volume-types',
  title: 'volume type outside the restricted list',
  level: 'restricted',
  why: 'volume plugins beyond the restricted list (nfs, iscsi, cephfs, ...) mount storage the cluster does not mediate, often with node-level credentials',
  check: (pod) =>
    (pod.spec.volumes ?? []).flatMap((volume, index) => {
      const type = Object.keys(volume).find((key) => key !== 'name');
      if (type === undefined || type === 'hostPath' || ALLOWED.has(type)) return [];
      const fieldPath = `${pod.source.specPath}.volumes[${index}].${type}`;
      return [
        {
          evidence: {object: pod.source.object, field: fieldPath, value: type, note: `volume ${volume.name ?? index} is of type ${type}`},
          fix: `replace volume ${volume.name ?? index} with a persistentVolumeClaim`,
        },
      ];
    }),
};
