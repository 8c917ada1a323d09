import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileRescueStore } from '../../../src/cli/rescueStore';
import { createFileJournalStore } from '../../../src/cli/fileJournalStore';
import { mapBounded } from '../../../src/core/concurrency';
import { createJobRunner } from '../../../src/core/jobRunner';
import { dayMs } from '../../../src/core/journal';
import type { JobRecord, JobState, JournalStore } from '../../../src/core/journal';
import { parseJobRecord } from '../../../src/core/journalSchema';
import type { Logger } from '../../../src/core/logger';
import { submittingJob } from './fixtures';

const now = Date.UTC(2026, 3, 1, 12);

function job(id: string, state: JobState, ageDays: number, overrides: Partial<JobRecord> = {}): JobRecord {
  const updatedAt = now - ageDays * dayMs;
  return submittingJob(id, updatedAt, { state, tasks: [{ state, n: 1, files: state === 'saved' ? [`/tmp/${id}.png`] : [] }], ...overrides });
}

function journalHome(): { home: string; jobs: string } {
  const home = mkdtempSync(join(tmpdir(), 'gpt-image-journal-'));
  const jobs = join(home, 'jobs');
  mkdirSync(jobs, { recursive: true });
  return { home, jobs };
}

function writeRecord(jobs: string, name: string, value: unknown): void {
  writeFileSync(join(jobs, name), typeof value === 'string' ? value : JSON.stringify(value));
}

