import { isInputError, isProviderError } from '../core/errors';
import { providerLabels } from '../core/ids';
import type { JobRecord } from '../core/journal';
import { isImagesNotWrittenError } from '../core/output';
import { oneLine } from './io';

export const exitCodes = { ok: 0, failure: 1, invalidInput: 2, unknownOutcome: 3, interrupted: 130 } as const;

/** 2: nothing was sent; 3: a paid request's outcome is unknown; 130: Ctrl-C; 1: anything else. */
export function exitCodeFor(error: unknown): number {
  if (isInputError(error)) return exitCodes.invalidInput;
  if (isProviderError(error)) {
    if (error.kind === 'unknownOutcome') return exitCodes.unknownOutcome;
    if (error.kind === 'aborted') return exitCodes.interrupted;
  }
  return exitCodes.failure;
}

/** The one stderr line for a failure, with what to do next when the journal holds the job. */
export function errorLine(error: unknown, job: JobRecord | undefined): string {
  const message = oneLine(isInputError(error) ? error.issues.join(' ') : error instanceof Error ? error.message : String(error));
  if (job && isImagesNotWrittenError(error)) {
    const them = error.kept.length === 1 ? 'it' : 'them';
    return `gpt-image: ${message} Once ${job.output.dir} can be written, run "gpt-image resume" to move ${them} into place (gpt-image jobs lists job ${job.id}).`;
  }
  if (!job || !isProviderError(error)) return `gpt-image: ${message}`;
  const label = providerLabels[job.provider];
  if (error.kind === 'unknownOutcome' || job.state === 'unknown') {
    return `gpt-image: ${message} Job ${job.id} is marked unknown and will not be resent: check your ${label} account before retrying (gpt-image jobs lists it).`;
  }
  if (error.kind === 'aborted') {
    return job.state === 'polling' || job.state === 'downloading'
      ? `gpt-image: Stopped waiting. Job ${job.id} stays in the journal; run "gpt-image resume" to finish it.`
      : `gpt-image: Cancelled (job ${job.id}).`;
  }
  if (job.state === 'polling' || job.state === 'downloading') {
    return `gpt-image: ${message} Run "gpt-image resume" to finish job ${job.id}.`;
  }
  const taskId = error.taskId ? ` (task ${error.taskId})` : '';
  return `gpt-image: ${message}${taskId.length > 0 && !message.includes(error.taskId ?? '\u0000') ? taskId : ''}`;
}
