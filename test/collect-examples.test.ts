/**
 * examples/in-cluster: the collector's own least-privilege RBAC and CronJob, checked
 * by kubepath itself against what the collector lists (src/collect/resources.ts).
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {LIST_RESOURCES} from '../src/collect/resources.js';
import {buildRbacEngine} from '../src/engines/rbac/engine.js';
import {buildModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {EXAMPLE, ROOT, runCli} from './helpers/cli.js';

const IN_CLUSTER = join(ROOT, 'examples', 'in-cluster');
const RBAC = join(IN_CLUSTER, 'rbac.yaml');
const CRONJOB = join(IN_CLUSTER, 'cronjob.yaml');
const SECRETS = join(IN_CLUSTER, 'optional', 'secret-metadata.yaml');
const COLLECTOR = 'sa:kubepath/kubepath-collector';

async function engineFor(files: string[]) {
  const {snapshot} = await loadInputs(files);
  return buildRbacEngine(buildModel(snapshot), {bootstrap: false});
}

describe('examples/in-cluster', () => {
  it('lets the collector list every kind it lists, secrets only with the optional role, and nothing else', async () => {
    const base = await engineFor([RBAC]);
    const withSecrets = await engineFor([RBAC, SECRETS]);
    for (const {group, resource} of LIST_RESOURCES) {
      const request = {verb: 'list', group, resource};
      const allowed = (engine: typeof base) => engine.whoCan(request).some((entry) => entry.identity.id === COLLECTOR);
      expect(allowed(base), `${resource}.${group}`).toBe(resource !== 'secrets');
      expect(allowed(withSecrets), `${resource}.${group}`).toBe(true);
      for (const verb of ['get', 'watch', 'create', 'update', 'patch', 'delete']) {
        expect(
          withSecrets.whoCan({verb, group, resource}).some((entry) => entry.identity.id === COLLECTOR),
          `${verb} ${resource}`,
        ).toBe(false);
      }
    }
    // Nor anything the collector does not read.
    const others = [
      {group: '', resource: 'configmaps'},
      {group: '', resource: 'pods', subresource: 'log'},
      {group: 'apps', resource: 'controllerrevisions'},
      {group: 'example.com', resource: 'widgets'},
    ];
    for (const request of others) {
      expect(
        withSecrets.whoCan({verb: 'list', ...request}).some((entry) => entry.identity.id === COLLECTOR),
        request.resource,
      ).toBe(false);
    }
  });

  it('gives the collector no attack edge in a real cluster; the optional secret lister reads every secret, as its comment warns', () => {
    const attackEdgesOf = (inputs: string[]) => {
      const result = runCli(['graph', ...inputs, '-o', 'json']);
      expect(result.status, result.stderr).toBe(0);
      const graph = JSON.parse(result.stdout) as {edges: Array<{source: string; target: string; type: string; attack: boolean}>};
      return graph.edges.filter((e) => e.attack && (e.source === COLLECTOR || e.source.startsWith('pod:kubepath/')));
    };
    const base = attackEdgesOf([EXAMPLE, RBAC, CRONJOB]);
    // Its pod holds its token, and nothing more: no escape, no host access.
    expect(base.map((e) => `${e.type} ${e.target}`)).toEqual([`USES_TOKEN ${COLLECTOR}`]);
    const withSecrets = attackEdgesOf([EXAMPLE, RBAC, CRONJOB, SECRETS]);
    const reads = withSecrets.filter((e) => e.type === 'CAN_READ_SECRET');
    expect(reads.length).toBeGreaterThan(5);
    expect(reads.every((e) => e.target.startsWith('secret:'))).toBe(true);
  });
});
