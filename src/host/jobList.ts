import type { JobRecord, JobState } from '../core/journal';
import { formatAge } from '../core/timeText';
import { providerLabels } from '../core/ids';
import { t } from './l10nText';

/** What "GPT Image: Show Jobs" can do with one job. */
export type JobAction = 'open' | 'moveIntoPlace' | 'resume' | 'retryDownload' | 'resubmit' | 'discard';

/** A function, not a table: the translations are loaded after this module (host/l10nText.ts). */
export const jobActionLabels = (): Readonly<Record<JobAction, string>> => ({
  open: t('$(file-media) Open the result'),
  moveIntoPlace: t('$(move) Move into place (write the kept images into the output folder again)'),
  resume: t('$(debug-continue) Resume waiting for it'),
  retryDownload: t('$(cloud-download) Retry the download'),
  resubmit: t('$(refresh) Resubmit (a new paid request)'),
  discard: t('$(trash) Discard from the list (files stay)'),
});

const stateIcons: Readonly<Record<JobState, string>> = {
  submitting: '$(cloud-upload)',
  polling: '$(sync)',
  downloading: '$(cloud-download)',
  saved: '$(pass)',
  failed: '$(error)',
  unknown: '$(question)',
  cancelled: '$(circle-slash)',
  needsAttention: '$(warning)',
};

/** How a state reads in a list: "needs attention" rather than the identifier. */
export function stateLabel(state: JobState): string {
  return state === 'needsAttention' ? t('needs attention') : state;
}

export function promptStart(prompt: string, maxLength = 60): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxLength) return flat;
  const cut = flat.slice(0, maxLength - 1);
  // Cut at a word boundary unless that would drop most of the text.
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

export interface JobDescription {
  readonly label: string;
  readonly description: string;
  readonly detail: string | undefined;
}

/** One quick-pick row: state icon and prompt; provider, state and age; the error if any. */
export function describeJob(job: JobRecord, now: number, running: boolean): JobDescription {
  const files = job.tasks.reduce((count, task) => count + task.files.length, 0);
  const state = running ? t('{0}, running', stateLabel(job.state)) : stateLabel(job.state);
  const saved = files === 0 ? '' : files === 1 ? t(' · 1 file') : t(' · {0} files', files);
  return {
    label: `${stateIcons[job.state]} ${promptStart(job.request.prompt)}`,
    description: `${providerLabels[job.provider]} · ${state} · ${formatAge(now - job.createdAt)}${saved}`,
    detail: job.error ? job.error.message : undefined,
  };
}

/** The actions that make sense for a job in its state; `running` jobs can only be opened or watched. */
export function jobActions(job: JobRecord, running: boolean): JobAction[] {
  const actions: JobAction[] = [];
  const hasFiles = job.tasks.some((task) => task.files.length > 0);
  if (hasFiles) actions.push('open');
  if (running) return actions;
  if (job.tasks.some((task) => task.state === 'needsAttention')) actions.push('moveIntoPlace');
  if (job.state === 'polling' || job.state === 'downloading') actions.push('resume');
  const hasResultUrls = job.tasks.some(
    (task) => task.state !== 'saved' && (task.resultUrls?.length ?? 0) > 0,
  );
  if (hasResultUrls && (job.state === 'failed' || job.state === 'downloading')) actions.push('retryDownload');
  if (job.state === 'failed' || job.state === 'unknown' || job.state === 'cancelled') actions.push('resubmit');
  actions.push('discard');
  return actions;
}

/** Newest first, with unfinished jobs before finished ones. */
export function sortJobs(jobs: readonly JobRecord[]): JobRecord[] {
  const finished = (job: JobRecord): number => (job.state === 'saved' || job.state === 'cancelled' ? 1 : 0);
  return [...jobs].sort((a, b) => finished(a) - finished(b) || b.updatedAt - a.updatedAt);
}
