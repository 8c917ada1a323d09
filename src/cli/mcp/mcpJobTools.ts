import { resumableStates } from '../../core/journal';
import type { JobRunner } from '../../core/runner';
import { listJobs } from '../journalCommands';
import type { CliIo } from '../io';
import { requireApiKey } from '../providerSetup';
import { failure } from './mcpSession';
import type { ImageCallContext, McpSession, ToolAnswer } from './mcpSession';

/** list_jobs: `gpt-image jobs`' own listing, its lines collected instead of printed. */
export async function listJobsAnswer(io: CliIo): Promise<ToolAnswer> {
  const lines: string[] = [];
  const collecting: CliIo = { env: io.env, cwd: io.cwd, stdout: (line) => lines.push(line), stderr: (line) => lines.push(line.replace(/^gpt-image: /, '')) };
  try {
    await listJobs(collecting, false);
  } catch (error) {
    return failure([error instanceof Error ? error.message : String(error)]);
  }
  // The CLI's advice, in the words of this server's tools.
  const text = lines.join('\n').replace(/run "gpt-image resume"/g, 'call resume_jobs');
  return { isError: false, text, files: [] };
}

/**
 * resume_jobs: waits for the jobs earlier calls handed back past the time limit (still running in
 * this process), then resumes every journaled job that is polling, downloading or holds kept images
 * and that nobody else is finishing (`runner.resumable`, the rule every host uses).
 */
export async function resumeJobsAnswer(session: McpSession, runner: JobRunner, env: NodeJS.ProcessEnv, context: Pick<ImageCallContext, 'signal' | 'progress'>): Promise<ToolAnswer> {
  // Kept jobs of cancelled calls, and any job still running here, are waited for too.
  const handles = [...new Set([...session.takeWaiting(), ...session.owner.running()])];
  const lines: string[] = [];
  const selection = await runner.resumable({ includeKept: true });
  for (const job of selection.heldElsewhere) lines.push(`Job ${job.id} is being finished by another window or process; left to that one.`);
  for (const job of selection.jobs) {
    try {
      if (resumableStates.includes(job.state)) requireApiKey(job.provider, env);
      handles.push(session.owner.resume(job.id, job.provider));
    } catch (error) {
      lines.push(`Job ${job.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (handles.length === 0) return { isError: false, text: [...lines, 'Nothing to resume.'].join('\n'), files: [] };
  const answers = await Promise.all(handles.map((handle) => session.follow(handle, context)));
  return {
    isError: answers.some((answer) => answer.isError),
    text: [...lines, ...answers.map((answer) => answer.text)].join('\n'),
    files: answers.flatMap((answer) => answer.files),
  };
}
