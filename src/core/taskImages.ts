import { isProviderError } from './errors';
import type { JobTask, TaskImage } from './journal';
import { formatInstant, isResultUnavailable, linksValidUntil } from './resultLinks';

/** The per-image bookkeeping of a task (JobTask.images) that jobSession.writeAll works through. */

export type ImageSource = () => Promise<Uint8Array>;

/** What went wrong in one pass of writeAll, for the error it ends with. */
export interface PassProblems {
  /** Images in the job (or this task's answer, if larger): "Image 2" only means something when > 1. */
  readonly total: number;
  readonly problems: unknown[];
}

/** "Image 3" in a job of several images, "The image" when there is one. */
export function imageSubject(number: number, pass: PassProblems, separator?: string): string {
  if (separator !== undefined) return pass.total > 1 ? `Image ${number}${separator}` : '';
  return pass.total > 1 ? `Image ${number}` : 'The image';
}

/** The task's images by position; records from before `images` was kept have only `files` (in order). */
export function imagesOf(task: JobTask, count: number): TaskImage[] {
  task.images ??= task.files.map((file): TaskImage => ({ state: 'saved', file }));
  while (task.images.length < count) task.images.push({ state: 'pending' });
  return task.images;
}

/** Saved, or failed for good: nothing more to do for this image. */
export function isSettled(image: TaskImage): boolean {
  return image.state === 'saved' || image.state === 'failed';
}

/** `files` lists the saved images in order: what every view and the CLI print. */
export function syncFiles(task: JobTask): void {
  task.files = (task.images ?? []).flatMap((image) => (image.state === 'saved' && image.file ? [image.file] : []));
}

/**
 * Whether a failed download can still succeed later. Transient failures can; so can a link that
 * answers 403/404/410 or a page that is not an image while the links are valid (a CDN catching
 * up, a challenge page). The "expired" sentence is said only once they cannot be valid any more.
 */
export function stillFetchable(task: JobTask, error: unknown, now: number, providerLabel: string): { pending: boolean; note: string } {
  if (isProviderError(error) && error.retryable) return { pending: true, note: '' };
  if (!isResultUnavailable(error)) return { pending: false, note: '' };
  const until = linksValidUntil(task);
  if (until === undefined || now < until) {
    return { pending: true, note: until === undefined ? ' Resuming the job downloads it again.' : ` The links stay valid until ${formatInstant(until)}: resuming the job downloads it again.` };
  }
  return { pending: false, note: ` Result links from ${providerLabel} work for about 24 hours after the task finished; these expired at ${formatInstant(until)}.` };
}

