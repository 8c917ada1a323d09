import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileJournalStore } from '../../../src/cli/fileJournalStore';
import { createFileRescueStore } from '../../../src/cli/rescueStore';
import { createJobRunner, staleSubmitMsFor } from '../../../src/core/jobRunner';
import type { JobRecord } from '../../../src/core/journal';
import { startFakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import { runnerRig, silentLog } from './jobRunnerHarness';
import { submittingJob } from './fixtures';

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
      rescue: createFileRescueStore(mkdtempSync(join(tmpdir(), 'gpt-image-stale-rescue-'))),
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

  it('derives the cutoff from the request timeout: timeout × 3 attempts + 5 min', () => {
    assert.equal(staleSubmitMsFor(300_000), 20 * 60_000);
    assert.equal(staleSubmitMsFor(3_600_000), 3 * 3_600_000 + 5 * 60_000);
  });

  it('never marks a job this runner is still sending, however old its last write', async () => {
    const cdn = await startFakeCdn();
    const modellix = await startFakeModellix({ cdn });
    // Cutoff 0: every 'submitting' job in the journal is stale, except the one under way here.
    const rig = runnerRig({ modellix: modellix.baseUrl }, undefined, { staleSubmitMs: 0 });
    try {
      modellix.fault({ on: 'submit', kind: 'resetBefore', delayMs: 300 });
      let listed: Promise<JobRecord[]> | undefined;
      await assert.rejects(
        rig.runner.run({
          request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Slow submit', size: '1024x1024' },
          output: { dir: rig.outDir, template: '{slug}-{index}' },
          signal: new AbortController().signal,
          onProgress: (progress) => {
            if (progress.phase === 'submitting') listed = rig.runner.list();
          },
        }),
      );
      const seen = await listed;
      assert.equal(seen?.length, 1);
      assert.equal(seen?.[0]?.state, 'submitting');
      assert.equal(seen?.[0]?.error, undefined);
    } finally {
      await rig.http.close();
      await modellix.close();
      await cdn.close();
    }
  });
});
