import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { requireSpendTotal } from '../../../src/cli/spendCommand';
import { createFileSpendLedger } from '../../../src/cli/spendLedgerFile';
import { isInputError } from '../../../src/core/errors';
import type { SpendEntry } from '../../../src/core/spendLedger';

const entry = (jobId: string, at: number): SpendEntry => ({ version: 1, jobId, at, provider: 'apixo', model: 'gpt-image-2', kind: 'estimate', usd: 0.02, basis: 'estimate' });

/** A separate process appending `count` entries as fast as it can (the compiled store, as the CLI runs it). */
function appender(home: string, tag: string, count: number): Promise<number | null> {
  const store = resolve(__dirname, '../../../src/cli/spendLedgerFile.js');
  const script = `const { createFileSpendLedger } = require(${JSON.stringify(store)});
const ledger = createFileSpendLedger(${JSON.stringify(home)});
(async () => { await Promise.all(Array.from({ length: ${count} }, (_, i) => ledger.append({ version: 1, jobId: '${tag}-' + i, at: Date.now(), provider: 'openai', model: 'gpt-image-2', kind: 'estimate', usd: 0.006, basis: 'estimate' }))); })();`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
    child.on('error', fail);
    child.on('close', done);
  });
}

describe('the CLI spend ledger file', () => {
  it('two processes appending at once lose and mix no entry', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-ledger-'));
    const codes = await Promise.all([appender(home, 'cli', 150), appender(home, 'window', 150)]);
    assert.deepEqual(codes, [0, 0]);
    const entries = await createFileSpendLedger(home).read();
    assert.equal(entries.length, 300);
    assert.equal(new Set(entries.map((read) => read.jobId)).size, 300);
  });

  it('a line torn by a crash mid-append is skipped, and the next append is not glued to it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-ledger-'));
    const ledger = createFileSpendLedger(home);
    const now = Date.now();
    await ledger.append(entry('before', now));
    const [file] = readdirSync(join(home, 'spend'));
    appendFileSync(join(home, 'spend', file ?? ''), `\n${JSON.stringify(entry('torn', now)).slice(0, 30)}`);
    await ledger.append(entry('after', now));
    assert.deepEqual((await ledger.read()).map((read) => read.jobId), ['before', 'after']);
    assert.match(readFileSync(join(home, 'spend', file ?? ''), 'utf8'), /"jobId":"torn/);
  });

  it('reads from a date on: older months are not opened, older entries not returned', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-ledger-'));
    const ledger = createFileSpendLedger(home);
    await ledger.append(entry('october', Date.UTC(2026, 9, 15)));
    await ledger.append(entry('early-december', Date.UTC(2026, 11, 1)));
    await ledger.append(entry('mid-december', Date.UTC(2026, 11, 15)));
    assert.deepEqual(readdirSync(join(home, 'spend')).sort(), ['2026-10.jsonl', '2026-12.jsonl']);
    assert.deepEqual((await ledger.read(Date.UTC(2026, 11, 10))).map((read) => read.jobId), ['mid-december']);
    assert.equal((await ledger.read()).length, 3);
  });
});

describe('requireSpendTotal (what gpt-image batch calls once before sending)', () => {
  it('checks several estimates as one total against --max-cost and GPT_IMAGE_SPEND_LIMIT, counting the ledger', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-ledger-'));
    const now = Date.now();
    await createFileSpendLedger(home).append({ ...entry('earlier', now), kind: 'actual', usd: 0.9, basis: 'price' });
    const items = [0.04, 0.04, 0.04].map((usd) => ({ provider: 'apixo' as const, estimate: { usd, approximate: false, basis: 'test' } }));
    const env = { GPT_IMAGE_HOME: home, GPT_IMAGE_SPEND_LIMIT: JSON.stringify({ day: 1 }) };
    await assert.rejects(requireSpendTotal(env, items, undefined, now), (error: unknown) => {
      assert.ok(isInputError(error));
      assert.equal(error.issues[0], 'These 3 jobs would cost $0.120, but $0.900 was already spent today and the daily limit (GPT_IMAGE_SPEND_LIMIT.day) is $1.000; nothing was sent. Raise the limit to send it, or wait until tomorrow.');
      return true;
    });
    await assert.rejects(requireSpendTotal({ GPT_IMAGE_HOME: home }, items, 0.1, now), /These 3 jobs would cost \$0\.120, more than --max-cost \$0\.100; nothing was sent \(\$0\.900 spent today\)\./);
    await requireSpendTotal({ GPT_IMAGE_HOME: home }, items.slice(0, 2), 0.1, now);
    await requireSpendTotal(env, items.slice(0, 2), undefined, now);
  });
});
