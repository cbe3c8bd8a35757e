/**
 * Vitest global setup: the local Neo4j of src/neo4j/local-server.ts (what `npm run neo4j`
 * starts), for the tests that load into a real server. A server already running is
 * reused and left running; one started here is stopped when the run ends.
 */
import type {TestProject} from 'vitest/node';
import {running, start, stop} from '../../src/neo4j/local-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: {uri: string; user: string; password: string};
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reused = running();
  const server = reused ?? (await start({port: 0, progress: (line) => process.stderr.write(`neo4j: ${line}\n`)}));
  project.provide('neo4j', {uri: server.uri, user: server.user, password: server.password});
  return async () => {
    if (!reused) await stop();
  };
}
