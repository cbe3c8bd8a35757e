/**
 * `npm run neo4j [-- start|stop|status]`: the local Neo4j of local-server.ts. `start`
 * (the default) prints the Bolt URI on stdout once it answers; the user is `neo4j`,
 * the password NEO4J_PASSWORD (default kubepath-local), the port NEO4J_PORT (default
 * 7687, 0 for any free one), the Java heap NEO4J_HEAP (default 1g) and the page cache
 * NEO4J_PAGECACHE (default 256m).
 */
import {DEFAULT_PASSWORD, LocalNeo4jError, running, start, stop} from './local-server.js';

async function main(action: string | undefined): Promise<number> {
  const say = (line: string): boolean => process.stderr.write(`kubepath neo4j: ${line}\n`);
  if (action === undefined || action === 'start') {
    const server = await start({
      port: Number(process.env.NEO4J_PORT ?? 7687),
      password: process.env.NEO4J_PASSWORD ?? DEFAULT_PASSWORD,
      heap: process.env.NEO4J_HEAP,
      pageCache: process.env.NEO4J_PAGECACHE,
      progress: say,
    });
    say(
      `Neo4j ${server.version} answers (pid ${server.pid}); user ${server.user}, password as NEO4J_PASSWORD (default ${DEFAULT_PASSWORD}); stop: npm run neo4j -- stop`,
    );
    process.stdout.write(`${server.uri}\n`);
    return 0;
  }
  if (action === 'stop') {
    say((await stop()) ? 'stopped' : 'not running');
    return 0;
  }
  if (action === 'status') {
    const server = running();
    if (server) process.stdout.write(`${server.uri}\n`);
    else say('not running');
    return server ? 0 : 1;
  }
  say(`unknown action ${JSON.stringify(action)}: use start, stop or status`);
  return 2;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (!(error instanceof LocalNeo4jError)) throw error;
    process.stderr.write(`kubepath neo4j: error: ${error.message}\n`);
    process.exit(2);
  },
);
