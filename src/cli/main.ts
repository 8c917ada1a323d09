import { version } from '../../package.json';
import { parseCommandLine } from './args';
import type { CliCommand } from './args';
import { errorLine, exitCodeFor, exitCodes } from './failure';
import { helpText } from './help';
import { runImageCommand } from './imageCommand';
import type { JobWatch } from './imageCommand';
import { processIo } from './io';
import type { CliIo } from './io';
import { listJobs, resumeJobs } from './journalCommands';

async function dispatch(command: CliCommand, io: CliIo, signal: AbortSignal, watch: (state: JobWatch) => void): Promise<number> {
  switch (command.command) {
    case 'help':
      process.stdout.write(helpText);
      return exitCodes.ok;
    case 'version':
      io.stdout(version);
      return exitCodes.ok;
    case 'jobs':
      return listJobs(io, command.quiet);
    case 'resume':
      return resumeJobs(io, command.quiet, command.pollIntervalMs, signal);
    case 'generate':
    case 'edit':
      return runImageCommand(command, io, signal, watch);
  }
}

/**
 * Ctrl-C stops waiting (the job stays in the journal). While a paid request is on its way (sent,
 * not yet answered), stopping would throw away what it may already have paid for: the first Ctrl-C
 * says so and keeps waiting, an image that arrives is saved, and a task the provider accepts is
 * recorded before the wait stops. A second Ctrl-C stops at once (the job is marked unknown, exit 3).
 * Once stopping has begun, one more quits on the spot, naming the job first.
 */
function interruptSignal(io: CliIo): { signal: AbortSignal; watch: (state: JobWatch) => void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('Interrupted'));
  let current: JobWatch | undefined;
  /** The first Ctrl-C came while a paid request was in flight: stop once its answer is recorded. */
  let stopWhenAnswered = false;
  process.on('SIGINT', () => {
    if (controller.signal.aborted) {
      if (current) io.stderr(quitLine(current));
      process.exit(current && isSending(current) ? exitCodes.unknownOutcome : exitCodes.interrupted);
    }
    if (!stopWhenAnswered && current?.requestSent) {
      stopWhenAnswered = true;
      io.stderr(
        `gpt-image: the request of job ${current.jobId} was already sent, so it may already be paid: still waiting for the answer, so that an image is not lost. Press Ctrl-C again to stop now.`,
      );
      return;
    }
    stop();
  });
  const watch = (state: JobWatch): void => {
    current = state;
    // An async task's id is in the journal now: stopping leaves it resumable, nothing paid is lost.
    if (stopWhenAnswered && state.phase === 'polling' && !controller.signal.aborted) stop();
  };
  return { signal: controller.signal, watch };
}

function isSending(state: JobWatch): boolean {
  return state.phase === 'created' || state.phase === 'submitting' || state.phase === 'uploading';
}

function quitLine(state: JobWatch): string {
  return isSending(state)
    ? `gpt-image: quit while job ${state.jobId} was being sent; the provider may have accepted (and charged) it. \`gpt-image jobs\` shows it; resubmit by hand only if no image arrives.`
    : `gpt-image: quit; job ${state.jobId} stays in the journal: run \`gpt-image resume\` to finish it.`;
}

async function main(): Promise<void> {
  const io = processIo();
  let code: number;
  try {
    const interrupt = interruptSignal(io);
    code = await dispatch(parseCommandLine(process.argv.slice(2)), io, interrupt.signal, interrupt.watch);
  } catch (error) {
    // Never a stack trace: one line, and the exit code says what kind of failure it was.
    io.stderr(errorLine(error, undefined));
    code = exitCodeFor(error);
  }
  process.exitCode = code;
}

void main();
