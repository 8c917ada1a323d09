import { formatElapsed } from '../core/timeText';
import type { CliIo } from './io';

/** How one target of a batch ended. */
export type TargetEnd = 'made' | 'upToDate' | 'failed' | 'conflict' | 'unknown' | 'interrupted';

/**
 * The batch's progress on stderr: on a terminal one line redrawn in place (done, running, failed,
 * up to date, elapsed, ETA); otherwise (a pipe, CI) one line per finished entry. Other stderr lines
 * (warnings, errors) go through `io` here so the status line is cleared before and redrawn after.
 */
export class BatchProgress {
  private done = 0;
  private running = 0;
  private failed = 0;
  private upToDate = 0;
  private readonly started: number;
  private statusShown = false;
  readonly io: CliIo;

  constructor(
    private readonly outer: CliIo,
    private readonly total: number,
    private readonly quiet: boolean,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.started = now();
    this.io = {
      ...outer,
      stdout: (line) => this.around(() => outer.stdout(line)),
      stderr: (line) => this.around(() => outer.stderr(line)),
    };
  }

  /** Entries that need nothing (up to date) count at once. */
  skipped(label: string): void {
    this.upToDate++;
    if (!this.outer.status && !this.quiet) this.outer.stderr(`gpt-image: [${this.finished()}/${this.total}] up to date: ${label}`);
    this.redraw();
  }

  began(): void {
    this.running++;
    this.redraw();
  }

  ended(label: string, end: TargetEnd, detail: string): void {
    this.running = Math.max(0, this.running - 1);
    if (end === 'made') this.done++;
    else this.failed++;
    if (!this.outer.status && !this.quiet) this.outer.stderr(`gpt-image: [${this.finished()}/${this.total}] ${endWords[end]}: ${label}${detail ? ` ${detail}` : ''}`);
    this.redraw();
  }

  /** Ends the status line (a terminal's prompt must not land on it). */
  finish(): void {
    if (this.statusShown) process.stderr.write('\n');
    this.statusShown = false;
  }

  line(): string {
    const elapsedMs = this.now() - this.started;
    const finished = this.done + this.failed;
    const remaining = this.total - this.finished();
    const eta = finished > 0 && remaining > 0 ? `, ETA ${formatElapsed((elapsedMs / finished) * remaining)}` : '';
    return `gpt-image: batch ${this.finished()}/${this.total}: ${this.done} made, ${this.running} running, ${this.failed} failed, ${this.upToDate} up to date, ${formatElapsed(elapsedMs)} elapsed${eta}`;
  }

  private finished(): number {
    return this.done + this.failed + this.upToDate;
  }

  private redraw(): void {
    if (!this.outer.status || this.quiet) return;
    this.outer.status(this.line());
    this.statusShown = true;
  }

  private around(write: () => void): void {
    if (this.statusShown) this.outer.status?.('');
    write();
    if (this.statusShown) this.redraw();
  }
}

const endWords: Readonly<Record<TargetEnd, string>> = {
  made: 'made',
  upToDate: 'up to date',
  failed: 'failed',
  conflict: 'conflict',
  unknown: 'outcome unknown',
  interrupted: 'interrupted',
};
