import { defaultTokenRates, formatUsd, previewCost } from './cost';
import type { TokenRates } from './cost';
import { providerLabels } from './ids';
import type { ProviderId } from './ids';
import { validateRequest } from './request';
import type { GenerationRequest, ValidatedPlan } from './request';
import { wireSizeText } from './size';
import { jobSpends, localMonthStart, roundUsd, spentIn } from './spendLedger';
import type { JobSpend, SpendLedgerStore } from './spendLedger';
import type { SpendCap, SpendLimits } from './spendLimits';

/** What a run is expected to cost before it is sent; `usd` undefined: the provider publishes no price. */
export interface RunEstimate {
  readonly usd: number | undefined;
  /** OpenAI's figure is derived from token rates ("about"); APIXO's is its published price. */
  readonly approximate: boolean;
  readonly basis: string;
}

/**
 * The estimate of a validated request: the Studio's preview (core/cost.ts previewCost) summed over
 * its paid calls. A custom model has no known price, whatever row it borrows its options from.
 */
export function estimateRun(plan: ValidatedPlan, request: Pick<GenerationRequest, 'prompt' | 'customModel'>, rates?: TokenRates): RunEstimate {
  if (request.customModel !== undefined) return { usd: undefined, approximate: false, basis: `no known price for the custom model ${request.customModel}` };
  let usd = 0;
  let approximate = false;
  const bases: string[] = [];
  for (const call of plan.calls) {
    const preview = previewCost({ capability: plan.capability, size: wireSizeText(call.size), quality: call.quality, images: call.n, promptLength: request.prompt.length, rates });
    if (preview.kind === 'unknown') return { usd: undefined, approximate: false, basis: preview.basis };
    // Each streamed partial image adds about 100 output tokens (docs/providers.md §7.1).
    const partials = ((call.partialImages ?? 0) * partialImageTokens * (rates ?? defaultTokenRates).imageOutputPerMillion) / 1_000_000;
    usd += preview.usd + partials;
    approximate ||= preview.approximate;
    bases.push(preview.basis);
  }
  return { usd: roundUsd(usd), approximate, basis: [...new Set(bases)].join('; ') };
}

const partialImageTokens = 100;

/**
 * The estimate of a request not validated yet (a batch entry, before anything is sent): throws
 * validateRequest's InputError for a request that could not be sent anyway.
 */
export function estimateRequest(request: GenerationRequest, rates?: TokenRates): RunEstimate {
  return estimateRun(validateRequest(request), request, rates);
}

/** One job about to be sent. */
export interface SpendItem {
  readonly provider: ProviderId;
  readonly estimate: RunEstimate;
}

/** A cap on one run (or one batch) of its own: the CLI's `--max-cost`. */
export interface RunCap {
  readonly usd: number;
  /** How the user set it, named in the refusal (`--max-cost`). */
  readonly label: string;
}

export interface SpendCheck {
  /** The jobs about to be sent (one for a run, every entry of a batch). */
  readonly items: readonly SpendItem[];
  /** What the ledger holds (jobSpends), this run's own reservation left out. */
  readonly spent: readonly JobSpend[];
  readonly limits: SpendLimits | undefined;
  readonly runCap?: RunCap | undefined;
  readonly now: number;
}

export type SpendVerdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Whether the items may be sent: every cap that applies to them must hold with their estimate added
 * to what was spent (estimates of jobs still under way included). A provider that publishes no price
 * is refused wherever a cap applies to it: the guard could not keep the cap, and a silent pass would
 * let an unpriced batch spend without bound. Unpriced providers run freely where no cap covers them.
 */
