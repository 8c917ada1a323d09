import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobRecord, LeaseClaim } from '../../../src/core/journal';
import type * as JournalStoreModule from '../../../src/host/journalStore';
import type * as SpendLedgerStoreModule from '../../../src/host/spendLedgerStore';
import { utcMonthOf } from '../../../src/core/spendLedger';
import type { SpendEntry } from '../../../src/core/spendLedger';
import { createFolderSpendLedger } from '../../../src/cli/spendLedgerFolder';
import type { Logger } from '../../../src/core/logger';
import { submittingJob } from '../core/fixtures';
import { FakeUri, installStorageVscode, vscodeLikeWorkspaceFs } from './fakeStorageVscode';

installStorageVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createJournalStore } = require('../../../src/host/journalStore') as typeof JournalStoreModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSpendLedgerStore } = require('../../../src/host/spendLedgerStore') as typeof SpendLedgerStoreModule;

const nodeWorkspaceFs = vscodeLikeWorkspaceFs;

function capturing(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (message) => warnings.push(message), error: () => undefined };
}

const storage = (): FakeUri => new FakeUri(mkdtempSync(join(tmpdir(), 'gpt-image-host-journal-')));

describe("the extension's journal store (over a workspace.fs that behaves like VS Code's)", () => {
  it('reads a large journal a bounded number of files at a time', async () => {
    const root = storage();
    const { fs, mostReadsInFlight } = nodeWorkspaceFs();
    const journal = createJournalStore(root as never, capturing(), fs);
    await mkdir(join(root.path, 'jobs'), { recursive: true });
    for (let index = 0; index < 300; index++) {
      const id = `job-${index}`;
      await writeFile(join(root.path, 'jobs', `${id}.json`), JSON.stringify(submittingJob(id, index)));
    }
    assert.equal((await journal.list()).length, 300);
    assert.ok(mostReadsInFlight() <= 32, `at most 32 reads at once, saw ${mostReadsInFlight()}`);
  });

  it('skips malformed records with a warning naming each, and lists the others', async () => {
    const root = storage();
    const log = capturing();
    const journal = createJournalStore(root as never, log, nodeWorkspaceFs().fs);
    const good = submittingJob('good', 1);
    await journal.put(good);
    const jobs = join(root.path, 'jobs');
    await writeFile(join(jobs, 'null-task.json'), JSON.stringify({ ...submittingJob('null-task', 1), tasks: [null] }));
    await writeFile(join(jobs, 'no-request.json'), JSON.stringify({ ...submittingJob('no-request', 1), request: undefined }));
    await writeFile(join(jobs, 'version-2.json'), JSON.stringify({ ...submittingJob('version-2', 1), version: 2 }));
    await writeFile(join(jobs, 'broken.json'), '{"version":');
    await mkdir(join(jobs, 'x.json'));
    assert.deepEqual((await journal.list()).map((job) => job.id), ['good']);
    for (const name of ['null-task.json', 'no-request.json', 'version-2.json', 'broken.json', 'x.json']) {
      assert.ok(log.warnings.some((warning) => warning.includes(join(jobs, name))), `${name}: ${log.warnings.join(' | ')}`);
    }
    assert.equal(await journal.get('null-task'), undefined);
  });

  it('lets exactly one of several windows claiming in the same instant have the lease (free, released, stale)', async () => {
    const now = Date.now();
    for (let round = 0; round < 10; round++) {
      const root = storage();
      const windows = Array.from({ length: 6 }, () => createJournalStore(root as never, capturing(), nodeWorkspaceFs().fs, 20));
      const claims = await Promise.all(windows.map((store, index) => store.claim?.('job-1', `window-${index}`, now) as Promise<LeaseClaim>));
      assert.equal(claims.filter((claim) => claim.ok).length, 1, `round ${round}, free: ${JSON.stringify(claims)}`);
      const winner = windows[claims.findIndex((claim) => claim.ok)];
      await winner?.release?.('job-1', `window-${claims.findIndex((claim) => claim.ok)}`);
      const again = await Promise.all(windows.map((store, index) => store.claim?.('job-1', `window-${index + 10}`, now + 1) as Promise<LeaseClaim>));
      assert.equal(again.filter((claim) => claim.ok).length, 1, `round ${round}, released: ${JSON.stringify(again)}`);
      const later = now + 120_000;
      const stale = await Promise.all(windows.map((store, index) => store.claim?.('job-1', `window-${index + 20}`, later) as Promise<LeaseClaim>));
      assert.equal(stale.filter((claim) => claim.ok).length, 1, `round ${round}, stale: ${JSON.stringify(stale)}`);
    }
  });

  it('carries the heartbeat of a record it holds the lease for, and removes leases with the job', async () => {
    const root = storage();
    const journal = createJournalStore(root as never, capturing(), nodeWorkspaceFs().fs, 0);
    const job: JobRecord = submittingJob('job-1', 1);
    assert.deepEqual(await journal.claim?.('job-1', 'window-a', 1_000), { ok: true });
    job.lease = { owner: 'window-a', heartbeatAt: 31_000 };
    await journal.put(job);
    const lease = JSON.parse(await readFile(join(root.path, 'jobs', 'job-1.lease.0'), 'utf8')) as { heartbeatAt: number };
    assert.equal(lease.heartbeatAt, 31_000);
    // 80 s after the claim, but 50 s after the heartbeat: still held.
    assert.equal((await createJournalStore(root as never, capturing(), nodeWorkspaceFs().fs, 0).claim?.('job-1', 'window-b', 81_000))?.ok, false);
    await journal.remove('job-1');
    assert.deepEqual(await readdir(join(root.path, 'jobs')), []);
  });
});

