import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox } from './cliHarness';
import type { Sandbox } from './cliHarness';

interface JournalTask {
  state: string;
  preview?: string;
}

function journalTasks(box: Sandbox): JournalTask[] {
  const dir = join(box.home, 'jobs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { tasks: JournalTask[] }).tasks);
}

describe('gpt-image --partial-images (built CLI against the fake OpenAI)', () => {
  let openai: FakeOpenAi;
  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(async () => {
    await openai.close();
  });
  beforeEach(() => openai.reset());

  it('streams two partials: a stderr line for each, only the completed image written, the preview removed', async () => {
    const box = sandbox();
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A kite', '--partial-images', '2', '--base-url', openai.baseUrl], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^gpt-image: partial image 1 of 2 received$/m);
    assert.match(result.stderr, /^gpt-image: partial image 2 of 2 received$/m);
    const sent = JSON.parse(openai.apiRequests()[0]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    assert.equal(sent.stream, true);
    assert.equal(sent.partial_images, 2);
    assert.equal('response_format' in sent, false);
    const files = lines(result.stdout);
    assert.equal(files.length, 1);
    assert.deepEqual(readFileSync(files[0] as string), openai.served[0]?.bytes);
    assert.equal(imagesIn(join(box.cwd, 'images')).length, 1);
    assert.equal(journalTasks(box)[0]?.preview, undefined);
    assert.equal(existsSync(join(box.home, 'rescued')) ? readdirSync(join(box.home, 'rescued')).length : 0, 0);
  });

  it('default 0 sends no stream field and prints no partial lines', async () => {
    const box = sandbox();
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A kite', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 0, result.stderr);
    const sent = JSON.parse(openai.apiRequests()[0]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    assert.equal('stream' in sent, false);
    assert.equal('partial_images' in sent, false);
    assert.doesNotMatch(result.stderr, /partial image/);
  });

  it('a stream cut after a partial: exit 3, exactly one POST, the job unknown with its preview kept', async () => {
    const box = sandbox();
    openai.enqueue({ streamCutAfterPartial: true }, { streamCutAfterPartial: true }, { streamCutAfterPartial: true });
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A kite', '--partial-images', '2', '--base-url', openai.baseUrl], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(openai.apiRequests().length, 1);
    assert.match(result.stderr, /^gpt-image: partial image 1 of 2 received$/m);
    assert.equal(result.stdout, '');
    assert.deepEqual(existsSync(join(box.cwd, 'images')) ? imagesIn(join(box.cwd, 'images')) : [], []);
    const [task] = journalTasks(box);
    assert.equal(task?.state, 'unknown');
    assert.match(task?.preview ?? '', /preview-1\.png$/);
    assert.deepEqual(readFileSync(task?.preview as string), openai.partialsServed[0]);
  });

  it('an error event (moderation): exit 1 with the content-policy sentence, one POST, nothing written', async () => {
    const box = sandbox();
    openai.enqueue({ streamError: true }, { streamError: true });
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A kite', '--partial-images', '1', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /OpenAI blocked the request under its content policy: "Your request was rejected by the safety system"; rephrase the prompt or change the image\./);
    assert.equal(openai.apiRequests().length, 1);
    assert.equal(result.stdout, '');
  });

  it('refuses --partial-images outside 0-3 (exit 2, nothing sent) and --help documents it with the cost note', async () => {
    const box = sandbox();
    const refused = await runCli(['generate', '--provider', 'openai', '--prompt', 'A kite', '--partial-images', '4', '--base-url', openai.baseUrl], box);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--partial-images must be a whole number from 0 to 3 \(got "4"\)/);
    assert.equal(openai.apiRequests().length, 0);
    const help = await runCli(['--help'], box);
    assert.match(help.stdout, /--partial-images <0-3>[\s\S]*output tokens \(~100 each/);
  });

  it('Gravitex: --partial-images is a warning with the reason, and no stream is sent', async () => {
    const gravitex = await startFakeOpenAi({ flavour: 'gravitex' });
    try {
      const box = sandbox();
      const result = await runCli(['generate', '--provider', 'gravitex', '--prompt', 'A kite', '--partial-images', '2', '--base-url', gravitex.baseUrl], box);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /warning: Gravitex does not stream partial images with gpt-image-2 \(Gravitex's relay strips partial_images/);
      const sent = JSON.parse(gravitex.apiRequests()[0]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
      assert.equal('stream' in sent, false);
    } finally {
      await gravitex.close();
    }
  });
});
