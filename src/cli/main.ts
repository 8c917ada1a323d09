import { version } from '../../package.json';
import { parseCommandLine } from './args';
import type { CliCommand } from './args';
import { cancelBatchApiJob } from './batchApiJobs';
import { runBatchCommand } from './batchCommand';
import { isBatchProblemsError } from './batchLoad';
import { errorLine, exitCodeFor, exitCodes } from './failure';
import { helpText } from './help';
import { runImageCommand } from './imageCommand';
import { CliInterrupt } from './interrupt';
import { processIo } from './io';
import type { CliIo } from './io';
import { listJobs, resumeJobs } from './journalCommands';
import { printSpend } from './spendCommand';

async function dispatch(command: CliCommand, io: CliIo, interrupt: CliInterrupt): Promise<number> {
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
      return resumeJobs(io, command.quiet, command.pollIntervalMs, interrupt);
    case 'spend':
      return printSpend(io, command.json);
    case 'mcp': {
      // Loaded only for `mcp`: the SDK would slow every other command's start.
      const { runMcpServer } = await import('./mcp/mcpServer.js');
      return runMcpServer(io, command.pollIntervalMs);
    }
    case 'generate':
    case 'edit':
      return runImageCommand(command, io, interrupt);
    case 'batch':
      return runBatchCommand(command, io, interrupt);
    case 'cancel':
      return cancelBatchApiJob(io, command.quiet, command.jobId, command.pollIntervalMs, interrupt);
  }
}

async function main(): Promise<void> {
  const io = processIo();
  let code: number;
  try {
    const interrupt = new CliInterrupt(io);
    interrupt.install();
    code = await dispatch(parseCommandLine(process.argv.slice(2)), io, interrupt);
  } catch (error) {
    // Never a stack trace: one line (a batch file's problems: one each), and the exit code says what kind of failure it was.
    if (isBatchProblemsError(error)) for (const line of error.issues) io.stderr(`gpt-image: ${line}`);
    else io.stderr(errorLine(error, undefined));
    code = exitCodeFor(error);
  }
  process.exitCode = code;
}

void main();
