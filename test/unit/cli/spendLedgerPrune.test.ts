import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSpendLedger } from '../../../src/cli/spendLedgerFile';
import { createFolderSpendLedger } from '../../../src/cli/spendLedgerFolder';
import { oldestKeptSpendMonth, spendEntryFileName, utcMonthOf } from '../../../src/core/spendLedger';
import type { SpendEntry } from '../../../src/core/spendLedger';

const entry = (jobId: string, at: number): SpendEntry => ({ version: 1, jobId, at, provider: 'openai', model: 'gpt-image-2', kind: 'actual', usd: 0.01, basis: 'usage' });
const now = Date.UTC(2026, 11, 15, 12);
/** UTC months around `now` (2026-12): 13 back is the first one removed. */
const months = { current: '2026-12', previous: '2026-11', twelveBack: '2025-12', thirteenBack: '2025-11', older: '2024-03' };
const atIn = (month: string): number => Date.parse(`${month}-10T12:00:00Z`);

describe('how long the spend ledger keeps its months', () => {
  it('keeps the current UTC month and the 12 before it; never the current or the previous one is the oldest', () => {
    assert.equal(oldestKeptSpendMonth(now), months.twelveBack);
    assert.equal(oldestKeptSpendMonth(Date.UTC(2027, 0, 1, 0, 0, 0)), '2026-01');
    assert.equal(oldestKeptSpendMonth(Date.UTC(2027, 0, 31, 23, 59, 59)), '2026-01');
    for (let month = 0; month < 24; month++) {
      const at = Date.UTC(2026, month, 1);
      const previous = utcMonthOf(Date.UTC(2026, month - 1, 15));
      assert.ok(oldestKeptSpendMonth(at) < previous, `at ${utcMonthOf(at)} the previous month ${previous} is kept`);
    }
  });
});

describe('the CLI ledger file removes old months', () => {
  it('the first append removes the months before the kept year; the current, previous and twelfth month stay readable', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-prune-'));
    mkdirSync(join(home, 'spend'));
    for (const month of Object.values(months)) writeFileSync(join(home, 'spend', `${month}.jsonl`), `\n${JSON.stringify(entry(month, atIn(month)))}`);
    writeFileSync(join(home, 'spend', 'notes.txt'), 'not a month');
    await createFileSpendLedger(home, () => now).append(entry('new', now));
    assert.deepEqual(readdirSync(join(home, 'spend')).sort(), ['2025-12.jsonl', '2026-11.jsonl', '2026-12.jsonl', 'notes.txt']);
    assert.deepEqual((await createFileSpendLedger(home).read()).map((read) => read.jobId), [months.twelveBack, months.previous, months.current, 'new']);
  });

  it('processes appending while another prunes lose no entry (each prunes on its first append)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-prune-'));
    mkdirSync(join(home, 'spend'));
    const previousMonth = utcMonthOf(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 15));
    writeFileSync(join(home, 'spend', `${previousMonth}.jsonl`), `\n${JSON.stringify(entry('previous', atIn(previousMonth)))}`);
    writeFileSync(join(home, 'spend', '2001-01.jsonl'), `\n${JSON.stringify(entry('ancient', atIn('2001-01')))}`);
    const codes = await Promise.all(['a', 'b', 'c'].map((tag) => appender('spendLedgerFile.js', 'createFileSpendLedger', home, tag, 60)));
    assert.deepEqual(codes, [0, 0, 0]);
    const read = await createFileSpendLedger(home).read();
    assert.equal(read.length, 181);
    assert.ok(read.some((found) => found.jobId === 'previous'));
    assert.ok(!readdirSync(join(home, 'spend')).includes('2001-01.jsonl'));
  });
});

describe('the ledger folder (the extension format, written by gpt-image mcp) removes old months', () => {
  it('the first append removes month folders before the kept year; entries are files named as the extension names them', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'gpt-image-prune-')), 'spend');
    for (const month of Object.values(months)) {
      mkdirSync(join(folder, month), { recursive: true });
      const old = entry(month, atIn(month));
      writeFileSync(join(folder, month, `${spendEntryFileName(old, '0badcafe')}.json`), JSON.stringify(old));
    }
    await createFolderSpendLedger(folder, () => now).append(entry('new', now));
    assert.deepEqual(readdirSync(folder).sort(), [months.twelveBack, months.previous, months.current]);
    assert.deepEqual((await createFolderSpendLedger(folder).read()).map((read) => read.jobId), [months.twelveBack, months.previous, months.current, 'new']);
    const names = readdirSync(join(folder, months.current)).filter((name) => name.includes('-new-'));
    assert.equal(names.length, 1);
    assert.match(names[0] ?? '', new RegExp(`^${now}-new-actual-[0-9a-f]{8}\\.json$`));
  });

  it('processes appending while another prunes lose no entry; no temporary is left', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'gpt-image-prune-')), 'spend');
    mkdirSync(join(folder, '2001-01'), { recursive: true });
    writeFileSync(join(folder, '2001-01', 'x.json'), JSON.stringify(entry('ancient', atIn('2001-01'))));
    const codes = await Promise.all(['a', 'b', 'c'].map((tag) => appender('spendLedgerFolder.js', 'createFolderSpendLedger', folder, tag, 60)));
    assert.deepEqual(codes, [0, 0, 0]);
    assert.equal((await createFolderSpendLedger(folder).read()).length, 180);
    assert.deepEqual(readdirSync(folder), [utcMonthOf(Date.now())]);
    assert.deepEqual(readdirSync(join(folder, utcMonthOf(Date.now()))).filter((name) => name.startsWith('.')), []);
  });
});

/** A separate process appending `count` entries at once through the compiled store, as the CLI runs it. */
function appender(file: string, factory: string, where: string, tag: string, count: number): Promise<number | null> {
  const store = resolve(__dirname, '../../../src/cli', file);
  const script = `const { ${factory} } = require(${JSON.stringify(store)});
const ledger = ${factory}(${JSON.stringify(where)});
(async () => { await Promise.all(Array.from({ length: ${count} }, (_, i) => ledger.append({ version: 1, jobId: '${tag}-' + i, at: Date.now(), provider: 'openai', model: 'gpt-image-2', kind: 'estimate', usd: 0.006, basis: 'estimate' }))); })();`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
    child.on('error', fail);
    child.on('close', done);
  });
}