export function checkSpend(check: SpendCheck): SpendVerdict {
  const { items, limits, runCap, now } = check;
  const total = roundUsd(items.reduce((sum, item) => sum + (item.estimate.usd ?? 0), 0));
  const approximate = items.some((item) => item.estimate.approximate);
  const cost = `${approximate ? 'about ' : ''}${formatUsd(total)}`;
  const subject = items.length === 1 ? 'This run' : `These ${items.length} jobs`;
  const spentToday = spentIn(check.spent, 'day', now);
  const todayText = `${formatUsd(spentToday.usd)} spent today`;

  for (const item of items) {
    if (item.estimate.usd !== undefined) continue;
    const capName = runCap?.label ?? firstCapName(limits, item.provider);
    if (capName === undefined) continue;
    const label = providerLabels[item.provider];
    const why = item.estimate.basis === unpricedBasis ? `${label} publishes no price` : `There is no price for this ${label} run (${item.estimate.basis})`;
    const remedy = runCap ? `Run it without ${runCap.label}.` : `To use ${label}, keep the limit to priced providers (${limits?.source}.providers) or remove it.`;
    return { ok: false, message: `${why}, so it cannot be counted against ${capName}; nothing was sent. ${remedy}` };
  }
  if (runCap && total > runCap.usd + epsilon) {
    return { ok: false, message: `${subject} would cost ${cost}, more than ${runCap.label} ${formatUsd(runCap.usd)}; nothing was sent (${todayText}).` };
  }
  if (!limits) return { ok: true };
  const scopes: { readonly provider: ProviderId | undefined; readonly cap: SpendCap }[] = [{ provider: undefined, cap: limits }];
  for (const [provider, cap] of Object.entries(limits.providers ?? {}) as [ProviderId, SpendCap][]) scopes.push({ provider, cap });
  for (const { provider, cap } of scopes) {
    const covered = items.filter((item) => provider === undefined || item.provider === provider);
    if (covered.length === 0) continue;
    const adding = roundUsd(covered.reduce((sum, item) => sum + (item.estimate.usd ?? 0), 0));
    for (const period of ['day', 'month'] as const) {
      const limit = cap[period];
      if (limit === undefined) continue;
      const spent = spentIn(check.spent, period, now, provider);
      if (spent.usd + adding <= limit + epsilon) continue;
      const who = provider === undefined ? '' : ` with ${providerLabels[provider]}`;
      // A batch over several providers: the part this provider's cap counts.
      const part = covered.length < items.length ? ` (${formatUsd(adding)} of it${who})` : '';
      const when = period === 'day' ? 'today' : 'this month';
      const name = `${limits.source}${provider === undefined ? '' : `.providers.${provider}`}.${period}`;
      return {
        ok: false,
        message:
          `${subject} would cost ${cost}${part}, but ${formatUsd(spent.usd)} was already spent${who} ${when} and the ${period === 'day' ? 'daily' : 'monthly'} limit (${name}) is ${formatUsd(limit)}; nothing was sent. ` +
          `Raise the limit to send it, or wait until ${period === 'day' ? 'tomorrow' : 'next month'}.`,
      };
    }
  }
  return { ok: true };
}

/** core/cost.ts previewCost's basis for Gravitex and Modellix. */
const unpricedBasis = 'this provider publishes no price';

/** Amounts are rounded to a millionth of a dollar: a run that exactly reaches its cap passes. */
const epsilon = 0.000_000_5;

function firstCapName(limits: SpendLimits | undefined, provider: ProviderId): string | undefined {
  if (!limits) return undefined;
  if (limits.day !== undefined) return `the daily limit (${limits.source}.day)`;
  if (limits.month !== undefined) return `the monthly limit (${limits.source}.month)`;
  const own = limits.providers?.[provider];
  if (own?.day !== undefined) return `the daily limit (${limits.source}.providers.${provider}.day)`;
  if (own?.month !== undefined) return `the monthly limit (${limits.source}.providers.${provider}.month)`;
  return undefined;
}

/** The entries a guard needs: this month (local) and a margin for a job that began just before it. */
export function guardWindowStart(now: number): number {
  return localMonthStart(now) - 2 * 24 * 60 * 60 * 1000;
}

/**
 * The check for several jobs at once, against the ledger as it is now: a batch calls it once with
 * every entry's estimate before sending anything (each job is still checked again as it starts,
 * against the ledger its earlier siblings have filled).
 */
export async function checkSpendTotal(options: {
  readonly ledger: SpendLedgerStore | undefined;
  readonly limits: SpendLimits | undefined;
  readonly items: readonly SpendItem[];
  readonly runCap?: RunCap | undefined;
  readonly now: number;
}): Promise<SpendVerdict> {
  // Read for a run cap too: its refusal says what was spent today.
  const capped = options.limits !== undefined || options.runCap !== undefined;
  const spent = options.ledger && capped ? jobSpends(await options.ledger.read(guardWindowStart(options.now))) : [];
  return checkSpend({ items: options.items, spent, limits: options.limits, runCap: options.runCap, now: options.now });
}
