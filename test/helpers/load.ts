/** Loads inputs through the library pipeline: snapshot, model and graph. */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {createRuleContext} from '../../src/engines/context.js';
import {RULES} from '../../src/edges/index.js';
import {buildGraph} from '../../src/graph/build.js';
import {buildModel, type ClusterModel} from '../../src/graph/model.js';
import {AttackMoves} from '../../src/paths/moves.js';
import {loadInputs} from '../../src/snapshot/load.js';
import {attachVulnerabilities} from '../../src/vulns/match.js';
import type {ScannedImage} from '../../src/vulns/trivy.js';
import {tempDir} from './cli.js';

export async function loadAll(inputs: string[], stdin?: string) {
  const {snapshot, warnings} = await loadInputs(inputs, stdin === undefined ? {} : {readStdin: async () => Buffer.from(stdin)});
  const model = buildModel(snapshot);
  const graph = buildGraph(model);
  return {snapshot, warnings, model, graph};
}

/** Writes files into a fresh temporary folder and returns its path. */
export function writeFiles(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export async function loadYaml(text: string) {
  const dir = writeFiles({'input.yaml': text});
  return loadAll([join(dir, 'input.yaml')]);
}

/** What path search follows on the inputs (with what vulnerability scans say of their images): their graph, rule context and moves. */
export async function attackMovesOf(input: string, scans: (model: ClusterModel) => ScannedImage[] = () => []): Promise<AttackMoves> {
  const {snapshot} = await loadInputs([input]);
  const model = buildModel(snapshot);
  attachVulnerabilities(model, scans(model));
  const context = createRuleContext(model);
  return new AttackMoves(buildGraph(model, RULES, context), context, RULES);
}
