import type { JobProgress } from '../core/runner';
import { formatElapsed } from '../core/timeText';


const phaseText: Readonly<Record<JobProgress['phase'], string>> = {
  submitting: 'Sending the request',
  uploading: 'Uploading the reference images',
  polling: 'Waiting for the result',
  downloading: 'Downloading',
  saving: 'Saving',
  saved: 'Saved',
  failed: 'Failed',
  unknown: 'Outcome unknown',
};

/** The notification line: what is happening, for which task, and for how long. */
export function progressMessage(progress: JobProgress | undefined, elapsedMs: number, providerLabel: string): string {
  if (!progress) return `Starting · ${formatElapsed(elapsedMs)}`;
  const phase = progress.phase === 'polling' ? `Waiting for ${providerLabel}` : phaseText[progress.phase];
  const task = progress.taskCount > 1 ? ` (image ${progress.taskIndex + 1} of ${progress.taskCount})` : '';
  return `${phase}${task} · ${formatElapsed(elapsedMs)}`;
}
