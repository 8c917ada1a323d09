import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import { downloadResult } from '../../../src/providers/download';
import { createModellixProvider } from '../../../src/providers/modellix/modellixProvider';
import { interpretModellixTask } from '../../../src/providers/modellix/modellixTask';
import { modellixPollSchedule } from '../../../src/providers/pollSchedule';
import type { PollOutcome } from '../../../src/core/provider';
import { startFakeModellix } from '../../fake-providers/modellix';
import { assertNoKey, fakeProviderRig, pollLoop, rejection, resolve, testSignal } from './asyncProviderHarness';

const apiKey = 'sk-test-modellix-key';

describe('Modellix task polling', () => {
  const rig = fakeProviderRig({ apiKey, start: (cdn) => startFakeModellix({ cdn, apiKey }), createProvider: createModellixProvider });

  const request = () => resolve({ provider: 'modellix', size: '1024x1536' });
  async function submit(): Promise<string> {
    const outcome = await rig.provider.submit(request(), testSignal());
    assert.equal(outcome.kind, 'task');
    return outcome.kind === 'task' ? outcome.taskId : '';
  }
  const poll = (taskId: string): Promise<PollOutcome> => {
    assert.ok(rig.provider.poll);
    return rig.provider.poll({ taskId, request: request() }, testSignal());
  };
  const polls = () => rig.fake.requests().filter((entry) => entry.method === 'GET');

  it('goes pending → processing → success and downloads the result from the CDN without the key', async () => {
    const taskId = await submit();
    assert.deepEqual(await poll(taskId), { state: 'running', providerState: 'pending' });
    assert.deepEqual(await poll(taskId), { state: 'running', providerState: 'processing' });
    const done = await poll(taskId);
    assert.equal(done.state, 'succeeded');
    assert.ok(done.state === 'succeeded');
    assert.equal(done.resultUrls.length, 1);
    const url = done.resultUrls[0] as string;
    assert.ok(url.startsWith(rig.cdn.origin), 'results are served by the CDN origin, not the API');
    assert.deepEqual(polls().map((entry) => entry.url), [1, 2, 3].map(() => `/api/v1/tasks/${taskId}`));
    assert.ok(polls().every((entry) => entry.headers.authorization === `Bearer ${apiKey}`));
    const bytes = await downloadResult(rig.test.http, url, { provider: 'Modellix', signal: testSignal() });
    assert.deepEqual(Buffer.from(bytes).subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    assert.equal(rig.cdn.sawAuthorization(), false);
    assertNoKey(apiKey, rig.test.log.lines.join('\n'));
  });

  it('survives two 503s on a poll through the runner loop, then saves the image', async () => {
    const taskId = await submit();
    rig.fake.fault({ on: 'poll', kind: 'status', status: 503, times: 2 });
    const result = await pollLoop(rig, 'modellix', taskId, request(), 20);
    assert.equal(result.state, 'succeeded');
    assert.ok(result.state === 'succeeded');
    const bytes = await downloadResult(rig.test.http, result.resultUrls[0] as string, { provider: 'Modellix', signal: testSignal() });
    assert.ok(bytes.byteLength > 0);
    // 2 failed reads + pending + processing + success.
    assert.equal(polls().length, 5);
    assert.equal(rig.fake.requests().filter((entry) => entry.method === 'POST').length, 1);
  });

  it('throws poll errors as retryable for 429/5xx and a 200 with an error code', async () => {
    const taskId = await submit();
    rig.fake.fault(
      { on: 'poll', kind: 'status', status: 429, headers: { 'retry-after': '2' } },
      { on: 'poll', kind: 'envelope', code: 500, message: 'Internal Server Error: database' },
    );
    const limited = await rejection(() => poll(taskId));
    assert.ok(isProviderError(limited));
    assert.equal(limited.kind, 'rateLimit');
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfterMs, 2000);
    const server = await rejection(() => poll(taskId));
    assert.ok(isProviderError(server));
    assert.equal(server.kind, 'server');
    assert.equal(server.retryable, true);
    assert.match(server.message, /database/);
  });

  it('reports an unknown task (404) as not retryable, with the task id', async () => {
    const error = await rejection(() => poll('task-does-not-exist'));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'notFound');
    assert.equal(error.retryable, false);
    assert.match(error.message, /task-does-not-exist/);
  });

  it('turns a failed task into one line with its reason and task id', async () => {
    rig.fake.setKnobs({ outcome: 'failed', completeAfterPolls: 0, failure: { error: { message: 'Model overloaded, please retry' } } });
    const taskId = await submit();
    const outcome = await poll(taskId);
    assert.equal(outcome.state, 'failed');
    assert.ok(outcome.state === 'failed');
    assert.equal(outcome.error.kind, 'taskFailed');
    assert.equal(outcome.error.message, `Modellix task ${taskId} failed: Model overloaded, please retry.`);
    assert.equal(outcome.error.taskId, taskId);
  });

  it('reads cancelled tasks and content-policy reasons from other fields (U-M6)', async () => {
    rig.fake.setKnobs({ outcome: 'failed', completeAfterPolls: 0, failedStatus: 'cancelled', failure: { fail_reason: 'Rejected by the safety system' } });
    const taskId = await submit();
    const outcome = await poll(taskId);
    assert.ok(outcome.state === 'failed');
    assert.equal(outcome.error.kind, 'contentPolicy');
    assert.equal(outcome.error.message, `Modellix task ${taskId} was cancelled: Rejected by the safety system.`);
  });

  it('accepts succeeded/completed/done, flat and string resources, and the expiry (U-M8)', async () => {
    rig.fake.setKnobs({ completeAfterPolls: 0, successStatus: 'succeeded', resourceShape: 'flat', resultExpiresAt: 1_900_000_000 });
    const flat = await poll(await submit());
    assert.ok(flat.state === 'succeeded');
    assert.equal(flat.expiresAt, 1_900_000_000_000);
    rig.fake.setKnobs({ successStatus: 'COMPLETED', resourceShape: 'strings', resultExpiresAt: '2030-01-01T00:00:00Z' });
    const strings = await poll(await submit());
    assert.ok(strings.state === 'succeeded');
    assert.ok(strings.resultUrls[0]?.startsWith(rig.cdn.origin));
    assert.equal(strings.expiresAt, Date.parse('2030-01-01T00:00:00Z'));
  });

  it('interprets every documented status word', () => {
    for (const status of ['pending', 'queued', 'created', 'processing', 'running', 'in_progress']) {
      assert.equal(interpretModellixTask({ status }, 't', undefined).state, 'running', status);
    }
    for (const status of ['success', 'succeeded', 'completed', 'done']) {
      const outcome = interpretModellixTask({ status, result: { resources: [{ url: 'https://cdn.example/a.png', type: 'image' }] } }, 't', undefined);
      assert.equal(outcome.state, 'succeeded', status);
    }
    for (const status of ['failed', 'error', 'canceled', 'cancelled']) {
      const outcome = interpretModellixTask({ status, error_message: 'no' }, 't', undefined);
      assert.equal(outcome.state, 'failed', status);
    }
    const empty = interpretModellixTask({ status: 'success', result: { resources: [] } }, 't', undefined);
    assert.ok(empty.state === 'failed');
    assert.equal(empty.error.kind, 'invalidResponse');
    const unnamed = interpretModellixTask({ status: 'failed' }, 't9', 'success');
    assert.ok(unnamed.state === 'failed');
    assert.equal(unnamed.error.message, 'Modellix task t9 failed: Modellix gave no reason.');
  });

  it('keeps a held task processing until it is released over HTTP', async () => {
    rig.fake.setKnobs({ hold: true });
    const taskId = await submit();
    for (let index = 0; index < 4; index++) assert.equal((await poll(taskId)).state, 'running');
    const released = await fetch(`${rig.fake.origin}/__release`, { method: 'POST', body: JSON.stringify({ taskId }) });
    assert.deepEqual(await released.json(), { ok: true, released: 1 });
    assert.equal((await poll(taskId)).state, 'succeeded');
  });

  it('polls every 3 s after 5 s, less often for big images, for up to 15 min', () => {
    assert.deepEqual(modellixPollSchedule({ kind: 'wxh', value: '1024x1024' }), { firstPollMs: 5000, intervalMs: 3000, deadlineMs: 900_000 });
    assert.deepEqual(modellixPollSchedule({ kind: 'wxh', value: '2048x1152' }), { firstPollMs: 8000, intervalMs: 4000, deadlineMs: 900_000 });
    assert.deepEqual(modellixPollSchedule({ kind: 'wxh', value: '2160x3840' }), { firstPollMs: 10_000, intervalMs: 5000, deadlineMs: 900_000 });
    assert.deepEqual(rig.provider.pollSchedule?.(resolve({ provider: 'modellix', size: '3840x2160' })), modellixPollSchedule({ kind: 'wxh', value: '3840x2160' }));
  });
});
