import type { JobProgress } from '../core/runner';

/** `0:07`, `2:41`, `1:02:03`: the elapsed time a progress notification shows. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

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
