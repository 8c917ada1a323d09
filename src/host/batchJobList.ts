import { batchLineCounts } from '../core/batch/batchApiJob';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import { formatAge } from '../core/timeText';
import { stateLabel } from './jobList';
import type { JobDescription } from './jobList';
import { t } from './l10nText';

/** What "GPT Image: Show Jobs" can do with one Batch API job. */
export type BatchJobAction = 'cancel' | 'checkNow' | 'showFiles';

/** A function, not a table: the translations are loaded after this module (host/l10nText.ts). */
export const batchJobActionLabels = (): Readonly<Record<BatchJobAction, string>> => ({
  cancel: t('$(circle-slash) Cancel the batch at OpenAI (what is done is still saved)'),
  checkNow: t('$(sync) Check now'),
  showFiles: t('$(files) Show files'),
});

/** "12 of 20 saved, 1 failed — polling, batch batch_…": the counts first, then where it is. */
export function batchJobSummary(job: BatchJobRecord): string {
  const counts = batchLineCounts(job);
  const kept = counts.kept > 0 ? t(', {0} kept aside', counts.kept) : '';
  const batches = job.parts.flatMap((part) => (part.batchId ? [part.batchId] : []));
  const where = batches.length === 0 ? stateLabel(job.state) : batches.length === 1 ? t('{0}, batch {1}', stateLabel(job.state), batches[0] as string) : t('{0}, batches {1}', stateLabel(job.state), batches.join(', '));
  return t('{0} of {1} saved, {2} failed{3} — {4}', counts.saved, counts.total, counts.failed, kept, where);
}

/** One quick-pick row: the batch file, the counts and where it is; the error of a part if any. */
export function describeBatchJob(job: BatchJobRecord, now: number, running: boolean): JobDescription {
  const file = job.source.split(/[\\/]/).pop() ?? job.source;
  const entries = job.entries.length === 1 ? t('1 entry') : t('{0} entries', job.entries.length);
  const problem = job.parts.find((part) => part.error && part.state !== 'saved')?.error?.message;
  return {
    label: t('$(layers) Batch API: {0} ({1})', file, entries),
    description: `${batchJobSummary(job)}${running ? t(', running') : ''} · ${formatAge(now - job.createdAt)}`,
    detail: problem,
  };
}

/** Cancel while anything runs at OpenAI; Check now while it can move; Show files once any is saved. */
export function batchJobActions(job: BatchJobRecord): BatchJobAction[] {
  const actions: BatchJobAction[] = [];
  if (job.parts.some((part) => part.lines.some((line) => line.files.length > 0))) actions.push('showFiles');
  if (job.state === 'submitting' || job.state === 'polling' || job.state === 'downloading' || job.state === 'needsAttention') actions.push('checkNow');
  if (job.parts.some((part) => part.state === 'polling' || part.state === 'uploading' || part.state === 'creating')) actions.push('cancel');
  return actions;
}
