/**
 * The local Neo4j (`npm run neo4j`, src/neo4j/local-server.ts): a real Neo4j 5.26
 * Community server from Maven Central jars, answering Bolt with a password, that the
 * test setup started (test/helpers/neo4j-setup.ts); and a second one started, stopped
 * and started again in a folder of its own, its data kept.
 */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import neo4j from 'neo4j-driver';
import {describe, expect, inject, it} from 'vitest';
import {layout, LocalNeo4jError, NEO4J_VERSION, running, start, stop} from '../src/neo4j/local-server.js';
import {ROOT, tempDir} from './helpers/cli.js';

async function query<T>(uri: string, password: string, cypher: string, parameters: Record<string, unknown> = {}): Promise<T[]> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', password), {disableLosslessIntegers: true});
  try {
    const {records} = await driver.executeQuery(cypher, parameters);
    return records.map((record) => record.toObject() as T);
  } finally {
    await driver.close();
  }
}

describe('the local Neo4j', () => {
  it('is Neo4j 5.26 Community, answering Bolt, and refuses a wrong password', async () => {
    const {uri, password} = inject('neo4j');
    expect(uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
    expect(await query(uri, password, 'CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition')).toEqual([
      {version: NEO4J_VERSION, edition: 'community'},
    ]);
    const wrong = neo4j.driver(uri, neo4j.auth.basic('neo4j', 'not-the-password'));
    await expect(wrong.verifyConnectivity()).rejects.toThrow(/unauthorized|authentication/i);
    await wrong.close();
  });

  it('`npm run neo4j -- status` prints the URI of the server running', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'neo4j', 'cli.js'), 'status'], {encoding: 'utf8'});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(inject('neo4j').uri);
  });

  it('starts in a folder of its own, stops cleanly, and keeps its data across a restart', async () => {
    const paths = layout(tempDir('kubepath-neo4j-'));
    const password = 'second-server';
    const first = await start({port: 0, password, paths});
    try {
      expect(running(paths)?.pid).toBe(first.pid);
      await query(first.uri, password, 'CREATE (:Marker {value: $value})', {value: 'kept'});
    } finally {
      expect(await stop(paths)).toBe(true);
    }
    expect(running(paths)).toBeUndefined();
    expect(await stop(paths)).toBe(false);
    const again = await start({port: 0, password, paths});
    try {
      expect(await query(again.uri, password, 'MATCH (m:Marker) RETURN m.value AS value')).toEqual([{value: 'kept'}]);
    } finally {
      await stop(paths);
    }
  });

  it('refuses a password Neo4j would refuse, before starting anything', async () => {
    const paths = layout(tempDir('kubepath-neo4j-'));
    await expect(start({password: 'short', paths})).rejects.toThrow(LocalNeo4jError);
    await expect(start({password: 'short', paths})).rejects.toThrow('at least 8 characters');
    expect(running(paths)).toBeUndefined();
  });
});
