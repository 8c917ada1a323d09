import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileJournalStore } from '../../../src/cli/fileJournalStore';
import { createJobRunner } from '../../../src/core/jobRunner';
import type { JobRecord } from '../../../src/core/journal';
import { silentLog } from './jobRunnerHarness';
import { journalRequest } from './fixtures';

function submittingJob(id: string, updatedAt: number): JobRecord {
  return {
    version: 1,
    id,
    createdAt: updatedAt,
    updatedAt,
    state: 'submitting',
    provider: 'openai',
    model: 'gpt-image-2',
    request: journalRequest(),
    output: { dir: '/tmp/unused', template: '{date}-{slug}-{index}' },
    tasks: [{ state: 'submitting', n: 1, files: [] }],
    uploads: [],
    warnings: [],
  };
}

describe('a process that died while sending a paid request', () => {
  it('leaves a job that later reads as unknown, and nothing is sent again', async () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const journal = createFileJournalStore(mkdtempSync(join(tmpdir(), 'gpt-image-stale-')));
    await journal.put(submittingJob('old', now - 20 * 60_000));
    await journal.put(submittingJob('recent', now - 60_000));
    const providersBuilt: string[] = [];
    const runner = createJobRunner({
      provider: (id) => {
        providersBuilt.push(id);
        throw new Error('no provider may be used while listing');
      },
      journal,
      writer: createFileImageWriter(),
      log: silentLog,
      now: () => now,
      download: async () => {
        throw new Error('nothing may be downloaded while listing');
      },
    });

    const jobs = await runner.list();
    const state = (id: string): string | undefined => jobs.find((job) => job.id === id)?.state;
    assert.equal(state('old'), 'unknown');
    assert.match(jobs.find((job) => job.id === 'old')?.error?.message ?? '', /may have accepted \(and charged\)/);
    // A submission still within any request timeout may belong to another live window or process.
    assert.equal(state('recent'), 'submitting');
    assert.equal((await journal.get('old'))?.state, 'unknown', 'the new state is recorded in the journal');
    assert.deepEqual(await runner.resumeAll(new AbortController().signal), []);
    assert.deepEqual(providersBuilt, []);
  });
});
