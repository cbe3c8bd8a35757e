/**
 * `node dist/bench/serve-fake-api.js --pods N --seed S --kubeconfig FILE`: serves a
 * generated cluster (the bench's own, same seed) from the stand-in API server
 * (fake-api-server.ts) until stopped, and writes a kubeconfig for it. It prints
 * `ready URL` on stdout once it answers. The bench runs it in a process of its own, so
 * that the collector's peak memory is the collector's alone.
 */
import {writeFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {generateCluster} from '../generate/cluster.js';
import {startFakeApiServer} from './fake-api-server.js';

const {values} = parseArgs({options: {pods: {type: 'string'}, seed: {type: 'string'}, kubeconfig: {type: 'string'}}, strict: true});
if (!values.pods || !values.kubeconfig) {
  process.stderr.write('usage: serve-fake-api.js --pods N [--seed S] --kubeconfig FILE\n');
  process.exit(2);
}
const server = await startFakeApiServer(generateCluster({pods: Number(values.pods), seed: Number(values.seed ?? '1')}));
writeFileSync(values.kubeconfig, server.kubeconfig());
process.stdout.write(`ready ${server.url}\n`);
const stop = (): void => {
  process.stderr.write(`served ${server.requests.length} requests\n`);
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
