/**
 * The collector's progress line on stderr: rewritten in place on a terminal; in a log,
 * a line at most every few seconds and one at the end, so logs stay short.
 */
import type {Progress} from './collector.js';

const LOG_INTERVAL_MS = 5_000;

export function progressLine(stream: NodeJS.WriteStream = process.stderr): {update: (progress: Progress) => void; end: () => void} {
  const tty = stream.isTTY === true;
  let lastLogged = Date.now();
  let shown = false;
  const text = (p: Progress): string =>
    `kubepath: collecting: ${p.listsDone}/${p.listsTotal} lists done, ${p.objects.toLocaleString('en-US')} objects`;
  return {
    update(progress) {
      if (tty) {
        stream.write(`\r\x1b[K${text(progress)}`);
        shown = true;
        return;
      }
      const done = progress.listsDone === progress.listsTotal;
      if (done || Date.now() - lastLogged >= LOG_INTERVAL_MS) {
        stream.write(`${text(progress)}\n`);
        lastLogged = Date.now();
      }
    },
    end() {
      if (tty && shown) stream.write('\n');
    },
  };
}
