// Days and months are the user's local calendar: pinned to a zone with DST, before any Date is made.
process.env.TZ = 'America/New_York';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSpend, estimateRequest } from '../../../src/core/spendGuard';
import type { RunEstimate, SpendItem } from '../../../src/core/spendGuard';
import { jobSpends, localDayKey, localMonthStart, parseSpendLines, spentIn } from '../../../src/core/spendLedger';
import type { SpendEntry } from '../../../src/core/spendLedger';
import { parseSpendLimits } from '../../../src/core/spendLimits';
import { spendReport } from '../../../src/core/spendReport';

const at = (iso: string): number => new Date(iso).getTime();
const entry = (jobId: string, when: string, kind: SpendEntry['kind'], usd: number | undefined, overrides: Partial<SpendEntry> = {}): SpendEntry => ({
  version: 1,
  jobId,
  at: at(when),
  provider: 'openai',
  model: 'gpt-image-2',
  kind,
  usd,
  basis: usd === undefined ? 'unknown' : kind === 'actual' ? 'usage' : 'estimate',
  ...overrides,
});
const priced = (usd: number, approximate = false): RunEstimate => ({ usd, approximate, basis: 'test' });
const item = (usd: number | undefined, provider: SpendItem['provider'] = 'openai'): SpendItem => ({ provider, estimate: usd === undefined ? { usd, approximate: false, basis: 'this provider publishes no price' } : priced(usd) });

