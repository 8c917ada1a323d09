import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { CancelOutcome } from '../../../src/core/jobHandle';
import { JobOwner } from '../../../src/core/jobOwner';
import type { GenerationRequest } from '../../../src/core/request';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { runnerRig, silentLog } from './jobRunnerHarness';
import type { RunnerRig } from './jobRunnerHarness';

const request: GenerationRequest = { provider: 'openai', model: 'gpt-image-2', prompt: 'A paper kite', size: '1024x1024', n: 1, partialImages: 2 };

describe('partial images through the runner and the job handle (real runner, fake OpenAI, node:fs journal)', () => {
  let openai: FakeOpenAi;
  let rig: RunnerRig;
  let owner: JobOwner;
  const output = (): { dir: string; template: string } => ({ dir: rig.outDir, template: '{slug}-{index}' });

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  beforeEach(() => {
    openai.reset();
    rig = runnerRig({ openai: openai.baseUrl });
    owner = new JobOwner(rig.runner, silentLog);
  });
  afterEach(async () => {
    await owner.dispose();
    await rig.http.close();
  });
  after(async () => {
    await openai.close();
  });

  it('re-emits each partial on the handle while the job counts as paid out (Cancel asks), saves only the completed image and drops the preview', async () => {
    const handle = owner.run({ request, output: output() });
    // Recorded, then checked: an assertion thrown inside the listener would be swallowed (a view must not break the stream).
    const seen: { index: number; bytes: Buffer; paidOut: boolean; cancel: CancelOutcome; keptInLatest: boolean; latestSent: boolean }[] = [];
    handle.onPartialImage((partial) => {
      const cancel = handle.cancel();
      handle.keep();
      seen.push({
        index: partial.index,
        bytes: Buffer.from(partial.bytes()),
        paidOut: handle.paidOut,
        cancel,
        // The handle passes a partial on and does not keep it (its base64 would stay alive).
        keptInLatest: handle.latest?.partialImage !== undefined,
        latestSent: handle.latest?.requestSent === true,
      });
    });
    const result = await handle.done;
    assert.deepEqual(
      seen.map((entry) => [entry.index, entry.paidOut, entry.cancel, entry.keptInLatest, entry.latestSent]),
      [
        [0, true, 'decide', false, true],
        [1, true, 'decide', false, true],
      ],
    );
    assert.deepEqual(
      seen.map((entry) => entry.bytes),
      openai.partialsServed,
    );
    assert.equal(result.files.length, 1);
    assert.deepEqual(readFileSync(result.files[0] as string), openai.served[0]?.bytes);
    assert.deepEqual(readdirSync(rig.outDir).filter((name) => name.endsWith('.png')).length, 1);
    assert.equal(result.job.tasks[0]?.preview, undefined);
    const rescued = join(rig.home, 'rescued');
    assert.deepEqual(existsSync(rescued) ? readdirSync(rescued) : [], []);
  });

  it('a stream cut after a partial: one POST, the job unknown, its last partial kept as a labelled preview (never a result)', async () => {
    openai.enqueue({ streamCutAfterPartial: true }, { streamCutAfterPartial: true }, { streamCutAfterPartial: true });
    const handle = owner.run({ request, output: output() });
    const end = await handle.ended;
    assert.equal(end.state, 'unknown');
    assert.equal(openai.apiRequests().length, 1);
    const job = await rig.runner.get(handle.jobId as string);
    const task = job?.tasks[0];
    assert.equal(task?.state, 'unknown');
    assert.match(task?.preview ?? '', /preview-1\.png$/);
    assert.deepEqual(readFileSync(task?.preview as string), openai.partialsServed[0]);
    assert.deepEqual(task?.files, []);
    assert.equal(existsSync(rig.outDir) ? readdirSync(rig.outDir).filter((name) => name.endsWith('.png')).length : 0, 0);
  });
});
