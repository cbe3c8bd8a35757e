/**
 * `reach -o txt` on a generated 20,000-pod cluster runs to completion: every
 * connection, over a gigabyte of text, is made and written line by line (it once joined
 * the output into one string and failed past V8's string limit at 15,000 pods). Its
 * standard output goes to a sink that only counts; the lines must be exactly the
 * connections the network engine's class reachability gives, and the CLI's memory stays
 * below a bound the output alone would exceed.
 */
import {describe, expect, it} from 'vitest';
import {runCounted} from '../src/bench/reach-output.js';
import {buildNetworkEngine} from '../src/engines/network/engine.js';
import {ingressRoutes} from '../src/engines/network/routes.js';
import {buildModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {generatedCluster} from './helpers/cli.js';

const PODS = 20_000;
const MiB = 1024 * 1024;

/** How many lines `reach` must print, counted from class reachability: workload pairs by class, then outside addresses and the ingress controller. */
async function expectedLines(file: string): Promise<number> {
  const {snapshot} = await loadInputs([file]);
  const model = buildModel(snapshot);
  const engine = buildNetworkEngine(model);
  const peersOfClass = new Map<number, number>();
  for (const peer of engine.peers) peersOfClass.set(peer.cls.index, (peersOfClass.get(peer.cls.index) ?? 0) + 1);
  let lines = 0;
  for (const peer of engine.peers) {
    const reached = engine.reachableFrom(peer.cls);
    for (const d of reached.members()) lines += peersOfClass.get(d) ?? 0;
    if (reached.has(peer.cls.index)) lines--;
    const pod = {kind: 'pod' as const, cls: peer.cls};
    for (const atom of engine.destinationAtoms) if (!engine.connection(pod, {kind: 'external', atom}).isEmpty()) lines++;
    for (const atom of engine.sourceAtoms) if (!engine.connection({kind: 'external', atom}, pod).isEmpty()) lines++;
  }
  for (const [peer, ports] of ingressRoutes(model, engine)) {
    if (!engine.connection({kind: 'ingress-controller'}, {kind: 'pod', cls: peer.cls}).intersect(ports).isEmpty()) lines++;
  }
  return lines;
}

describe(`reach -o txt on ${PODS.toLocaleString('en-US')} pods`, () => {
  it('completes, one line per connection the engine finds, in memory far below its output', {timeout: 1_800_000}, async () => {
    const file = generatedCluster(PODS, 1);
    const run = await runCounted(['reach', file, '-o', 'txt'], 1_700);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.lines).toBe(await expectedLines(file));
    // 1.4 GB of text at seed 1: held whole it would not even fit in one string.
    expect(run.bytes).toBeGreaterThan(1024 * MiB);
    expect(run.maxRssMiB).toBeDefined();
    expect(run.maxRssMiB!).toBeLessThan(2048);
  });
});
