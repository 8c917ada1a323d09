import type { BatchJobRecord } from './batchApiJob';
import { isModelId } from '../ids';
import type { ModelId } from '../ids';
import type { SpendLedgerStore } from '../spendLedger';

/**
 * A Batch API job in the spend ledger (docs/architecture.md, "The spend ledger"). It never passes the
 * runner's guard (one OpenAI batch is the paid unit, not one job per entry), so the ledger is kept
 * here: the discounted estimate is reserved once the job is journaled, before its batch is created,
 * and settled when the job ends, in proportion to the lines that came back with images (a failed or
 * expired line is not charged). OpenAI's batch output carries usage, but the guard counts estimates
 * for this path (marked as such), like any job whose provider reported nothing it could use.
 */
export async function reserveBatchApiSpend(ledger: SpendLedgerStore, job: BatchJobRecord, usd: number | undefined, now: number): Promise<void> {
  await ledger.append({ version: 1, jobId: job.id, at: now, provider: 'openai', model: modelOf(job), kind: 'estimate', usd, basis: usd === undefined ? 'unknown' : 'estimate' });
}

/** Writes the job's `actual` entry once it has ended (at most once; a resumed job settles here too). */
export async function settleBatchApiSpend(ledger: SpendLedgerStore, job: BatchJobRecord, now: number): Promise<void> {
  if (!ended(job)) return;
  const entries = (await ledger.read()).filter((entry) => entry.jobId === job.id);
  if (entries.some((entry) => entry.kind === 'actual')) return;
  const estimate = entries.find((entry) => entry.kind === 'estimate');
  const lines = job.parts.flatMap((part) => part.lines);
  const paid = lines.filter((line) => line.state === 'saved' || line.state === 'needsAttention').length;
  const share = lines.length === 0 ? 0 : paid / lines.length;
  const usd = estimate?.usd === undefined ? undefined : Math.round(estimate.usd * share * 10_000) / 10_000;
  await ledger.append({
    version: 1,
    jobId: job.id,
    at: now,
    provider: 'openai',
    model: modelOf(job),
    kind: 'actual',
    usd: paid === 0 ? 0 : usd,
    basis: paid === 0 ? 'none' : usd === undefined ? 'unknown' : 'estimate',
  });
}

function ended(job: BatchJobRecord): boolean {
  return job.state === 'saved' || job.state === 'failed' || job.state === 'cancelled' || job.state === 'needsAttention';
}

/** The ledger names one model per job: a batch of several models is filed under its first. */
function modelOf(job: BatchJobRecord): ModelId {
  const model = job.parts[0]?.model ?? '';
  return isModelId(model) ? model : 'gpt-image-2';
}