/** A runner that only reads the journal (no provider is ever built: nothing is resumed here). */
function reader(journal: JournalStore, options: { retentionMs?: number; log?: Logger } = {}): ReturnType<typeof createJobRunner> {
  const log = options.log ?? { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return createJobRunner(
    {
      provider: () => {
        throw new Error('no provider in this test');
      },
      journal,
      writer: createFileImageWriter(),
      rescue: createFileRescueStore(mkdtempSync(join(tmpdir(), 'gpt-image-rescue-'))),
      log,
      now: () => now,
      download: () => Promise.reject(new Error('no downloads')),
    },
    options.retentionMs === undefined ? {} : { journalRetentionMs: options.retentionMs },
  );
}

describe('a malformed journal record is skipped with a warning that names it, never blocking the others', () => {
  const malformed: Record<string, unknown> = {
    'null-task.json': { ...job('null-task', 'polling', 0), tasks: [null] },
    'no-request.json': (({ request: _request, ...rest }) => rest)(job('no-request', 'polling', 0)),
    'version-2.json': { ...job('version-2', 'polling', 0), version: 2 },
    'broken.json': '{"version":1,"id":',
    'no-prompt.json': { ...job('no-prompt', 'polling', 0), request: { ...job('x', 'polling', 0).request, prompt: undefined } },
    'strange-state.json': job('strange-state', 'exploded' as JobState, 0),
    'elsewhere.json': job('not-elsewhere', 'polling', 0),
    'array.json': [],
  };

  it('by the node:fs store (list and get), whatever is wrong with it', async () => {
    const { home, jobs } = journalHome();
    for (const [name, value] of Object.entries(malformed)) writeRecord(jobs, name, value);
    mkdirSync(join(jobs, 'x.json'));
    writeRecord(jobs, 'good.json', job('good', 'polling', 0));
    const warnings: string[] = [];
    const journal = createFileJournalStore(home, (file, error) => warnings.push(`${file}: ${error instanceof Error ? error.message : String(error)}`));

    assert.deepEqual((await journal.list()).map((record) => record.id), ['good']);
    for (const name of [...Object.keys(malformed), 'x.json']) {
      assert.ok(warnings.some((warning) => warning.startsWith(join(jobs, name))), `a warning names ${name}: ${warnings.join(' | ')}`);
    }
    assert.ok(warnings.some((warning) => /null-task\.json: not a valid job record \(tasks\.0: /.test(warning)), warnings.join(' | '));
    assert.ok(warnings.some((warning) => /version-2\.json: journal version 2/.test(warning)));
    assert.ok(warnings.some((warning) => /broken\.json: not valid JSON/.test(warning)));
    assert.ok(warnings.some((warning) => /x\.json: a folder/.test(warning)));
    assert.equal(await journal.get('null-task'), undefined);
    // Skipped, not deleted: the user decides what to do with them.
    assert.ok(existsSync(join(jobs, 'version-2.json')));
  });

  it('so the runner lists and resumes around it without crashing', async () => {
    const { home, jobs } = journalHome();
    for (const [name, value] of Object.entries(malformed)) writeRecord(jobs, name, value);
    writeRecord(jobs, 'good.json', job('good', 'saved', 0));
    const runner = reader(createFileJournalStore(home, () => undefined));
    assert.deepEqual((await runner.list()).map((record) => record.id), ['good']);
    assert.deepEqual(await runner.resumeAll(new AbortController().signal), []);
  });

  it('the schema passes fields it does not name through untouched (they are written back)', () => {
    const record = { ...job('extra', 'saved', 0), futureField: { kept: true } };
    const parsed = parseJobRecord(record);
    assert.ok(parsed.ok);
    assert.deepEqual((parsed.record as unknown as { futureField: unknown }).futureField, { kept: true });
  });
});

describe('pruning: finished jobs older than the retention leave the journal', () => {
  it('removes old saved, failed and cancelled jobs (with their leases); keeps unknown, unfinished and recent ones', async () => {
    const { home, jobs } = journalHome();
    const records = [
      job('old-saved', 'saved', 31),
      job('old-failed', 'failed', 45),
      job('old-cancelled', 'cancelled', 400),
      job('old-unknown', 'unknown', 400),
      job('old-polling', 'polling', 60),
      job('old-submitting', 'submitting', 60),
      job('recent-saved', 'saved', 29),
      // A finished-looking job with a task still unknown: money may be spent, it stays.
      job('mixed', 'saved', 90, { tasks: [{ state: 'saved', n: 1, files: [] }, { state: 'unknown', n: 1, files: [] }] }),
    ];
    for (const record of records) writeRecord(jobs, `${record.id}.json`, record);
    writeFileSync(join(jobs, 'old-saved.lease.0'), JSON.stringify({ owner: 'cli:x:1', heartbeatAt: 0, released: true, nonce: 'n' }));
    const infos: string[] = [];
    const log: Logger = { trace: () => undefined, debug: () => undefined, info: (message) => infos.push(message), warn: () => undefined, error: () => undefined };
    const listed = await reader(createFileJournalStore(home), { log }).list();
    assert.deepEqual(listed.map((record) => record.id).sort(), ['mixed', 'old-polling', 'old-submitting', 'old-unknown', 'recent-saved']);
    assert.deepEqual(readdirSync(jobs).sort(), ['mixed.json', 'old-polling.json', 'old-submitting.json', 'old-unknown.json', 'recent-saved.json']);
    assert.ok(infos.includes('Removed 3 finished jobs older than 30 days from the journal.'), infos.join(' | '));
  });

  it('honours a shorter retention', async () => {
    const { home, jobs } = journalHome();
    writeRecord(jobs, 'two-days.json', job('two-days', 'saved', 2));
    writeRecord(jobs, 'half-day.json', job('half-day', 'saved', 0.5));
    const listed = await reader(createFileJournalStore(home), { retentionMs: dayMs }).list();
    assert.deepEqual(listed.map((record) => record.id), ['half-day']);
    assert.deepEqual(readdirSync(jobs), ['half-day.json']);
  });
});

describe('bounded concurrency', () => {
  it('never has more than the limit in flight, and keeps the input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapBounded(Array.from({ length: 200 }, (_, index) => index), 32, async (value) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, value % 3));
      inFlight--;
      return value * 2;
    });
    assert.equal(most, 32);
    assert.deepEqual(results, Array.from({ length: 200 }, (_, index) => index * 2));
    assert.deepEqual(await mapBounded([], 32, async () => 1), []);
  });
});
