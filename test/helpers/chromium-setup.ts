/**
 * Vitest global setup: a real Chromium for the report tests (test/report.test.ts), driven
 * by playwright-core. Debian's `chromium` package, installed with apt-get when missing
 * (as root, or through sudo without a password); CHROMIUM_PATH names another binary.
 */
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import type {TestProject} from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: string;
  }
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const found = (): string | undefined =>
  [process.env.CHROMIUM_PATH, ...CANDIDATES].find((path): path is string => path !== undefined && path !== '' && existsSync(path));

function aptGet(args: string[]): void {
  const root = process.getuid?.() === 0;
  const [command, prefix] = root ? ['apt-get', []] : ['sudo', ['-n', 'apt-get']];
  const result = spawnSync(command, [...prefix, ...args], {
    encoding: 'utf8',
    env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'},
    timeout: 900_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `installing Chromium for the report tests: ${command} ${[...prefix, ...args].join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-10).join('\n')}`,
    );
  }
}

export default function setup(project: TestProject): void {
  let path = found();
  if (!path) {
    process.stderr.write('chromium: not installed; installing the Debian package (about 110 MB, once)\n');
    aptGet(['update']);
    aptGet(['install', '-y', '--no-install-recommends', 'chromium']);
    path = found();
    if (!path) throw new Error(`installing Chromium for the report tests: apt-get succeeded but none of ${CANDIDATES.join(', ')} exists`);
  }
  project.provide('chromium', path);
}
