import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { runCli } from './cliHarness';
import type { Sandbox } from './cliHarness';
import { batchRecords, threeEntries, withBatchFile } from './batchApiSupport';

const fast = ['--poll-interval', '0.05'];

interface LedgerLine {
  readonly jobId: string;
  readonly kind: string;
  readonly usd?: number;
  readonly basis: string;
}

function ledger(box: Sandbox): LedgerLine[] {
  const dir = join(box.home, 'spend');
  return readdirSync(dir).flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LedgerLine),
  );
}

describe('a Batch API job in the spend ledger (it never passes the per-job guard, so it is counted itself)', () => {
  let openai: FakeOpenAi;
  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(() => openai.close());
  beforeEach(() => {
    openai.reset();
    openai.batch.configure({ stepMs: 50 });
  });

  it('reserves the discounted estimate before the batch is created and settles it in full when every line came back', async () => {
    const box = withBatchFile(openai, threeEntries);
    const dry = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', '--dry-run'], box);
    const shown = Number(/estimated cost about \$([\d.]+)/.exec(dry.stdout)?.[1]);
    const run = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(run.code, 0, run.stderr);
    const [job] = batchRecords(box);
    assert.ok(job);
    const entries = ledger(box).filter((entry) => entry.jobId === job.id);
    assert.deepEqual(entries.map((entry) => entry.kind), ['estimate', 'actual']);
    const [estimate, actual] = entries;
    assert.ok(estimate?.usd !== undefined && Math.abs(estimate.usd - shown) < 0.001, `reserved ${estimate?.usd}, the plan said about $${shown}`);
    assert.deepEqual({ usd: actual?.usd, basis: actual?.basis }, { usd: estimate.usd, basis: 'estimate' });
    const spend = await runCli(['spend', '--json'], box);
    const report = JSON.parse(spend.stdout) as { rows: { provider: string; jobs: number; usd: number }[] };
    assert.deepEqual(report.rows.map((row) => [row.provider, row.jobs, row.usd]), [['openai', 1, estimate.usd]]);
  });

  it('a line that failed is not charged: the actual entry counts the lines that came back, and resume settles no second time', async () => {
    openai.batch.configure({ stepMs: 50, failLines: { hero: 'status', badge: 'error' } });
    const box = withBatchFile(openai, threeEntries);
    const run = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(run.code, 1, run.stderr);
    await runCli(['resume', ...fast], box);
    const [job] = batchRecords(box);
    assert.ok(job);
    const entries = ledger(box).filter((entry) => entry.jobId === job.id);
    assert.deepEqual(entries.map((entry) => entry.kind), ['estimate', 'actual']);
    const [estimate, actual] = entries;
    assert.ok(estimate?.usd !== undefined);
    assert.equal(actual?.usd, Math.round((estimate.usd / 3) * 10_000) / 10_000, 'one of three lines came back');
  });
});
