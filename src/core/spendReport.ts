import type { ProviderId } from './ids';
import { localDayKey, roundUsd } from './spendLedger';
import type { JobSpend, SpendBasis } from './spendLedger';

/** One day × provider of the ledger, as `gpt-image spend` prints it. */
export interface SpendRow {
  /** Local calendar day, `2026-12-01`. */
  readonly day: string;
  readonly provider: ProviderId;
  readonly jobs: number;
  /** The priced jobs' total. */
  readonly usd: number;
  /** Jobs whose provider publishes no price: not in `usd`. */
  readonly unpriced: number;
  /** Jobs not ended yet, counted at their estimate. */
  readonly pending: number;
  /** How the amounts were found, weakest last. */
  readonly bases: readonly SpendBasis[];
}

export interface SpendReport {
  readonly rows: readonly SpendRow[];
  readonly totalUsd: number;
  readonly unpricedJobs: number;
  readonly pendingJobs: number;
}

const basisOrder: readonly SpendBasis[] = ['usage', 'price', 'none', 'estimate', 'unknown'];

/** The ledger by local day, then provider, oldest first. */
export function spendReport(spends: readonly JobSpend[]): SpendReport {
  const groups = new Map<string, { day: string; provider: ProviderId; jobs: number; usd: number; unpriced: number; pending: number; bases: Set<SpendBasis> }>();
  for (const spend of spends) {
    const day = localDayKey(spend.at);
    const key = `${day} ${spend.provider}`;
    const group = groups.get(key) ?? { day, provider: spend.provider, jobs: 0, usd: 0, unpriced: 0, pending: 0, bases: new Set<SpendBasis>() };
    group.jobs += 1;
    if (spend.usd === undefined) group.unpriced += 1;
    else group.usd += spend.usd;
    if (spend.pending) group.pending += 1;
    group.bases.add(spend.basis);
    groups.set(key, group);
  }
  const rows = [...groups.values()]
    .sort((a, b) => (a.day === b.day ? a.provider.localeCompare(b.provider) : a.day.localeCompare(b.day)))
    .map((group) => ({ ...group, usd: roundUsd(group.usd), bases: basisOrder.filter((basis) => group.bases.has(basis)) }));
  return {
    rows,
    totalUsd: roundUsd(rows.reduce((sum, row) => sum + row.usd, 0)),
    unpricedJobs: rows.reduce((sum, row) => sum + row.unpriced, 0),
    pendingJobs: rows.reduce((sum, row) => sum + row.pending, 0),
  };
}
