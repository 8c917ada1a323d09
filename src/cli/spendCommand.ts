import { formatUsd } from '../core/cost';
import { InputError } from '../core/errors';
import { providerLabels } from '../core/ids';
import { checkSpendTotal } from '../core/spendGuard';
import type { SpendItem } from '../core/spendGuard';
import { jobSpends } from '../core/spendLedger';
import type { SpendBasis } from '../core/spendLedger';
import { parseSpendLimits } from '../core/spendLimits';
import type { SpendLimits } from '../core/spendLimits';
import { spendReport } from '../core/spendReport';
import { exitCodes } from './failure';
import type { CliIo } from './io';
import { cliSpendLedger } from './spendLedgerFile';

/** The environment variable that carries the CLI's spend limit (same shape as gptImage.spendLimit). */
export const spendLimitVariable = 'GPT_IMAGE_SPEND_LIMIT';

/**
 * `GPT_IMAGE_SPEND_LIMIT` as limits. Anything that is not a valid limit refuses the run (exit 2,
 * nothing sent): a typo in a cap must never leave the user without the cap they meant to set.
 */
export function cliSpendLimits(env: NodeJS.ProcessEnv): SpendLimits | undefined {
  const raw = env[spendLimitVariable];
  if (raw === undefined || raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new InputError([`${spendLimitVariable} must be JSON such as {"day": 5, "month": 50}; nothing was sent.`]);
  }
  const parsed = parseSpendLimits(value, spendLimitVariable);
  if (parsed.problems.length > 0) throw new InputError([...parsed.problems.map((problem) => problem.replace(/; it is ignored\.$/, '.')), 'Nothing was sent.']);
  return parsed.limits;
}

/**
 * For a run of several jobs (`gpt-image batch`): every job's estimate checked as one total against
 * `--max-cost` and GPT_IMAGE_SPEND_LIMIT before anything is sent. Throws InputError (exit 2) naming
 * what they would cost and what was spent; each job is still checked again by the runner as it starts.
 */
export async function requireSpendTotal(env: NodeJS.ProcessEnv, items: readonly SpendItem[], maxCostUsd: number | undefined, now: number = Date.now()): Promise<void> {
  const verdict = await checkSpendTotal({
    ledger: cliSpendLedger(env),
    limits: cliSpendLimits(env),
    items,
    runCap: maxCostUsd === undefined ? undefined : { usd: maxCostUsd, label: '--max-cost' },
    now,
  });
  if (!verdict.ok) throw new InputError([verdict.message]);
}

const basisWords: Readonly<Record<SpendBasis, string>> = {
  usage: 'reported usage',
  price: 'published price',
  none: 'nothing charged',
  estimate: 'estimate',
  unknown: 'no published price',
};

/** `gpt-image spend [--json]`: the ledger by local day and provider. */
export async function printSpend(io: CliIo, json: boolean): Promise<number> {
  const ledger = cliSpendLedger(io.env);
  const report = spendReport(jobSpends(await ledger.read()));
  if (json) {
    // One line: stdout lines are kept free of control characters (io.ts), newlines included.
    io.stdout(JSON.stringify(report));
    return exitCodes.ok;
  }
  if (report.rows.length === 0) {
    io.stdout('No spending recorded yet.');
    return exitCodes.ok;
  }
  io.stdout(`${'day'.padEnd(12)}${'provider'.padEnd(10)}${'jobs'.padStart(5)}  ${'spent'.padEnd(10)}how it was counted`);
  for (const row of report.rows) {
    const spent = row.unpriced === row.jobs ? 'unknown' : formatUsd(row.usd);
    const notes = [
      row.bases.map((basis) => basisWords[basis]).join(', '),
      row.unpriced > 0 && row.unpriced < row.jobs ? `${row.unpriced} not counted` : '',
      row.pending > 0 ? `${row.pending} still under way` : '',
    ].filter((note) => note !== '');
    io.stdout(`${row.day.padEnd(12)}${providerLabels[row.provider].padEnd(10)}${String(row.jobs).padStart(5)}  ${spent.padEnd(10)}${notes.join('; ')}`);
  }
  const extras = [
    report.unpricedJobs > 0 ? `${report.unpricedJobs} job${report.unpricedJobs === 1 ? '' : 's'} with no published price not counted` : '',
    report.pendingJobs > 0 ? `${report.pendingJobs} still under way, counted at ${report.pendingJobs === 1 ? 'its' : 'their'} estimate` : '',
  ].filter((extra) => extra !== '');
  io.stdout(`total: ${formatUsd(report.totalUsd)}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`);
  return exitCodes.ok;
}
