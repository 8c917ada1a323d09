import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import { createApixoProvider } from '../../../src/providers/apixo/apixoProvider';
import { interpretApixoStatus } from '../../../src/providers/apixo/apixoTask';
import { downloadResult } from '../../../src/providers/download';
import { apixoPollSchedule } from '../../../src/providers/pollSchedule';
import type { PollOutcome } from '../../../src/core/provider';
import { startFakeApixo } from '../../fake-providers/apixo';
import { assertNoKey, fakeProviderRig, pollLoop, rejection, resolve, testSignal } from './asyncProviderHarness';

const apiKey = 'sk-test-apixo-key';

describe('APIXO task polling', () => {
  const rig = fakeProviderRig({ apiKey, start: (cdn) => startFakeApixo({ cdn, apiKey }), createProvider: createApixoProvider });

  const request = () => resolve({ provider: 'apixo', size: '16:9@2k' });
  async function submit(): Promise<string> {
    const outcome = await rig.provider.submit(request(), testSignal());
    assert.ok(outcome.kind === 'task');
    return outcome.taskId;
  }
  const poll = (taskId: string): Promise<PollOutcome> => {
    assert.ok(rig.provider.poll);
    return rig.provider.poll({ taskId, request: request() }, testSignal());
  };
  const polls = () => rig.fake.requests().filter((entry) => entry.method === 'GET');

  it('polls /statusTask/gpt-image-2?taskId=…, parses resultJson and downloads from the CDN without the key', async () => {
    rig.fake.setKnobs({ redirectResults: true });
    const taskId = await submit();
    assert.deepEqual(await poll(taskId), { state: 'running', providerState: 'pending' });
    assert.deepEqual(await poll(taskId), { state: 'running', providerState: 'processing' });
    const done = await poll(taskId);
    assert.ok(done.state === 'succeeded');
    assert.equal(done.resultUrls.length, 1);
    assert.ok(done.expiresAt !== undefined && done.expiresAt > Date.now() + 23 * 3600_000);
    assert.deepEqual(polls().map((entry) => entry.url), [1, 2, 3].map(() => `/api/v1/statusTask/gpt-image-2?taskId=${taskId}`));
    const bytes = await downloadResult(rig.test.http, done.resultUrls[0] as string, { provider: 'APIXO', signal: testSignal() });
    assert.deepEqual(Buffer.from(bytes).subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    // One redirect hop, then the file, both on the CDN origin, neither with the key.
    assert.equal(rig.cdn.requests().length, 2);
    assert.equal(rig.cdn.sawAuthorization(), false);
    assertNoKey(apiKey, rig.test.log.lines.join('\n'));
  });

  const sentences: Record<string, { kind: string; text: RegExp }> = {
    CONTENT_VIOLATION: { kind: 'contentPolicy', text: /content policy: rephrase the prompt/ },
    INVALID_IMAGE_URL: { kind: 'badRequest', text: /must be public and directly fetchable/ },
    INVALID_PARAMETER: { kind: 'badRequest', text: /rejected a parameter: check the aspect ratio/ },
    INSUFFICIENT_BALANCE: { kind: 'quota', text: /balance is insufficient: top up at apixo\.ai/ },
    UPSTREAM_ERROR: { kind: 'taskFailed', text: /upstream model failed/ },
    TIMEOUT: { kind: 'taskFailed', text: /gave up on the task after its own time limit/ },
    SOMETHING_NEW: { kind: 'taskFailed', text: /reports the task failed: resubmit it/ },
  };
  for (const [failCode, expected] of Object.entries(sentences)) {
    it(`maps failCode ${failCode} (HTTP 200, code 200) to one actionable line`, async () => {
      rig.fake.setKnobs({ outcome: 'failed', completeAfterPolls: 1, failCode, failMsg: `detail for ${failCode}` });
      const taskId = await submit();
      assert.equal((await poll(taskId)).state, 'running');
      const outcome = await poll(taskId);
      assert.ok(outcome.state === 'failed');
      assert.equal(outcome.error.kind, expected.kind);
      assert.equal(outcome.error.code, failCode);
      assert.equal(outcome.error.taskId, taskId);
      assert.equal(outcome.error.retryable, false);
      assert.match(outcome.error.message, expected.text);
      assert.ok(outcome.error.message.endsWith(`(task ${taskId}, ${failCode}: detail for ${failCode})`), outcome.error.message);
      assert.ok(!outcome.error.message.includes('\n'));
      assert.equal(rig.fake.requests().filter((entry) => entry.method === 'POST').length, 1);
    });
  }

  it('rides out a burst of 429s and two 503s in the runner loop', async () => {
    const taskId = await submit();
    rig.fake.fault({ on: 'poll', kind: 'status', status: 429, times: 3, headers: { 'retry-after': '0' } }, { on: 'poll', kind: 'status', status: 503, times: 2 });
    const result = await pollLoop(rig, 'apixo', taskId, request(), 20);
    assert.equal(result.state, 'succeeded');
    assert.equal(polls().length, 5 + 3);
  });

  it('keeps a held task processing until released, then finishes', async () => {
    rig.fake.setKnobs({ hold: true });
    const taskId = await submit();
    for (let index = 0; index < 3; index++) assert.equal((await poll(taskId)).state, 'running');
    assert.equal(rig.fake.release(), 1);
    assert.equal((await poll(taskId)).state, 'succeeded');
  });

  it('finishes by time when asked to (completeAfterMs)', async () => {
    // Generous: the first read happens right after the submit, far less than 1.5 s later.
    rig.fake.setKnobs({ completeAfterMs: 1_500 });
    const taskId = await submit();
    assert.equal((await poll(taskId)).state, 'running');
    const result = await pollLoop(rig, 'apixo', taskId, request(), 100);
    assert.equal(result.state, 'succeeded');
  });

  it('reports a 404 and an error code in a 200 on polls', async () => {
    const missing = await rejection(() => poll('task_unknown'));
    assert.ok(isProviderError(missing));
    assert.equal(missing.kind, 'notFound');
    assert.match(missing.message, /task_unknown/);
    const taskId = await submit();
    rig.fake.fault({ on: 'poll', kind: 'envelope', code: 500, message: 'internal error' });
    const server = await rejection(() => poll(taskId));
    assert.ok(isProviderError(server));
    assert.equal(server.kind, 'server');
    assert.equal(server.retryable, true);
  });

  it('reads resultJson as a string or an object, and refuses one that is unreadable', () => {
    const asString = interpretApixoStatus({ state: 'success', resultJson: '{"resultUrls":["https://cdn.example/a.png","https://cdn.example/b.png"]}' }, 't');
    assert.ok(asString.state === 'succeeded');
    assert.deepEqual(asString.resultUrls, ['https://cdn.example/a.png', 'https://cdn.example/b.png']);
    const asObject = interpretApixoStatus({ state: 'success', resultJson: { resultUrls: ['https://cdn.example/c.png'] } }, 't');
    assert.ok(asObject.state === 'succeeded');
    const broken = interpretApixoStatus({ state: 'success', resultJson: '{"resultUrls":' }, 't');
    assert.ok(broken.state === 'failed');
    assert.equal(broken.error.kind, 'invalidResponse');
  });

  it('waits 30/60/120 s by tier, then every 10 s, for 5 min (6 min at 4k)', () => {
    assert.deepEqual(apixoPollSchedule({ kind: 'aspectTier', aspect: '1:1', tier: '1k' }), { firstPollMs: 30_000, intervalMs: 10_000, deadlineMs: 300_000 });
    assert.deepEqual(apixoPollSchedule({ kind: 'aspectTier', aspect: '16:9', tier: '2k' }), { firstPollMs: 60_000, intervalMs: 10_000, deadlineMs: 300_000 });
    assert.deepEqual(apixoPollSchedule({ kind: 'aspectTier', aspect: '9:16', tier: '4k' }), { firstPollMs: 120_000, intervalMs: 10_000, deadlineMs: 360_000 });
    assert.deepEqual(rig.provider.pollSchedule?.(resolve({ provider: 'apixo', size: '3840x2160' })), apixoPollSchedule({ kind: 'aspectTier', aspect: '16:9', tier: '4k' }));
  });
});
