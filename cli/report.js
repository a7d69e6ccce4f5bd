// What the user sees: a progress bar (cli-progress) when stderr is a terminal, else one
// plain line per file; --json puts one record per file on stdout instead. Failures always
// get a one-line reason on stderr, and a summary line ends the run.
import cliProgress from 'cli-progress';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export class Reporter {
  #bar = null;
  #multi = null;

  constructor({ json }) {
    this.json = json;
    this.stdout = process.stdout;
    this.stderr = process.stderr;
    this.progress = process.stderr.isTTY === true;  // a bar on a terminal, plain lines otherwise
    this.counts = { written: 0, skipped: 0, failed: 0 };
  }

  start(total) {
    if (!this.progress) return;
    this.#multi = new cliProgress.MultiBar({
      stream: this.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 8,
      format: ' {bar} {value}/{total} | {failed} failed | eta {eta_formatted} | {file}',
    }, cliProgress.Presets.shades_classic);
    this.#bar = this.#multi.create(total, 0, { file: '', failed: 0 });
  }

  /** A photo has started (shown on the bar). */
  begin(input) {
    this.#bar?.update({ file: input });
  }

  // One line above the bar, or straight to the stream.
  #line(stream, text) {
    if (this.#multi) this.#multi.log(`${text}\n`);
    else stream.write(`${text}\n`);
  }

  result(r) {
    this.counts[r.status]++;
    if (this.json) this.stdout.write(`${JSON.stringify(r)}\n`);
    if (r.status === 'failed') this.#line(this.stderr, `failed  ${r.input}: ${r.error.message} (${r.error.code})`);
    else if (!this.json && !this.progress) {
      this.#line(this.stdout, r.status === 'written'
        ? `written ${r.input} -> ${r.output} (${r.width}x${r.height}, ${seconds(r.timings.total)})`
        : `skipped ${r.input}: ${r.reason}`);
    }
    this.#bar?.increment(1, { failed: this.counts.failed });
  }

  /** A failure that is not one file's (bad usage, engine cannot start). */
  fatal(message) {
    this.finish();
    this.stderr.write(`defocus: ${message}\n`);
  }

  finish(wallMs) {
    if (this.#multi) {
      this.#bar.update({ file: '' });
      this.#multi.stop();  // leaves the final bar on screen
      this.#multi = this.#bar = null;
    }
    if (wallMs === undefined) return;
    const { written, skipped, failed } = this.counts;
    this.stderr.write(`defocus: ${written} written, ${skipped} skipped, ${failed} failed in ${seconds(wallMs)}\n`);
  }
}