describe('the extension spend ledger (global storage over workspace.fs)', () => {
  const entry = (jobId: string, at: number, kind: SpendEntry['kind'] = 'estimate'): SpendEntry => ({ version: 1, jobId, at, provider: 'openai', model: 'gpt-image-2', kind, usd: 0.05, basis: 'estimate' });
  const ledgerFs = (): Parameters<typeof createSpendLedgerStore>[2] => nodeWorkspaceFs().fs as unknown as Parameters<typeof createSpendLedgerStore>[2];

  it('one file per entry: two windows appending at once lose nothing, and a leftover temporary or bad file is skipped', async () => {
    const root = storage();
    const log = capturing();
    const first = createSpendLedgerStore(root as never, log, ledgerFs());
    const second = createSpendLedgerStore(root as never, log, ledgerFs());
    const now = Date.UTC(2026, 11, 1, 12);
    await Promise.all(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? first : second).append(entry(`job-${index}`, now + index))));
    const month = join(root.path, 'spend', '2026-12');
    await writeFile(join(month, '.crashed.tmp'), '{"version":1');
    await writeFile(join(month, 'garbage.json'), 'not json');
    const read = await first.read();
    assert.equal(read.length, 40);
    assert.deepEqual(read.map((found) => found.jobId), Array.from({ length: 40 }, (_, index) => `job-${index}`));
    assert.equal(log.warnings.filter((warning) => warning.includes('garbage.json')).length, 1);
  });

  it('reads each entry file once per window: a batch checking before every job does not read the month again', async () => {
    const root = storage();
    const base = nodeWorkspaceFs().fs as unknown as { readFile: (uri: FakeUri) => Promise<Uint8Array> };
    let reads = 0;
    const counting = { ...base, readFile: (uri: FakeUri) => ((reads += 1), base.readFile(uri)) };
    const ledger = createSpendLedgerStore(root as never, capturing(), counting as unknown as Parameters<typeof createSpendLedgerStore>[2]);
    const now = Date.UTC(2026, 11, 1, 12);
    for (let index = 0; index < 5; index++) await ledger.append(entry(`job-${index}`, now + index));
    assert.equal((await ledger.read()).length, 5);
    assert.equal(reads, 5);
    await ledger.append(entry('job-5', now + 5));
    assert.equal((await ledger.read()).length, 6);
    assert.equal(reads, 6, 'only the new entry was read');
  });

  it('reads from a date on, opening only the months it needs', async () => {
    const root = storage();
    const ledger = createSpendLedgerStore(root as never, capturing(), ledgerFs());
    await ledger.append(entry('october', Date.UTC(2026, 9, 15)));
    await ledger.append(entry('december', Date.UTC(2026, 11, 15)));
    assert.deepEqual((await readdir(join(root.path, 'spend'))).sort(), ['2026-10', '2026-12']);
    assert.deepEqual((await ledger.read(Date.UTC(2026, 11, 1))).map((found) => found.jobId), ['december']);
  });

  it("a window's first append removes the months before the kept year, never the current or the previous one", async () => {
    const root = storage();
    const now = Date.UTC(2026, 11, 15, 12);
    for (const month of ['2024-03', '2025-11', '2025-12', '2026-11']) {
      await mkdir(join(root.path, 'spend', month), { recursive: true });
      await writeFile(join(root.path, 'spend', month, `1-${month}-actual-00000000.json`), JSON.stringify(entry(month, Date.parse(`${month}-10T00:00:00Z`), 'actual')));
    }
    const log = capturing();
    // Two windows, each pruning on its first append, while both append into the current and previous month.
    const windows = [createSpendLedgerStore(root as never, log, ledgerFs(), () => now), createSpendLedgerStore(root as never, log, ledgerFs(), () => now)];
    await Promise.all(Array.from({ length: 20 }, (_, index) => windows[index % 2]?.append(entry(`new-${index}`, index % 4 === 0 ? Date.UTC(2026, 10, 30) : now + index))));
    assert.deepEqual((await readdir(join(root.path, 'spend'))).sort(), ['2025-12', '2026-11', '2026-12']);
    const read = await createSpendLedgerStore(root as never, log, ledgerFs()).read();
    assert.equal(read.length, 22, 'the 20 new entries and the two kept months');
    assert.deepEqual(log.warnings, []);
  });

  it('reads the entries gpt-image mcp writes (cli/spendLedgerFolder.ts), and the server reads its entries: the same files', async () => {
    const root = storage();
    const host = createSpendLedgerStore(root as never, capturing(), ledgerFs());
    const server = createFolderSpendLedger(join(root.path, 'spend'));
    const now = Date.now();
    const fromWindow = { ...entry('window job', now), kind: 'actual' as const, basis: 'usage' as const, usd: 0.25 };
    const fromServer = entry('mcp-job', now + 1);
    await host.append(fromWindow);
    await server.append(fromServer);
    await server.append({ ...fromServer, at: now + 2, kind: 'actual', usd: undefined, basis: 'unknown' });
    assert.deepEqual(await host.read(now - 1000), await server.read(now - 1000));
    assert.deepEqual((await host.read()).map((found) => `${found.jobId} ${found.kind}`), ['window job actual', 'mcp-job estimate', 'mcp-job actual']);
    // Byte for byte: each file holds exactly the entry's JSON, under a name of the same shape.
    const month = join(root.path, 'spend', utcMonthOf(now));
    const names = (await readdir(month)).sort();
    assert.equal(names.length, 3);
    for (const name of names) assert.match(name, /^\d+-[A-Za-z0-9_-]+-(estimate|actual|refused)-[0-9a-f]{8}\.json$/);
    const texts = await Promise.all(names.map((name) => readFile(join(month, name), 'utf8')));
    assert.ok(texts.includes(JSON.stringify(fromWindow)));
    assert.ok(texts.includes(JSON.stringify(fromServer)));
    assert.ok(names.some((name) => name.startsWith(`${now}-window_job-actual-`)), names.join(', '));
  });
});
