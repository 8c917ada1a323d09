import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { JobRecord } from '../../src/core/journal';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { journalRequest, submittingJob } from '../unit/core/fixtures';
import { cliPath, imagesIn, lines, runCli, sandbox, startCli } from './cliHarness';
import type { CliResult, Sandbox } from './cliHarness';

/** A task accepted by the Modellix fake, as `gpt-image generate` would have submitted it. */
async function submitTask(modellix: FakeModellix, prompt: string): Promise<string> {
  const response = await fetch(`${modellix.baseUrl}/openai/gpt-image-2/async`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test-modellix-key', 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, size: '1024x1024', quality: 'medium' }),
  });
  const body = (await response.json()) as { data: { task_id: string } };
  return body.data.task_id;
}

/** The record a `gpt-image generate` interrupted while polling leaves: written directly, for speed. */
function pollingRecord(id: string, taskId: string, box: Sandbox, modellix: FakeModellix, prompt: string): JobRecord {
  const now = Date.now();
  return submittingJob(id, now, {
    state: 'polling',
    provider: 'modellix',
    model: 'gpt-image-2',
    request: journalRequest({ prompt, quality: 'medium' }),
    output: { dir: join(box.cwd, 'images'), template: '{slug}-{index}' },
    tasks: [{ state: 'polling', n: 1, taskId, submittedAt: now, files: [] }],
    baseUrl: modellix.baseUrl,
  });
}

function writeRecord(box: Sandbox, record: JobRecord): void {
  mkdirSync(join(box.home, 'jobs'), { recursive: true });
  writeFileSync(join(box.home, 'jobs', `${record.id}.json`), JSON.stringify(record));
}