describe('spend ledger arithmetic', () => {
  it('reads JSON lines, skipping a line torn by a crash and entries of another shape', () => {
    const good = JSON.stringify(entry('a', '2026-12-01T15:00:00Z', 'estimate', 0.05));
    const text = `\n${good}\n{"version":1,"jobId":"b","at":1,"provider":"openai"\n{"version":2}\nnot json\n${good.slice(0, 40)}`;
    assert.deepEqual(parseSpendLines(text).map((parsed) => parsed.jobId), ['a']);
  });

  it('a job counts once: its first actual entry, else its estimate (pending); a refused job not at all', () => {
    const spends = jobSpends([
      entry('done', '2026-12-01T15:00:00Z', 'estimate', 0.05),
      entry('done', '2026-12-01T15:01:00Z', 'actual', 0.04),
      // A later resume of a job that already ended cannot change what it cost.
      entry('done', '2026-12-01T16:00:00Z', 'actual', 0.09, { basis: 'estimate' }),
      entry('running', '2026-12-01T15:02:00Z', 'estimate', 0.2),
      entry('refused', '2026-12-01T15:03:00Z', 'estimate', 3),
      entry('refused', '2026-12-01T15:03:00Z', 'refused', 0, { basis: 'none' }),
    ]);
    assert.deepEqual(
      spends.map((spend) => [spend.jobId, spend.usd, spend.basis, spend.pending]),
      [
        ['done', 0.04, 'usage', false],
        ['running', 0.2, 'estimate', true],
      ],
    );
  });

  it('days follow local time: 22:30 in New York (03:30 UTC next day) is still the same day', () => {
    assert.equal(localDayKey(at('2026-12-02T03:30:00Z')), '2026-12-01');
    assert.equal(localDayKey(at('2026-12-02T05:30:00Z')), '2026-12-02');
    const spends = jobSpends([
      entry('morning', '2026-12-01T14:00:00Z', 'actual', 1),
      entry('late', '2026-12-02T03:30:00Z', 'actual', 2),
      entry('tomorrow', '2026-12-02T05:30:00Z', 'actual', 4),
    ]);
    assert.equal(spentIn(spends, 'day', at('2026-12-02T04:59:00Z')).usd, 3);
    assert.equal(spentIn(spends, 'day', at('2026-12-02T05:00:00Z')).usd, 4);
  });

  it('months follow local time too, and a DST change does not shift a day', () => {
    // 23:30 on 30 November in New York is 04:30 UTC on 1 December.
    const spends = jobSpends([entry('november', '2026-12-01T04:30:00Z', 'actual', 5), entry('december', '2026-12-01T05:30:00Z', 'actual', 7)]);
    assert.equal(spentIn(spends, 'month', at('2026-12-15T12:00:00Z')).usd, 7);
    assert.equal(spentIn(spends, 'month', at('2026-12-01T04:59:00Z')).usd, 5);
    assert.equal(localMonthStart(at('2026-12-15T12:00:00Z')), at('2026-12-01T05:00:00Z'));
    // Clocks go forward at 02:00 on 8 March 2026: that day is 23 hours long, still one calendar day.
    assert.equal(localDayKey(at('2026-03-08T05:00:00Z')), '2026-03-08');
    assert.equal(localDayKey(at('2026-03-09T03:59:00Z')), '2026-03-08');
    assert.equal(localDayKey(at('2026-03-09T04:00:00Z')), '2026-03-09');
  });

  it('a run that exactly reaches a limit passes; a millionth more is refused with both figures', () => {
    const spent = jobSpends([entry('earlier', '2026-12-01T15:00:00Z', 'actual', 4.95)]);
    const now = at('2026-12-01T20:00:00Z');
    const limits = { day: 5, source: 'gptImage.spendLimit' };
    assert.deepEqual(checkSpend({ items: [item(0.05)], spent, limits, now }), { ok: true });
    const verdict = checkSpend({ items: [{ provider: 'openai', estimate: priced(0.050001, true) }], spent, limits, now });
    assert.equal(verdict.ok, false);
    assert.equal(!verdict.ok && verdict.message, 'This run would cost about $0.050, but $4.950 was already spent today and the daily limit (gptImage.spendLimit.day) is $5.000; nothing was sent. Raise the limit to send it, or wait until tomorrow.');
  });

  it('yesterday does not count against today; this month does against the month', () => {
    const spent = jobSpends([entry('yesterday', '2026-11-30T15:00:00Z', 'actual', 4), entry('today', '2026-12-01T15:00:00Z', 'actual', 1)]);
    const now = at('2026-12-01T20:00:00Z');
    assert.equal(checkSpend({ items: [item(3.5)], spent, limits: { day: 5, source: 's' }, now }).ok, true);
    const monthly = checkSpend({ items: [item(3.5)], spent, limits: { month: 4, source: 's' }, now });
    assert.equal(!monthly.ok && monthly.message, 'This run would cost $3.500, but $1.000 was already spent this month and the monthly limit (s.month) is $4.000; nothing was sent. Raise the limit to send it, or wait until next month.');
  });

  it('a provider cap counts that provider only; the overall cap counts every one', () => {
    const spent = jobSpends([entry('apixo', '2026-12-01T15:00:00Z', 'actual', 1, { provider: 'apixo', basis: 'price' }), entry('openai', '2026-12-01T15:00:00Z', 'actual', 0.5)]);
    const now = at('2026-12-01T20:00:00Z');
    const limits = { day: 3, providers: { openai: { day: 1 } }, source: 's' };
    assert.equal(checkSpend({ items: [item(0.5)], spent, limits, now }).ok, true);
    const openai = checkSpend({ items: [item(0.6)], spent, limits, now });
    assert.equal(!openai.ok && openai.message, 'This run would cost $0.600, but $0.500 was already spent with OpenAI today and the daily limit (s.providers.openai.day) is $1.000; nothing was sent. Raise the limit to send it, or wait until tomorrow.');
    assert.equal(checkSpend({ items: [item(1.5, 'apixo')], spent, limits, now }).ok, true, 'another provider is not held to the OpenAI cap');
    const overall = checkSpend({ items: [item(1.6, 'apixo')], spent, limits, now });
    assert.match(!overall.ok ? overall.message : '', /\$1\.500 was already spent today and the daily limit \(s\.day\) is \$3\.000/);
  });

  it('several jobs are checked as one total (a batch), per provider too', () => {
    const now = at('2026-12-01T20:00:00Z');
    const items = [item(0.3), item(0.3), item(0.3, 'apixo')];
    const verdict = checkSpend({ items, spent: [], limits: { providers: { openai: { day: 0.5 } }, source: 's' }, now });
    assert.equal(!verdict.ok && verdict.message, 'These 3 jobs would cost $0.900 ($0.600 of it with OpenAI), but $0.0000 was already spent with OpenAI today and the daily limit (s.providers.openai.day) is $0.500; nothing was sent. Raise the limit to send it, or wait until tomorrow.');
    const capped = checkSpend({ items, spent: [], limits: undefined, runCap: { usd: 0.8, label: '--max-cost' }, now });
    assert.equal(!capped.ok && capped.message, 'These 3 jobs would cost $0.900, more than --max-cost $0.800; nothing was sent ($0.0000 spent today).');
  });

  it('no published price: refused under a cap that covers the provider, free where none does', () => {
    const now = at('2026-12-01T20:00:00Z');
    assert.equal(checkSpend({ items: [item(undefined, 'modellix')], spent: [], limits: undefined, now }).ok, true);
    assert.equal(checkSpend({ items: [item(undefined, 'modellix')], spent: [], limits: { providers: { openai: { day: 1 } }, source: 's' }, now }).ok, true);
    const refused = checkSpend({ items: [item(undefined, 'modellix')], spent: [], limits: { providers: { modellix: { month: 1 } }, source: 's' }, now });
    assert.equal(!refused.ok && refused.message, 'Modellix publishes no price, so it cannot be counted against the monthly limit (s.providers.modellix.month); nothing was sent. To use Modellix, keep the limit to priced providers (s.providers) or remove it.');
  });

  it('estimates a request as the Studio previews it, partial images and no-price providers included', () => {
    const request = { provider: 'openai', model: 'gpt-image-2', prompt: 'A kite', size: '1024x1024', quality: 'low', n: 2 } as const;
    assert.deepEqual(estimateRequest(request), { usd: 0.012, approximate: true, basis: '≈200 output tokens per image at $30/M; reference images not included' });
    // Two partial images at about 100 output tokens each (docs/providers.md §7.1), $30/M: $0.006 more.
    assert.equal(estimateRequest({ ...request, n: 1, partialImages: 2 }).usd, 0.012);
    assert.deepEqual(estimateRequest({ provider: 'apixo', model: 'gpt-image-2', prompt: 'A kite', size: '16:9@4k', n: 3 }), { usd: 0.12, approximate: false, basis: '1 × $0.04 (4k)' });
    assert.equal(estimateRequest({ provider: 'modellix', model: 'gpt-image-2', prompt: 'A kite', size: '1024x1024' }).usd, undefined);
    assert.equal(estimateRequest({ ...request, customModel: 'gpt-image-3' }).usd, undefined, 'a custom model has no known price');
  });

  it('parses the setting, reporting every value it ignores', () => {
    assert.deepEqual(parseSpendLimits(undefined, 's'), { limits: undefined, problems: [] });
    assert.deepEqual(parseSpendLimits({ day: 5, providers: { apixo: { month: 20 } } }, 's').limits, { day: 5, month: undefined, providers: { apixo: { day: undefined, month: 20 } }, source: 's' });
    const parsed = parseSpendLimits({ day: -1, weekly: 3, providers: { nobody: { day: 1 }, openai: 'two' } }, 's');
    assert.equal(parsed.limits, undefined);
    assert.deepEqual(parsed.problems, [
      's.day must be a number of US dollars, 0 or more (got -1); it is ignored.',
      's.weekly is not a limit (use day, month or providers); it is ignored.',
      's.providers.nobody is not a provider (openai, gravitex, modellix, apixo); it is ignored.',
      's.providers.openai must be an object such as { "day": 2 }; it is ignored.',
    ]);
  });

  it('the report groups by local day and provider, totals priced jobs and counts the rest', () => {
    const report = spendReport(
      jobSpends([
        entry('a', '2026-12-01T15:00:00Z', 'actual', 0.25),
        entry('b', '2026-12-02T03:30:00Z', 'actual', 0.5, { basis: 'estimate' }),
        entry('c', '2026-12-01T16:00:00Z', 'estimate', undefined, { provider: 'modellix' }),
        entry('d', '2026-12-02T15:00:00Z', 'estimate', 0.1),
      ]),
    );
    assert.deepEqual(
      report.rows.map((row) => [row.day, row.provider, row.jobs, row.usd, row.unpriced, row.pending, row.bases]),
      [
        ['2026-12-01', 'modellix', 1, 0, 1, 1, ['unknown']],
        ['2026-12-01', 'openai', 2, 0.75, 0, 0, ['usage', 'estimate']],
        ['2026-12-02', 'openai', 1, 0.1, 0, 1, ['estimate']],
      ],
    );
    assert.deepEqual([report.totalUsd, report.unpricedJobs, report.pendingJobs], [0.85, 1, 2]);
  });
});
