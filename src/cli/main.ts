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
 * Ctrl-C stops waiting (the job stays in the journal); a second Ctrl-C quits at once, naming the
 * job first: if a paid request was in flight, its outcome is unknown and the user needs the id.
 */
function interruptSignal(io: CliIo): { signal: AbortSignal; watch: (state: JobWatch) => void } {
  const controller = new AbortController();
  let current: JobWatch | undefined;
  process.on('SIGINT', () => {
    if (controller.signal.aborted) {
      if (current) io.stderr(quitLine(current));
      process.exit(exitCodes.interrupted);
    }
    controller.abort(new Error('Interrupted'));
  });
  return { signal: controller.signal, watch: (state) => (current = state) };
}

function quitLine(state: JobWatch): string {
  const sending = state.phase === 'created' || state.phase === 'submitting' || state.phase === 'uploading';
  return sending
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