/** The built CLI under a shell `ulimit -n`, as a user with a low descriptor limit runs it. */
function runLimited(args: readonly string[], box: Sandbox, openFiles: number): Promise<CliResult> {
  const quoted = [process.execPath, cliPath, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('bash', ['-c', `ulimit -n ${openFiles} && exec ${quoted}`], { cwd: box.cwd, env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('the journal at scale and with several owners (built CLI against the Modellix fake)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  const poll = ['--poll-interval', '0.05'];
  const downloadsOf = (url: string | undefined): number => cdn.requests().filter((request) => request.method === 'GET' && url !== undefined && url.endsWith(request.url)).length;

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
  });
  after(async () => {
    await modellix.close();
    await cdn.close();
  });
  beforeEach(() => {
    modellix.reset();
    cdn.reset();
  });

  it('with 10,000 records under `ulimit -n 256`, `jobs` lists them and `resume` finishes the one polling job', { timeout: 60_000 }, async () => {
    const box = sandbox();
    const jobsDir = join(box.home, 'jobs');
    mkdirSync(jobsDir, { recursive: true });
    // Finished recently (kept by pruning), written straight to disk: what months of use leave.
    const template = JSON.stringify(submittingJob('ID', Date.now() - 3_600_000, { state: 'saved', tasks: [{ state: 'saved', n: 1, files: ['/tmp/old.png'] }] }));
    for (let index = 0; index < 10_000; index++) {
      const id = `20260101-000000-${index.toString(16).padStart(6, '0')}`;
      writeFileSync(join(jobsDir, `${id}.json`), template.replace('"ID"', `"${id}"`));
    }
    const taskId = await submitTask(modellix, 'The one still polling');
    const pollingId = '20260301-120000-abcdef';
    writeRecord(box, pollingRecord(pollingId, taskId, box, modellix, 'The one still polling'));

    const listed = await runLimited(['jobs'], box, 256);
    assert.equal(listed.code, 0, listed.stderr.slice(0, 2_000));
    assert.doesNotMatch(listed.stderr, /ignoring journal entry|EMFILE/, listed.stderr.slice(0, 2_000));
    assert.match(listed.stdout, new RegExp(`${pollingId}\\s+polling`));
    assert.equal(lines(listed.stdout).filter((line) => /^\d{8}-\d{6}-[0-9a-f]{6}\s/.test(line)).length, 10_001);

    const resumed = await runLimited(['resume', ...poll], box, 256);
    assert.equal(resumed.code, 0, resumed.stderr.slice(0, 2_000));
    assert.doesNotMatch(resumed.stderr, /ignoring journal entry|EMFILE/);
    const [file] = lines(resumed.stdout);
    assert.ok(file?.startsWith(join(box.cwd, 'images')), resumed.stdout);
    const url = modellix.tasks.get(taskId)?.resultUrls?.[0];
    assert.deepEqual(readFileSync(file as string), Buffer.from(await (await fetch(url ?? '')).arrayBuffer()));
    assert.equal((JSON.parse(readFileSync(join(jobsDir, `${pollingId}.json`), 'utf8')) as JobRecord).state, 'saved');
  });

  it('two `gpt-image resume` started in the same instant never both finish one job', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 10; round++) {
      const box = sandbox();
      modellix.setKnobs({ completeAfterPolls: 1 });
      const taskId = await submitTask(modellix, `Round ${round}`);
      const id = `20260301-120000-${round.toString(16).padStart(6, '0')}`;
      writeRecord(box, pollingRecord(id, taskId, box, modellix, `Round ${round}`));
      const [first, second] = [startCli(['resume', ...poll], box), startCli(['resume', ...poll], box)];
      const results = await Promise.all([first.done, second.done]);
      for (const result of results) assert.equal(result.code, 0, `round ${round}: ${result.stderr}`);
      const url = modellix.tasks.get(taskId)?.resultUrls?.[0];
      assert.equal(downloadsOf(url), 1, `round ${round}: the result was downloaded once (${results.map((result) => result.stderr).join(' | ')})`);
      assert.equal(imagesIn(join(box.cwd, 'images')).length, 1, `round ${round}: the image exists once`);
      assert.equal((JSON.parse(readFileSync(join(box.home, 'jobs', `${id}.json`), 'utf8')) as JobRecord).state, 'saved');
    }
  });

  it('GPT_IMAGE_JOURNAL_RETENTION_DAYS shortens how long finished jobs are kept; a bad value keeps the default', async () => {
    const box = sandbox();
    const day = 24 * 60 * 60 * 1000;
    const finished = (id: string, ageDays: number): JobRecord =>
      submittingJob(id, Date.now() - ageDays * day, { state: 'failed', tasks: [{ state: 'failed', n: 1, files: [], error: { kind: 'server', message: 'x' } }] });
    for (const [id, age] of [['20260101-000000-000001', 3], ['20260101-000000-000002', 10], ['20260101-000000-000003', 40]] as const) writeRecord(box, finished(id, age));
    const typo = await runCli(['jobs'], box, { GPT_IMAGE_JOURNAL_RETENTION_DAYS: 'a week' });
    assert.equal(typo.code, 0, typo.stderr);
    assert.match(typo.stderr, /GPT_IMAGE_JOURNAL_RETENTION_DAYS must be a positive number of days, not "a week"; keeping finished jobs 30 days/);
    assert.deepEqual(readdirSync(join(box.home, 'jobs')).sort(), ['20260101-000000-000001.json', '20260101-000000-000002.json']);
    const week = await runCli(['jobs'], box, { GPT_IMAGE_JOURNAL_RETENTION_DAYS: '7' });
    assert.equal(week.code, 0, week.stderr);
    assert.deepEqual(readdirSync(join(box.home, 'jobs')), ['20260101-000000-000001.json']);
  });

  it('`gpt-image jobs` and `resume` name a malformed record on stderr and carry on', async () => {
    const box = sandbox();
    const jobsDir = join(box.home, 'jobs');
    const good = submittingJob('20260101-000000-00000a', Date.now(), { state: 'failed', tasks: [{ state: 'failed', n: 1, files: [] }] });
    writeRecord(box, good);
    writeFileSync(join(jobsDir, 'broken.json'), JSON.stringify({ ...good, id: 'broken', tasks: [null] }));
    mkdirSync(join(jobsDir, 'x.json'));
    const listed = await runCli(['jobs'], box);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /20260101-000000-00000a\s+failed/);
    assert.match(listed.stderr, new RegExp(`ignoring journal entry ${join(jobsDir, 'broken.json')}: not a valid job record \\(tasks\\.0`));
    assert.match(listed.stderr, new RegExp(`ignoring journal entry ${join(jobsDir, 'x.json')}: a folder`));
    const resumed = await runCli(['resume'], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /nothing to resume/);
  });
});
