/**
 * The Studio's jobs list without a DOM: how a `job` message changes the list, and what (if anything)
 * is announced to a screen reader. Pure, so the page and the Node tests share it.
 */
import { t } from './l10nText';
import type { JobView } from './protocol';

export const activePhases: ReadonlySet<JobView['phase']> = new Set(['submitting', 'uploading', 'polling', 'downloading', 'saving']);

/** Finished jobs kept in the panel (and its saved state); the gallery has the rest. */
export const keptJobs = 8;

/**
 * The list after one update: the job replaced where it is (never moved, so its row keeps its place
 * and focus), or put first when new; the oldest finished jobs beyond `kept` are dropped, running ones
 * always stay. Untouched entries keep their identity, which is what the keyed rendering keys on.
 */
export function upsertJob(jobs: readonly JobView[], job: JobView, kept = keptJobs): JobView[] {
  const index = jobs.findIndex((item) => item.jobId === job.jobId);
  const next = index >= 0 ? jobs.map((item, at) => (at === index ? job : item)) : [job, ...jobs];
  while (next.length > kept) {
    let last = next.length - 1;
    while (last >= 0 && activePhases.has((next[last] as JobView).phase)) last -= 1;
    if (last < 0) break;
    next.splice(last, 1);
  }
  return next;
}

/**
 * What a screen reader hears for an update: only a change of state the user must know about
 * (saved, failed, needs a decision, cancelled), never progress, a tick or a repeated message.
 */
export function stateChangeAnnouncement(previous: JobView | undefined, next: JobView): string | undefined {
  if (previous?.phase === next.phase) return undefined;
  const what = `"${next.prompt.slice(0, 60)}"`;
  switch (next.phase) {
    case 'saved':
      return next.thumbnails.length === 0
        ? t('Saved: {0}, no images.', what)
        : next.thumbnails.length === 1
          ? t('Saved: {0}, 1 image.', what)
          : t('Saved: {0}, {1} images.', what, next.thumbnails.length);
    case 'failed':
      return t('Failed: {0}. {1}', what, next.error ?? '').trim();
    case 'unknown':
      return t('Needs a decision: {0} may have been accepted; see "GPT Image: Show Jobs".', what);
    case 'cancelled':
      return t('Cancelled: {0}.', what);
    default:
      return undefined;
  }
}

/** Jobs that were shown as running but whose page went away meanwhile: they are no longer watched here. */
export function markUnwatched(jobs: readonly JobView[]): JobView[] {
  return jobs.map((job) =>
    activePhases.has(job.phase) ? { ...job, message: t('Not watched by this panel any more: see "GPT Image: Show Jobs"'), cancellable: false } : job,
  );
}
