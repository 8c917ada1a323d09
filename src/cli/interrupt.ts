import { cancelJob } from '../core/jobHandle';
import type { JobHandle } from '../core/jobHandle';
import { exitCodes } from './failure';
import type { CliIo } from './io';

/**
 * Ctrl-C for one `gpt-image` process, over the handles of the jobs it runs (core/jobHandle.ts).
 * The CLI never abandons a paid job on a Ctrl-C; its answer to cancelJob's question is always
 * "keep", and keeping means, in a terminal:
 * - nothing paid left yet: a plain cancel (exit 130, nothing charged);
 * - a paid request is on its way (sent, not answered): stopping would throw away what it may
 *   already have paid for, so the first Ctrl-C says so and keeps waiting; an image that arrives is
 *   saved, and a task the provider accepts is recorded, then the wait stops (resumable);
 * - a task is polling or downloading: stop waiting here, the job stays in the journal for
 *   `gpt-image resume` (exit 130).
 * A second Ctrl-C stops the wait for that answer (the job is recorded as unknown, exit 3); once
 * stopping has begun, one more quits on the spot, naming the job.
 */
export class CliInterrupt {
  private readonly handles = new Set<JobHandle>();
  /** Kept waiting on the first Ctrl-C because a paid answer was still out. */
  private readonly waiting = new Set<JobHandle>();
  /** Runs that are not job handles (a Batch API job, cli/batchApiRun.ts), and those kept waiting. */
  private readonly runs = new Set<DetachableRun>();
  private readonly waitingRuns = new Set<DetachableRun>();
  private presses = 0;

  constructor(
    private readonly io: CliIo,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  /** Listens for SIGINT in this process. */
  install(): void {
    process.on('SIGINT', () => void this.interrupt());
  }

  /** Whether Ctrl-C was pressed: a batch starts no new entry after it. */
  get interrupted(): boolean {
    return this.presses > 0;
  }

  /** A job this process runs: Ctrl-C acts on it from now on. */
  follow(handle: JobHandle): void {
    this.handles.add(handle);
    handle.onEnded(() => {
      this.handles.delete(handle);
      this.waiting.delete(handle);
    });
    if (this.presses > 0) void this.settle(handle);
  }

  async interrupt(): Promise<void> {
    this.presses++;
    if (this.presses === 1) {
      // Nothing started yet (inputs being read, the folder checked): nothing was sent.
      if (this.handles.size === 0 && this.runs.size === 0) this.exit(exitCodes.interrupted);
      for (const run of this.runs) this.settleRun(run);
      await Promise.all([...this.handles].map((handle) => this.settle(handle)));
      return;
    }
    if (this.presses === 2 && (this.waiting.size > 0 || this.waitingRuns.size > 0)) {
      // Stop waiting for the paid answer: the runner records the outcome as unknown, never resent.
      for (const run of this.waitingRuns) run.detach();
      await Promise.all([...this.waiting].map((handle) => handle.detach()));
      return;
    }
    this.quit();
  }

  private async settle(handle: JobHandle): Promise<void> {
    const outcome = await cancelJob(handle, async () => 'keep');
    if (outcome !== 'kept') return;
    if (handle.state !== 'sending') {
      await handle.detach();
      return;
    }
    this.io.stderr(
      `gpt-image: the request of job ${handle.jobId ?? ''} was already sent, so it may already be paid: still waiting for the answer, so that an image is not lost. Press Ctrl-C again to stop now.`,
    );
    this.waiting.add(handle);
    // An async task's id is in the journal once it polls: stopping then leaves it resumable.
    // A synchronous answer is written to the end; only an accepted task is left to `gpt-image resume`.
    const subscription = handle.onProgress(() => {
      if (handle.state !== 'polling') return;
      subscription.dispose();
      this.waiting.delete(handle);
      void handle.detach();
    });
  }

  /**
   * A run this process waits for that is not a job handle: Ctrl-C stops waiting for it (its job stays
   * in the journal), except while its paid request is on its way: then as for a handle, the first
   * Ctrl-C waits for the answer and the second stops waiting (the outcome is recorded as unknown).
   */
  followRun(run: DetachableRun): { dispose(): void } {
    this.runs.add(run);
    if (this.presses > 0) this.settleRun(run);
    return {
      dispose: () => {
        this.runs.delete(run);
        this.waitingRuns.delete(run);
      },
    };
  }

  private settleRun(run: DetachableRun): void {
    if (!run.sending()) {
      run.detach();
      return;
    }
    this.io.stderr(`gpt-image: the create of Batch API job ${run.jobId} was already sent, so it may be charged: still waiting for its answer. Press Ctrl-C again to stop now.`);
    this.waitingRuns.add(run);
    run.whenAnswered(() => {
      this.waitingRuns.delete(run);
      run.detach();
    });
  }

  private quit(): void {
    // A paid request whose answer is still out: quitting leaves its outcome unknown (exit 3).
    const sending = [...this.handles].find((handle) => handle.state === 'sending' && handle.paidOut);
    const sendingRun = [...this.runs].find((run) => run.sending());
    const named = sending?.jobId ?? sendingRun?.jobId ?? [...this.handles][0]?.jobId ?? [...this.runs][0]?.jobId;
    if (named !== undefined) this.io.stderr(quitLine(named, sending !== undefined || sendingRun !== undefined));
    this.exit(sending || sendingRun ? exitCodes.unknownOutcome : exitCodes.interrupted);
  }
}

/** What CliInterrupt needs of a run that is not a job handle. */
export interface DetachableRun {
  readonly jobId: string;
  /** A paid request of the run is on its way, unanswered. */
  sending(): boolean;
  /** Stop waiting: the run ends; its job stays in the journal (a create on its way becomes unknown). */
  detach(): void;
  /** Calls back once the paid request on its way has its answer. */
  whenAnswered(callback: () => void): void;
}

function quitLine(jobId: string, sending: boolean): string {
  return sending
    ? `gpt-image: quit while job ${jobId} was being sent; the provider may have accepted (and charged) it. \`gpt-image jobs\` shows it; resubmit by hand only if no image arrives.`
    : `gpt-image: quit; job ${jobId} stays in the journal: run \`gpt-image resume\` to finish it.`;
}
