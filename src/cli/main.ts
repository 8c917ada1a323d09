import { version } from '../../package.json';
import { parseCommandLine } from './args';
import type { CliCommand } from './args';
import { errorLine, exitCodeFor, exitCodes } from './failure';
import { helpText } from './help';
import { runImageCommand } from './imageCommand';
import { processIo } from './io';
import type { CliIo } from './io';
import { listJobs, resumeJobs } from './journalCommands';

async function dispatch(command: CliCommand, io: CliIo, signal: AbortSignal): Promise<number> {
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
      return runImageCommand(command, io, signal);
  }
}

/** Ctrl-C stops waiting (the job stays in the journal); a second Ctrl-C quits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(exitCodes.interrupted);
    controller.abort(new Error('Interrupted'));
  });
  return controller.signal;
}

async function main(): Promise<void> {
  const io = processIo();
  let code: number;
  try {
    code = await dispatch(parseCommandLine(process.argv.slice(2)), io, interruptSignal());
  } catch (error) {
    // Never a stack trace: one line, and the exit code says what kind of failure it was.
    io.stderr(errorLine(error, undefined));
    code = exitCodeFor(error);
  }
  process.exitCode = code;
}

void main();
