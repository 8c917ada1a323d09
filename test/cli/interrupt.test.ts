import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { JobRecord } from '../../src/core/journal';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox, startCli, waitFor } from './cliHarness';
import type { Sandbox } from './cliHarness';

/** The CLI run with its stderr readable while it runs (to send Ctrl-C at the right moment). */
function watchedCli(args: readonly string[], box: Sandbox): ReturnType<typeof startCli> & { stderr: () => string } {
  const run = startCli(args, box);
  let stderr = '';
  run.child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  return { ...run, stderr: () => stderr };
}

function journal(box: Sandbox): JobRecord[] {
  const dir = join(box.home, 'jobs');
  return readdirSync(dir).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as JobRecord);
}

const sentLine = /Request 1 of 1 sent to OpenAI; waiting for its answer/;
const waitingLine = /was already sent, so it may already be paid: still waiting for the answer/;


describe('Ctrl-C on a synchronous paid request (issue 10, item 14)', () => {
  let openai: FakeOpenAi;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(async () => {
    await openai.close();
  });
  beforeEach(() => {
    openai.reset();
  });

  it('the first Ctrl-C after the request was sent says it may be paid and keeps waiting; the image is saved (exit 0)', async () => {
    const box = sandbox();
    openai.configure({ latencyMs: 2_500 });
    const run = watchedCli(['generate', '--provider', 'openai', '--prompt', 'Worth the wait', '--base-url', openai.baseUrl], box);
    await waitFor(() => sentLine.test(run.stderr()));
    run.child.kill('SIGINT');
    await waitFor(() => waitingLine.test(run.stderr()));
    const result = await run.done;
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    const files = lines(result.stdout);
    assert.equal(files.length, 1);
    assert.deepEqual(readFileSync(files[0] as string), openai.served[0]?.bytes, 'the paid image is on disk');
    assert.equal(openai.apiRequests().length, 1, 'sent once');
    assert.equal(journal(box)[0]?.state, 'saved');
  });

  it('a second Ctrl-C stops: exit 3, naming the job, kept as unknown and never resent', async () => {
    const box = sandbox();
    openai.configure({ latencyMs: 10_000 });
    const run = watchedCli(['generate', '--provider', 'openai', '--prompt', 'Too slow', '--base-url', openai.baseUrl], box);
    await waitFor(() => sentLine.test(run.stderr()));
    run.child.kill('SIGINT');
    await waitFor(() => waitingLine.test(run.stderr()));
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 3, result.stderr);
    const [job] = journal(box);
    assert.ok(job);
    assert.equal(job.state, 'unknown');
    assert.ok(result.stderr.includes(`Job ${job.id} is marked unknown`), result.stderr);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(imagesIn(join(box.cwd, 'images')), []);
    assert.equal(openai.apiRequests().length, 1);
  });

  it('while nothing is in flight (waiting to retry a refused request), the first Ctrl-C cancels as before: exit 130, nothing charged', async () => {
    const box = sandbox();
    // A 429 proves nothing was made; the retry waits 30 s, and Ctrl-C comes during that wait.
    openai.enqueue({ status: 429, retryAfter: 30 });
    const run = watchedCli(['generate', '--provider', 'openai', '--prompt', 'Not now', '--base-url', openai.baseUrl], box);
    await waitFor(() => /was not taken by OpenAI \(nothing charged\); trying again in 30 s/.test(run.stderr()));
    assert.match(run.stderr(), sentLine, 'the refused attempt had been sent');
    const interrupted = Date.now();
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.ok(Date.now() - interrupted < 10_000, 'cancelled at once, not after the wait');
    assert.doesNotMatch(result.stderr, waitingLine);
    const [job] = journal(box);
    assert.equal(job?.state, 'cancelled');
    assert.match(job?.tasks[0]?.error?.message ?? '', /nothing was charged/);
    assert.equal(openai.apiRequests().length, 1, 'not sent again');
  });
});

describe('Ctrl-C while an async submit is in flight', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
  });
  after(async () => {
    await modellix.close();
    await cdn.close();
  });

  it('waits for the task id, records it, then stops waiting: exit 130, the task resumable, submitted once', async () => {
    const box = sandbox();
    modellix.setKnobs({ hold: true });
    modellix.fault({ on: 'submit', kind: 'delay', delayMs: 2_000 });
    const poll = ['--poll-interval', '0.05'];
    const run = watchedCli(['generate', '--provider', 'modellix', '--prompt', 'Keep the task', '--base-url', modellix.baseUrl, ...poll], box);
    await waitFor(() => /Request 1 of 1 sent to Modellix/.test(run.stderr()));
    run.child.kill('SIGINT');
    await waitFor(() => waitingLine.test(run.stderr()));
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /Stopped waiting\. Job \S+ stays in the journal; run "gpt-image resume"/);
    const [job] = journal(box);
    assert.equal(job?.state, 'polling');
    assert.equal(job?.tasks[0]?.taskId, modellix.tasks.all()[0]?.id);
    modellix.release();
    const resumed = await runCli(['resume', ...poll], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(lines(resumed.stdout).length, 1);
    assert.equal(modellix.requests().filter((request) => request.method === 'POST').length, 1);
  });
});
