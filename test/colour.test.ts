/**
 * Colour in the table outputs (src/output/colour.ts): on for a terminal, off when
 * piped or written to a file, never with NO_COLOR, forced with FORCE_COLOR; and cluster
 * data's own escapes stay escaped inside the colour.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {COLOUR, paletteFor, PLAIN} from '../src/output/colour.js';
import {EXAMPLE, ROOT, runCli, tempDir} from './helpers/cli.js';

const ESC = '\u001b[';

describe('paletteFor', () => {
  it('colours a terminal, not a pipe or a file; NO_COLOR always wins; FORCE_COLOR colours a pipe', () => {
    expect(paletteFor({isTTY: true}, {})).toBe(COLOUR);
    expect(paletteFor({isTTY: false}, {})).toBe(PLAIN);
    expect(paletteFor(undefined, {FORCE_COLOR: '1'})).toBe(PLAIN);
    expect(paletteFor({isTTY: true}, {NO_COLOR: '1'})).toBe(PLAIN);
    expect(paletteFor({isTTY: true}, {NO_COLOR: '1', FORCE_COLOR: '1'})).toBe(PLAIN);
    expect(paletteFor({isTTY: false}, {FORCE_COLOR: '1'})).toBe(COLOUR);
    expect(paletteFor({isTTY: false}, {FORCE_COLOR: '0'})).toBe(PLAIN);
    // An empty NO_COLOR is unset (no-color.org).
    expect(paletteFor({isTTY: true}, {NO_COLOR: ''})).toBe(COLOUR);
  });
});

describe('kubepath analyze and paths tables', () => {
  it('piped: no escape at all', () => {
    const result = runCli(['analyze', EXAMPLE], {env: {NO_COLOR: '', FORCE_COLOR: ''}});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('[CRITICAL]');
    expect(result.stdout).not.toContain(ESC);
  });

  it('forced: severities coloured, evidence dimmed, the text unchanged once escapes are stripped', () => {
    const plain = runCli(['analyze', EXAMPLE], {env: {NO_COLOR: '', FORCE_COLOR: ''}}).stdout;
    const coloured = runCli(['analyze', EXAMPLE], {env: {NO_COLOR: '', FORCE_COLOR: '1'}}).stdout;
    expect(coloured).toContain(`${ESC}1;31m[CRITICAL]${ESC}0m`);
    expect(coloured).toContain(`${ESC}2m`);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('in a real terminal: `paths` colours its headings; NO_COLOR turns it off there too', () => {
    const inTerminal = (env: Record<string, string>) =>
      spawnSync(
        'script',
        [
          '-qec',
          `"${process.execPath}" "${join(ROOT, 'bin', 'run.js')}" paths "${EXAMPLE}" --from internet --to cluster-admin --max-paths 1`,
          '/dev/null',
        ],
        {
          encoding: 'utf8',
          env: {...process.env, FORCE_COLOR: '', ...env},
        },
      );
    const coloured = inTerminal({NO_COLOR: ''});
    expect(coloured.status, coloured.stderr).toBe(0);
    expect(coloured.stdout).toContain(`${ESC}1mPath 1 of 1, cost`);
    const plain = inTerminal({NO_COLOR: '1'});
    expect(plain.stdout).toContain('Path 1 of 1, cost');
    expect(plain.stdout).not.toContain(ESC);
  });

  it('never for --output-file, even forced', () => {
    const file = join(tempDir(), 'findings.txt');
    const result = runCli(['analyze', EXAMPLE, '--output-file', file], {env: {NO_COLOR: '', FORCE_COLOR: '1'}});
    expect(result.status, result.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('[CRITICAL]');
    expect(text).not.toContain(ESC);
  });
});
