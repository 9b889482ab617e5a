// A small progress bar on stderr: redrawn in place on a terminal, one line per change when
// piped (so logs stay readable). No dependency: a bar is twenty lines.
import type { Io } from './output.js';

const WIDTH = 30;

export class ProgressBar {
  private last = '';
  private frame = 0;

  constructor(
    private readonly io: Io,
    private readonly label: string,
  ) {}

  /** `percent` null draws an indeterminate bar (a moving block) with the phase text. */
  update(percent: number | null, phase: string): void {
    let bar: string;
    if (percent === null) {
      const pos = this.frame++ % WIDTH;
      bar = Array.from({ length: WIDTH }, (_, i) => (Math.abs(i - pos) < 3 ? '=' : ' ')).join('');
    } else {
      const p = Math.max(0, Math.min(100, percent));
      const full = Math.round((p / 100) * WIDTH);
      bar = `${'='.repeat(full)}${full < WIDTH ? '>' : ''}${' '.repeat(Math.max(0, WIDTH - full - 1))}`;
    }
    const pct = percent === null ? ' ..%' : `${String(Math.round(percent)).padStart(3)}%`;
    const line = `${this.label} [${bar}] ${pct} ${phase}`;
    if (this.io.isTty) this.io.err(`\r${line}\x1b[K`);
    else if (`${pct} ${phase}` !== this.last) this.io.err(`${line}\n`);
    this.last = `${pct} ${phase}`;
  }

  done(message: string): void {
    this.io.err(this.io.isTty ? `\r${message}\x1b[K\n` : `${message}\n`);
  }
}
