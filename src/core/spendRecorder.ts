import { capabilityFor } from './capabilities';
import { estimateCost, previewCost } from './cost';
import type { TokenRates } from './cost';
import { errorMessage, InputError } from './errors';
import type { ModelId, ProviderId } from './ids';
import type { JobRecord } from './journal';
import { isTerminal } from './jobRecords';
import type { Logger } from './logger';
import type { ImageUsage } from './provider';
import { wireSizeText } from './size';
import { checkSpend, guardWindowStart } from './spendGuard';
import type { RunCap, RunEstimate } from './spendGuard';
import { jobSpends, roundUsd } from './spendLedger';
import type { SpendBasis, SpendEntry, SpendLedgerStore } from './spendLedger';
import type { SpendLimits } from './spendLimits';

/** The host's side of the spend guard: where the ledger is and which limits hold now. */
export interface SpendPort {
  readonly ledger: SpendLedgerStore;
  /** Read at every run, so a settings change applies at once. */
  limits(): SpendLimits | undefined;
}

/** What the process that submitted a call learned of its cost (JobSession's call facts). */
export interface CallCharge {
  readonly usage?: ImageUsage | undefined;
  readonly images: number;
}

export interface SpendRecorder {
  /**
   * Before a job is journaled: records its estimate, then refuses it (InputError, nothing sent) when
   * a cap would be passed. The estimate is written first and the ledger read after, so two processes
   * starting at once each see the other's reservation: at worst both refuse, never both pass.
   */
  reserve(job: { readonly jobId: string; readonly provider: ProviderId; readonly model: ModelId; readonly estimate: RunEstimate; readonly runCap?: RunCap | undefined }): Promise<void>;
  /** A reserved job that was never sent after all (its journal record could not be written): counts nothing. */
  withdraw(job: { readonly jobId: string; readonly provider: ProviderId; readonly model: ModelId }): Promise<void>;
  /** Once a job has ended: records what it cost (first actual entry wins). */
  settle(job: JobRecord, chargeOf: (taskIndex: number) => CallCharge | undefined): Promise<void>;
}

export function createSpendRecorder(port: SpendPort | undefined, log: Logger, now: () => number, rates?: TokenRates): SpendRecorder {
  // One check at a time in this process: two jobs of one batch must not both pass on the same figures.
  let turn: Promise<unknown> = Promise.resolve();
  const settled = new Set<string>();

  async function reserveNow(job: Parameters<SpendRecorder['reserve']>[0]): Promise<void> {
    const limits = port?.limits();
    const capped = limits !== undefined || job.runCap !== undefined;
    const entry = (kind: SpendEntry['kind'], usd: number | undefined, basis: SpendBasis): SpendEntry => ({ version: 1, jobId: job.jobId, at: now(), provider: job.provider, model: job.model, kind, usd, basis });
    const refuse = async (message: string): Promise<never> => {
      await port?.ledger.append(entry('refused', 0, 'none')).catch(() => undefined);
      throw new InputError([message]);
    };
    if (!port) {
      const verdict = checkSpend({ items: [job], spent: [], limits: undefined, runCap: job.runCap, now: now() });
      if (!verdict.ok) throw new InputError([verdict.message]);
      return;
    }
    try {
      await port.ledger.append(entry('estimate', job.estimate.usd, job.estimate.usd === undefined ? 'unknown' : 'estimate'));
    } catch (error) {
      if (capped) throw new InputError([`The spend ledger cannot be written (${errorMessage(error)}), so the spend limit cannot be kept; nothing was sent.`]);
      log.warn(`The spend ledger cannot be written: ${errorMessage(error)}. This job's cost is not recorded.`);
      return;
    }
    if (!capped) return;
    let spent;
    try {
      spent = jobSpends(await port.ledger.read(guardWindowStart(now()))).filter((spend) => spend.jobId !== job.jobId);
    } catch (error) {
      return refuse(`The spend ledger cannot be read (${errorMessage(error)}), so the spend limit cannot be kept; nothing was sent.`);
    }
    const verdict = checkSpend({ items: [job], spent, limits, runCap: job.runCap, now: now() });
    if (!verdict.ok) await refuse(verdict.message);
  }

  return {
    reserve(job) {
      const work = turn.then(() => reserveNow(job));
      turn = work.catch(() => undefined);
      return work;
    },
    async withdraw(job) {
      if (!port) return;
      const entry: SpendEntry = { version: 1, jobId: job.jobId, at: now(), provider: job.provider, model: job.model, kind: 'refused', usd: 0, basis: 'none' };
      await port.ledger.append(entry).catch((error: unknown) => log.warn(`Could not record in the spend ledger that job ${job.jobId} was not sent: ${errorMessage(error)}`));
    },
    async settle(job, chargeOf) {
      if (!port || !isTerminal(job.state) || settled.has(job.id)) return;
      settled.add(job.id);
      // Only a guard against writing the same job twice in one pass; the oldest ids are let go.
      for (const oldest of settled) {
        if (settled.size <= rememberedJobs) break;
        settled.delete(oldest);
      }
      const charge = chargeOfJob(job, chargeOf, rates);
      const entry: SpendEntry = { version: 1, jobId: job.id, at: now(), provider: job.provider, model: job.model, kind: 'actual', usd: charge.usd, basis: charge.basis };
      await port.ledger.append(entry).catch((error: unknown) => log.warn(`Could not record the cost of job ${job.id} in the spend ledger: ${errorMessage(error)}`));
    },
  };
}

/** Ended jobs remembered per runner (a window runs far fewer between reloads). */
const rememberedJobs = 1000;

const weakness: Readonly<Record<SpendBasis, number>> = { none: 0, usage: 1, price: 2, estimate: 3, unknown: 4 };

/**
 * What an ended job cost: every call the provider accepted (or may have: an unknown outcome) counts,
 * from the usage it reported (OpenAI), else its published price (APIXO), else the estimate made
 * before sending, marked as such; a call refused before or without payment counts nothing.
 */
export function chargeOfJob(job: JobRecord, chargeOf: (taskIndex: number) => CallCharge | undefined, rates?: TokenRates): { readonly usd: number | undefined; readonly basis: SpendBasis } {
  const capability = capabilityFor(job.provider, job.model);
  const size = wireSizeText(job.request.wireSize);
  const custom = job.request.customModel !== undefined;
  let usd = 0;
  let basis: SpendBasis = 'none';
  const weaker = (next: SpendBasis): void => {
    if (weakness[next] > weakness[basis]) basis = next;
  };
  for (const [index, task] of job.tasks.entries()) {
    const accepted = task.submittedAt !== undefined || task.taskId !== undefined || task.state === 'unknown';
    if (!accepted) continue;
    if (custom) return { usd: undefined, basis: 'unknown' };
    const facts = chargeOf(index);
    const common = { capability, size, quality: job.request.quality, promptLength: job.request.prompt.length, rates };
    const measured = task.state === 'unknown' ? undefined : estimateCost({ ...common, images: facts?.images ?? task.n, usage: facts?.usage });
    if (measured?.kind === 'estimate') {
      usd += measured.usd;
      weaker(facts?.usage && capability?.pricePerImageUsd === undefined ? 'usage' : 'price');
      continue;
    }
    const preview = previewCost({ ...common, images: task.n });
    if (preview.kind === 'unknown') return { usd: undefined, basis: 'unknown' };
    usd += preview.usd;
    weaker('estimate');
  }
  return { usd: roundUsd(usd), basis };
}
