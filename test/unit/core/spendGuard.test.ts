import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createFileSpendLedger } from '../../../src/cli/spendLedgerFile';
import { isInputError } from '../../../src/core/errors';
import { JobOwner } from '../../../src/core/jobOwner';
import type { GenerationRequest } from '../../../src/core/request';
import { jobSpends } from '../../../src/core/spendLedger';
import type { SpendLedgerStore } from '../../../src/core/spendLedger';
import type { SpendLimits } from '../../../src/core/spendLimits';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { runnerRig, silentLog } from './jobRunnerHarness';
import type { RunnerRig } from './jobRunnerHarness';

/** gpt-image-2 low at 1024x1024: 200 output tokens at $30/M = $0.006, plus the prompt's text tokens. */
const lowRequest = (prompt: string): GenerationRequest => ({ provider: 'openai', model: 'gpt-image-2', prompt, size: '1024x1024', quality: 'low' });

describe('the spend guard in the job runner (every entry point passes it)', () => {
  let openai: FakeOpenAi;
  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(async () => {
    await openai.close();
  });
  beforeEach(() => openai.reset());

  function rig(limits: SpendLimits | undefined): { rig: RunnerRig; ledger: SpendLedgerStore; owner: JobOwner } {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-spend-'));
    const ledger = createFileSpendLedger(join(root, 'home'));
    const built = runnerRig({ openai: openai.baseUrl }, root, { spend: { ledger, limits: () => limits } });
    return { rig: built, ledger, owner: new JobOwner(built.runner, silentLog) };
  }

  it('refuses a run over the daily limit before it is journaled or sent, and records the refusal', async () => {
    const { rig: built, ledger, owner } = rig({ day: 0.005, source: 'gptImage.spendLimit' });
    const handle = owner.run({ request: lowRequest('A kite'), output: { dir: built.outDir, template: '{slug}-{index}' } });
    const error: unknown = await handle.done.then(() => undefined, (reason: unknown) => reason);
    assert.ok(isInputError(error), String(error));
    assert.match(error.issues.join(' '), /This run would cost about \$0\.0060, but \$0\.0000 was already spent today and the daily limit \(gptImage\.spendLimit\.day\) is \$0\.0050; nothing was sent\./);
    assert.equal(openai.apiRequests().length, 0);
    const jobs = join(built.home, 'jobs');
    assert.deepEqual(existsSync(jobs) ? readdirSync(jobs).filter((name) => name.endsWith('.json')) : [], []);
    const entries = await ledger.read();
    assert.deepEqual(entries.map((entry) => entry.kind), ['estimate', 'refused']);
    assert.deepEqual(jobSpends(entries), []);
  });

  it('two runs started together under a limit that fits one: exactly one is sent', async () => {
    const { rig: built, owner } = rig({ day: 0.01, source: 'gptImage.spendLimit' });
    const output = { dir: built.outDir, template: '{slug}-{index}' };
    const outcomes = await Promise.allSettled([owner.run({ request: lowRequest('First'), output }).done, owner.run({ request: lowRequest('Second'), output }).done]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(openai.apiRequests().length, 1);
  });

  it('records what an ended job cost: the usage the provider reported, nothing for a definite refusal', async () => {
    const { rig: built, ledger, owner } = rig(undefined);
    const output = { dir: built.outDir, template: '{slug}-{index}' };
    await owner.run({ request: lowRequest('Paid'), output }).done;
    openai.enqueue({ status: 400, message: 'Invalid size' });
    await assert.rejects(owner.run({ request: lowRequest('Refused'), output }).done);
    const spends = jobSpends(await ledger.read());
    assert.equal(spends.length, 2);
    const [paid, refused] = spends;
    const usage = openai.usageSent[0] as { input_tokens_details: { text_tokens: number }; output_tokens_details: { image_tokens: number } };
    const charged = (usage.input_tokens_details.text_tokens * 5 + usage.output_tokens_details.image_tokens * 30) / 1_000_000;
    assert.deepEqual([paid?.basis, paid?.pending], ['usage', false]);
    assert.ok(Math.abs((paid?.usd ?? Number.NaN) - charged) < 1e-9, `${paid?.usd} vs ${charged}`);
    assert.deepEqual([refused?.usd, refused?.basis, refused?.pending], [0, 'none', false]);
  });

  it('an unknown outcome counts at its estimate, marked as such (it may have been charged)', async () => {
    const { rig: built, ledger, owner } = rig(undefined);
    openai.enqueue({ reset: true });
    await assert.rejects(owner.run({ request: lowRequest('Lost answer'), output: { dir: built.outDir, template: '{slug}-{index}' } }).done);
    const [spend] = jobSpends(await ledger.read());
    assert.deepEqual([spend?.basis, spend?.pending], ['estimate', false]);
    assert.equal(spend?.usd, 0.006);
  });

  it('a reserved job whose journal record cannot be written is withdrawn: never sent, it counts nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-spend-'));
    const ledger = createFileSpendLedger(join(root, 'home'));
    const built = runnerRig({ openai: openai.baseUrl }, root, { spend: { ledger, limits: () => ({ day: 1, source: 's' }) } });
    mkdirSync(join(root, 'home'), { recursive: true });
    // A file where the journal's folder should be: the record cannot be written.
    writeFileSync(join(root, 'home', 'jobs'), 'not a folder');
    await assert.rejects(new JobOwner(built.runner, silentLog).run({ request: lowRequest('Unjournaled'), output: { dir: built.outDir, template: '{slug}-{index}' } }).done);
    assert.equal(openai.apiRequests().length, 0);
    assert.deepEqual((await ledger.read()).map((entry) => entry.kind), ['estimate', 'refused']);
    assert.deepEqual(jobSpends(await ledger.read()), []);
  });

  it('a run cap alone needs no ledger: refused over it, sent under it', async () => {
    const built = runnerRig({ openai: openai.baseUrl });
    const owner = new JobOwner(built.runner, silentLog);
    const output = { dir: built.outDir, template: '{slug}-{index}' };
    await assert.rejects(owner.run({ request: lowRequest('Capped'), output, runCap: { usd: 0.001, label: 'the batch cap' } }).done, /more than the batch cap \$0\.0010; nothing was sent/);
    assert.equal(openai.apiRequests().length, 0);
    await owner.run({ request: lowRequest('Fits'), output, runCap: { usd: 0.01, label: 'the batch cap' } }).done;
    assert.equal(openai.apiRequests().length, 1);
  });
});
