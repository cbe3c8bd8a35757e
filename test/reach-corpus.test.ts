/**
 * Outside truth for the network engine: `reach -o txt` on every netpol-analyzer case
 * must equal netpol-analyzer's own connectivity list, byte for byte.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {formatConnectivityText} from '../src/output/connlist.js';
import {CORPUS, runCli} from './helpers/cli.js';
import {reachLines} from './helpers/reach.js';

const NETPOL = join(CORPUS, 'netpol-analyzer');
const cases = readdirSync(join(NETPOL, 'cases')).sort();

/** Cases that may differ, each with the reason. None at present. */
const KNOWN_DIFFERENCES: Record<string, string> = {};

async function reachText(caseName: string): Promise<string> {
  return [...formatConnectivityText(await reachLines([join(NETPOL, 'cases', caseName)]))].join('');
}

describe('reach on the netpol-analyzer corpus', () => {
  it.each(cases)('%s matches the expected connectivity list', async (caseName) => {
    const expected = readFileSync(join(NETPOL, 'expected', `${caseName}.txt`), 'utf8');
    const actual = await reachText(caseName);
    if (caseName in KNOWN_DIFFERENCES) return;
    expect(actual.trimEnd()).toBe(expected.trimEnd());
  });

  it('matches at least 64 of the 66 cases, and every difference is explained', async () => {
    let matched = 0;
    for (const caseName of cases) {
      const expected = readFileSync(join(NETPOL, 'expected', `${caseName}.txt`), 'utf8');
      if ((await reachText(caseName)).trimEnd() === expected.trimEnd()) matched++;
      else expect(KNOWN_DIFFERENCES, `${caseName} differs without an explanation`).toHaveProperty(caseName);
    }
    expect(cases).toHaveLength(66);
    expect(matched).toBeGreaterThanOrEqual(64);
  });

  it('prints the same facts as JSON from the command line', () => {
    const dir = join(NETPOL, 'cases', 'netpol-analysis-example-minimal');
    const txt = runCli(['reach', dir, '-o', 'txt']);
    const json = runCli(['reach', dir, '--json']);
    expect(txt.status, txt.stderr).toBe(0);
    expect(json.status, json.stderr).toBe(0);
    const lines = JSON.parse(json.stdout) as Array<{src: string; dst: string; conn: string}>;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => `${l.src} => ${l.dst} : ${l.conn}\n`).join('')).toBe(txt.stdout);
  });
});
