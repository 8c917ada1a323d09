import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeApixo } from '../fake-providers/apixo';
import type { FakeApixo } from '../fake-providers/apixo';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import type { RecordedRequest } from '../fake-providers/server';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox, startCli, waitFor } from './cliHarness';
import type { Sandbox } from './cliHarness';

const isSubmit = (request: RecordedRequest): boolean => request.method === 'POST' && /\/openai\/|\/generateTask\//.test(request.url);
const isPoll = (request: RecordedRequest): boolean => request.method === 'GET' && /\/tasks\/|\/statusTask\//.test(request.url);
const promptOf = (request: RecordedRequest): string => {
  const body = JSON.parse(request.body.toString('utf8')) as { prompt?: string; input?: { prompt?: string } };
  return body.prompt ?? body.input?.prompt ?? '';
};

/** Six entries over the two async providers, interleaved so the first two in flight are one of each. */
const sixAsync = `defaults: { size: 1024x1024, out: made }
images:
${['m1', 'a1', 'm2', 'a2', 'm3', 'a3'].map((name) => `  - name: ${name}\n    prompt: Prompt ${name}\n    provider: ${name.startsWith('m') ? 'modellix' : 'apixo'}\n`).join('')}`;

const allFiles = ['a1.png', 'a2.png', 'a3.png', 'm1.png', 'm2.png', 'm3.png'];

describe('gpt-image batch killed mid-run (built CLI against the async fakes)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let apixo: FakeApixo;
  const poll = ['--poll-interval', '0.05'];

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
    apixo = await startFakeApixo({ cdn, apiKey: 'sk-test-apixo-key' });
  });
  after(async () => {
    await modellix.close();
    await apixo.close();
    await cdn.close();
  });
  beforeEach(() => {
    modellix.reset();
    apixo.reset();
    cdn.reset();
  });

  const submitted = (): string[] => [...modellix.requests(), ...apixo.requests()].filter(isSubmit).map(promptOf).sort();

  /** Starts the batch with two in flight, waits until both tasks are polling, and kills it. */
  async function killMidBatch(): Promise<Sandbox> {
    const box = sandbox({ GPT_IMAGE_MODELLIX_BASE_URL: modellix.baseUrl, GPT_IMAGE_APIXO_BASE_URL: apixo.baseUrl });
    writeFileSync(join(box.cwd, 'set.images.yaml'), sixAsync);
    modellix.setKnobs({ hold: true });
    apixo.setKnobs({ hold: true });
    const { child, done } = startCli(['batch', 'set.images.yaml', '--concurrency', '2', ...poll], box);
    await waitFor(() => modellix.requests().some(isPoll) && apixo.requests().some(isPoll));
    child.kill('SIGKILL');
    assert.equal((await done).signal, 'SIGKILL');
    assert.deepEqual(submitted(), ['Prompt a1', 'Prompt m1'], 'two entries were sent before the kill');
    assert.deepEqual(imagesIn(join(box.cwd, 'made')), []);
    modellix.setKnobs({ hold: false });
    apixo.setKnobs({ hold: false });
    modellix.release();
    apixo.release();
    return box;
  }

  it('SIGKILL, then gpt-image resume and the batch again: every entry made exactly once, nothing paid twice', async () => {
    const box = await killMidBatch();
    const resumed = await runCli(['resume', ...poll], box);
    assertNoKeyLeak(resumed);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(lines(resumed.stdout).map((file) => file.replace(`${join(box.cwd, 'made')}/`, '')).sort(), ['a1.png', 'm1.png']);

    const again = await runCli(['batch', 'set.images.yaml', ...poll], box);
    assertNoKeyLeak(again);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(lines(again.stderr).filter((line) => / up to date: (a1|m1)$/.test(line)).length, 2, again.stderr);
    assert.deepEqual(imagesIn(join(box.cwd, 'made')), allFiles);
    assert.deepEqual(submitted(), ['Prompt a1', 'Prompt a2', 'Prompt a3', 'Prompt m1', 'Prompt m2', 'Prompt m3']);
    const third = await runCli(['batch', 'set.images.yaml', ...poll], box);
    assert.equal(third.code, 0, third.stderr);
    assert.equal(submitted().length, 6, 'a third run sent something');
  });

  it('SIGKILL, then the batch again without resume: the sent entries are finished from the journal, not sent again', async () => {
    const box = await killMidBatch();
    const again = await runCli(['batch', 'set.images.yaml', ...poll], box);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /a1: finishing job [\w-]+ from an earlier run \(not sent again\)/);
    assert.match(again.stderr, /m1: finishing job [\w-]+ from an earlier run \(not sent again\)/);
    assert.deepEqual(imagesIn(join(box.cwd, 'made')), allFiles);
    assert.deepEqual(submitted(), ['Prompt a1', 'Prompt a2', 'Prompt a3', 'Prompt m1', 'Prompt m2', 'Prompt m3']);
    const resumed = await runCli(['resume', ...poll], box);
    assert.equal(resumed.stdout, '', 'nothing was left to resume');
  });

  it('Ctrl-C while two entries poll: exit 130, no further entry is sent, and the batch again finishes the rest once', async () => {
    const box = sandbox({ GPT_IMAGE_MODELLIX_BASE_URL: modellix.baseUrl, GPT_IMAGE_APIXO_BASE_URL: apixo.baseUrl });
    writeFileSync(join(box.cwd, 'set.images.yaml'), sixAsync);
    modellix.setKnobs({ hold: true });
    apixo.setKnobs({ hold: true });
    const { child, done } = startCli(['batch', 'set.images.yaml', '--concurrency', '2', ...poll], box);
    await waitFor(() => modellix.requests().some(isPoll) && apixo.requests().some(isPoll));
    child.kill('SIGINT');
    const interrupted = await done;
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /gpt-image resume/);
    assert.deepEqual(submitted(), ['Prompt a1', 'Prompt m1'], 'an entry was sent after Ctrl-C');
    modellix.setKnobs({ hold: false });
    apixo.setKnobs({ hold: false });
    modellix.release();
    apixo.release();
    const again = await runCli(['batch', 'set.images.yaml', ...poll], box);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(imagesIn(join(box.cwd, 'made')), allFiles);
    assert.deepEqual(submitted(), ['Prompt a1', 'Prompt a2', 'Prompt a3', 'Prompt m1', 'Prompt m2', 'Prompt m3']);
  });
});
