import { z } from 'zod';
import { modelIds, providerIds } from './ids';
import type { ModelId, ProviderId } from './ids';

/**
 * How an amount was found:
 * - usage: the provider reported its token usage, multiplied by the token rates (OpenAI);
 * - price: the provider's published price per image (APIXO, docs/providers.md §6.8);
 * - estimate: the figure computed before sending, for lack of anything better (marked as such);
 * - none: nothing was charged (refused before or without payment);
 * - unknown: the provider publishes no price (Gravitex, Modellix: docs/providers.md §2.8).
 */
export type SpendBasis = 'usage' | 'price' | 'estimate' | 'none' | 'unknown';

/**
 * One line of the spend ledger (docs/architecture.md, "The spend ledger"). A job has an `estimate`
 * entry written before its paid request is sent (a reservation: it counts until the job ends), then
 * one `actual` entry once it ends; a job the guard stopped has a `refused` entry and counts nothing.
 */
export interface SpendEntry {
  readonly version: 1;
  readonly jobId: string;
  /** When the entry was written (ms since the epoch). */
  readonly at: number;
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly kind: 'estimate' | 'actual' | 'refused';
  /** USD; absent when the provider publishes no price. */
  readonly usd?: number | undefined;
  readonly basis: SpendBasis;
}

/**
 * Where the ledger lives: beside the journal (`$GPT_IMAGE_HOME/spend/` for the CLI, global storage
 * `spend/` for the extension). Appends from several processes at once must never mix or lose lines.
 */
export interface SpendLedgerStore {
  append(entry: SpendEntry): Promise<void>;
  /** Every entry written at or after `sinceMs` (all of them without it); unreadable entries are skipped. */
  read(sinceMs?: number): Promise<SpendEntry[]>;
}

const entrySchema = z.object({
  version: z.literal(1),
  jobId: z.string().min(1).max(200),
  at: z.number().finite(),
  provider: z.enum(providerIds),
  model: z.enum(modelIds),
  kind: z.enum(['estimate', 'actual', 'refused']),
  usd: z.number().finite().min(0).optional(),
  basis: z.enum(['usage', 'price', 'estimate', 'none', 'unknown']),
});

/** One entry from its text, or undefined (a torn last line, another version's entry, garbage). */
export function parseSpendEntry(text: string): SpendEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = entrySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The entries of a JSON-lines text; a line cut short by a crash mid-append is skipped. */
export function parseSpendLines(text: string): SpendEntry[] {
  return text.split('\n').flatMap((line) => {
    const entry = line.trim() === '' ? undefined : parseSpendEntry(line);
    return entry ? [entry] : [];
  });
}

/** The month (UTC, `2026-12`) a store files an entry under; readers look one month either side of local time. */
export function utcMonthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * UTC months a store keeps before the current one; older months are removed. What reads the ledger
 * needs far less: a cap reads from the local month's start minus two days (never before the previous
 * UTC month), a Batch API job settles its reservation within its 24 h window and the 30 days its
 * results are kept; the rest is for `gpt-image spend`, which a year of days serves.
 */
export const keptSpendMonths = 12;

/** The oldest UTC month a store keeps at `now` (`2025-12` in 2026-12): never the current or the previous one. */
export function oldestKeptSpendMonth(now: number): string {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - Math.max(keptSpendMonths, 1), 1)).toISOString().slice(0, 7);
}

/**
 * The file name of one entry in the per-entry-file ledger (`spend/<YYYY-MM>/<name>.json`, written as
 * `.<name>.tmp` first): time, job and kind, then `suffix` (random hex), so writers never collide.
 * Shared by the extension's store and the CLI's, which read and write the same folder.
 */
export function spendEntryFileName(entry: SpendEntry, suffix: string): string {
  return `${entry.at}-${entry.jobId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100)}-${entry.kind}-${suffix}`;
}

/**
 * The environment variable naming the folder of a per-entry-file ledger for the CLI: VS Code sets it
 * to its global storage `spend/` when it starts `gpt-image mcp` (host/mcpEnvironment.ts).
 */
export const spendLedgerEnvVar = 'GPT_IMAGE_SPEND_LEDGER';

/** What one job counts for. */
export interface JobSpend {
  readonly jobId: string;
  readonly provider: ProviderId;
  readonly model: ModelId;
  /** When it started (its estimate entry), which decides its day and month. */
  readonly at: number;
  readonly usd: number | undefined;
  readonly basis: SpendBasis;
  /** No actual entry yet: its estimate stands (running, polling, or its process died). */
  readonly pending: boolean;
}

/**
 * One figure per job: its first `actual` entry (a later resume of a job that already ended cannot
 * change what was paid), else its estimate. Refused jobs are left out.
 */
export function jobSpends(entries: readonly SpendEntry[]): JobSpend[] {
  const byJob = new Map<string, { estimate?: SpendEntry; actual?: SpendEntry; refused: boolean; first: SpendEntry }>();
  for (const entry of [...entries].sort((a, b) => a.at - b.at)) {
    const seen = byJob.get(entry.jobId) ?? { refused: false, first: entry };
    if (entry.kind === 'refused') seen.refused = true;
    else if (entry.kind === 'estimate') seen.estimate ??= entry;
    else seen.actual ??= entry;
    byJob.set(entry.jobId, seen);
  }
  const spends: JobSpend[] = [];
  for (const [jobId, seen] of byJob) {
    if (seen.refused && !seen.actual) continue;
    const counted = seen.actual ?? seen.estimate;
    if (!counted) continue;
    const at = (seen.estimate ?? seen.first).at;
    spends.push({ jobId, provider: counted.provider, model: counted.model, at, usd: counted.usd, basis: counted.basis, pending: !seen.actual });
  }
  return spends.sort((a, b) => a.at - b.at);
}

/** `2026-12-01` in the user's local time: days and months are calendar days where the user is. */
export function localDayKey(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function localMonthKey(ms: number): string {
  return localDayKey(ms).slice(0, 7);
}

/** Local midnight starting the month of `ms` (what a guard reads the ledger since). */
export function localMonthStart(ms: number): number {
  const date = new Date(ms);
  return new Date(date.getFullYear(), date.getMonth(), 1).getTime();
}

export interface SpendTotal {
  readonly usd: number;
  /** Jobs in the window whose provider publishes no price: not in `usd`. */
  readonly unpriced: number;
  readonly jobs: number;
}

/** What was spent in the local day or month of `now`, by every provider or one. */
export function spentIn(spends: readonly JobSpend[], period: 'day' | 'month', now: number, provider?: ProviderId): SpendTotal {
  const key = period === 'day' ? localDayKey : localMonthKey;
  const wanted = key(now);
  let usd = 0;
  let unpriced = 0;
  let jobs = 0;
  for (const spend of spends) {
    if (key(spend.at) !== wanted || (provider !== undefined && spend.provider !== provider)) continue;
    jobs += 1;
    if (spend.usd === undefined) unpriced += 1;
    else usd += spend.usd;
  }
  return { usd: roundUsd(usd), unpriced, jobs };
}

export function roundUsd(usd: number): number {
  return Math.round(usd * 1_000_000) / 1_000_000;
}
