/**
 * `node dist/bench/open-report.js FILE`: opens a report in Chromium (playwright-core,
 * Debian's binary or CHROMIUM_PATH), every request refused, and prints as JSON how long
 * it took until the viewer had drawn its graph, the elements drawn, and any console error.
 * bench.ts runs it on the report of the 10,000-pod cluster.
 */
import {existsSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';
import {chromium} from 'playwright-core';

async function main(file: string): Promise<void> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (path): path is string => Boolean(path) && existsSync(path!),
  );
  if (!executablePath) throw new Error('no Chromium (install the Debian package chromium, or set CHROMIUM_PATH)');
  const browser = await chromium.launch({executablePath, args: ['--no-sandbox']});
  try {
    const page = await browser.newPage({viewport: {width: 1600, height: 1000}});
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const started = performance.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as {kubepathReport?: unknown}).kubepathReport !== undefined, undefined, {
      timeout: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;
    const elements = await page.evaluate(
      () => (globalThis as unknown as {kubepathReport: {cy: {elements: () => {length: number}}}}).kubepathReport.cy.elements().length,
    );
    process.stdout.write(`${JSON.stringify({seconds, elements, errors})}\n`);
  } finally {
    await browser.close();
  }
}

main(process.argv[2] ?? '').catch((error: Error) => {
  process.stderr.write(`kubepath bench open-report: ${error.message.split('\n')[0]}\n`);
  process.exit(1);
});
