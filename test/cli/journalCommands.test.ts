import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobRecord } from '../../src/core/journal';
import { journalRequest, submittingJob } from '../unit/core/fixtures';
import { assertNoKeyLeak, runCli, sandbox } from './cliHarness';

/** What a CLI process killed while sending a paid request leaves: a task still 'submitting'. */
function abandonedSubmission(id: string, updatedAt: number): JobRecord {
  return submittingJob(id, updatedAt, {
    provider: 'modellix',
    request: journalRequest({ prompt: 'Sent before the crash', quality: undefined }),
    output: { dir: '/tmp/unused', template: '{slug}-{index}' },
    // Nothing listens here: the test fails loudly if anything is sent.
    baseUrl: 'http://127.0.0.1:9/api',
  });
}

describe('gpt-image jobs / resume read the journal through the runner', () => {
  it('a submission whose process died long ago shows as unknown, is recorded so, and is not resent', async () => {
    const box = sandbox();
    const id = '20260101-120000-abcdef';
    const file = join(box.home, 'jobs', `${id}.json`);
    mkdirSync(join(box.home, 'jobs'), { recursive: true });
    // Older than the CLI's cutoff (300 s timeout × 3 attempts + 5 min = 20 min).
    writeFileSync(file, JSON.stringify(abandonedSubmission(id, Date.now() - 60 * 60_000)));

    const listed = await runCli(['jobs'], box);
    assertNoKeyLeak(listed);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${id}\\s+unknown\\s+.*modellix\\s+"Sent before the crash"`));
    assert.match(listed.stdout, /may have accepted \(and charged\)/);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as JobRecord).state, 'unknown');

    const resumed = await runCli(['resume'], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.stdout, '');
    assert.match(resumed.stderr, /nothing to resume/);
  });

  it('resume marks an abandoned submission unknown before looking for work', async () => {
    const box = sandbox();
    const id = '20260101-120000-fedcba';
    const file = join(box.home, 'jobs', `${id}.json`);
    mkdirSync(join(box.home, 'jobs'), { recursive: true });
    writeFileSync(file, JSON.stringify(abandonedSubmission(id, Date.now() - 60 * 60_000)));
    const resumed = await runCli(['resume'], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as JobRecord).state, 'unknown');
  });

  it('a recent submission (within the cutoff) is left as it is: it may belong to a live process', async () => {
    const box = sandbox();
    const id = '20260101-120000-123456';
    const file = join(box.home, 'jobs', `${id}.json`);
    mkdirSync(join(box.home, 'jobs'), { recursive: true });
    writeFileSync(file, JSON.stringify(abandonedSubmission(id, Date.now() - 10 * 60_000)));
    const listed = await runCli(['jobs'], box);
    assert.match(listed.stdout, new RegExp(`${id}\\s+submitting`));
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as JobRecord).state, 'submitting');
  });
});
