/**
 * kubepath commands
 * =================
 *
 * The command list oclif reads (explicit strategy: no folder scanning at start-up).
 */
import Analyze from './analyze.js';
import Collect from './collect.js';
import Diff from './diff.js';
import ExportCsv from './export/csv.js';
import ExportCypher from './export/cypher.js';
import ExportNeo4j from './export/neo4j.js';
import ExportOpenGraph from './export/opengraph.js';
import Graph from './graph.js';
import Paths from './paths.js';
import Reach from './reach.js';
import Report from './report.js';
import WhoCan from './who-can.js';
import Contain from './contain.js';

export const COMMANDS = {
  analyze: Analyze,
  collect: Collect,
  diff: Diff,
  'export:csv': ExportCsv,
  'export:cypher': ExportCypher,
  'export:neo4j': ExportNeo4j,
  'export:opengraph': ExportOpenGraph,
  graph: Graph,
  paths: Paths,
  reach: Reach,
  report: Report,
  'who-can': WhoCan,
  contain: Contain,
};
