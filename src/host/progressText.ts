import type { JobProgress } from '../core/runner';
import { formatElapsed } from '../core/timeText';
import { t } from './l10nText';


// A function, not a table: the translations are loaded after this module (host/l10nText.ts).
const phaseText = (): Readonly<Record<JobProgress['phase'], string>> => ({
  submitting: t('Sending the request'),
  uploading: t('Uploading the reference images'),
  polling: t('Waiting for the result'),
  downloading: t('Downloading'),
  saving: t('Saving'),
  saved: t('Saved'),
  failed: t('Failed'),
  unknown: t('Outcome unknown'),
});

/** The notification line: what is happening, for which task, and for how long. */
export function progressMessage(progress: JobProgress | undefined, elapsedMs: number, providerLabel: string): string {
  if (!progress) return t('Starting · {0}', formatElapsed(elapsedMs));
  const phase = progress.phase === 'polling' ? t('Waiting for {0}', providerLabel) : phaseText()[progress.phase];
  const task = progress.taskCount > 1 ? t(' (image {0} of {1})', progress.taskIndex + 1, progress.taskCount) : '';
  return `${phase}${task} · ${formatElapsed(elapsedMs)}`;
}
