/** How bench.ts tells a pipeline run (pipeline.ts) where its local Neo4j is: JSON {uri, user, password} in this variable. */
export const NEO4J_ENV = 'KUBEPATH_BENCH_NEO4J';
