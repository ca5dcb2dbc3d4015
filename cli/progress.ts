// A progress line on a terminal's standard error while a long file is read: how far, how many
// lines, how fast. Never on a pipe or a file (a log would fill with carriage returns), and never
// more often than a few times a second.

/** Reports how much of one input has been read; `done` clears the line. */
export interface Progress {
  /** `bytes` read of the input so far, `lines` the line number reached. */
  update(bytes: number, lines: number): void;
  done(): void;
}

/** What a progress line writes to and reads the time from (replaceable for tests). */
export interface ProgressTarget {
  write(text: string): void;
  now(): number;
}

/** How long between two updates of the line, in milliseconds. */
const EVERY_MS = 250;
/** No line for inputs read quicker than this: it would only flicker. */
const AFTER_MS = 1000;

const thousands = (n: number): string => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const rate = (perSecond: number): string =>
  perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M` : perSecond >= 1e3 ? `${(perSecond / 1e3).toFixed(1)} k` : perSecond.toFixed(0);

/**
 * A progress line for reading `label` (`total` bytes, when known), written to `target`.
 */
export function progressLine(target: ProgressTarget, label: string, total: number | undefined): Progress {
  const start = target.now();
  let last = start;
  let shown = false;
  return {
    update(bytes, lines) {
      const t = target.now();
      if (t - start < AFTER_MS || t - last < EVERY_MS) return;
      last = t;
      shown = true;
      const share = total !== undefined && total > 0 ? ` ${Math.min(100, Math.floor((bytes * 100) / total))} % ·` : '';
      const perSecond = (lines * 1000) / (t - start);
      target.write(`\r\x1b[K读取 reading ${label}:${share} ${thousands(lines)} 行 lines · ${rate(perSecond)} 行/秒 lines/s`);
    },
    done() {
      if (shown) target.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** Progress that shows nothing (standard error is not a terminal). */
export const NO_PROGRESS: Progress = { update() {}, done() {} };
