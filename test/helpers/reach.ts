/**
 * `reach` as data: the connectivity list for a set of input paths, one line per
 * allowed connection (`SRC => DST : CONN`). Tests about network semantics call only
 * this helper, so the engine behind it can change without touching them.
 */
import {buildNetworkEngine} from '../../src/engines/network/engine.js';
import {buildModel} from '../../src/graph/model.js';
import {ingressRoutes} from '../../src/engines/network/routes.js';
import {connectivityList} from '../../src/output/connlist.js';
import {loadInputs} from '../../src/snapshot/load.js';

export async function reachLines(paths: string[]): Promise<Array<{src: string; dst: string; conn: string}>> {
  const {snapshot} = await loadInputs(paths);
  const model = buildModel(snapshot);
  const engine = buildNetworkEngine(model);
  return [...connectivityList(engine, ingressRoutes(model, engine))];
}
