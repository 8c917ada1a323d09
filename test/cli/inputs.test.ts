import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { makePng } from '../fake-providers/png';
import { lines, runCli, sandbox } from './cliHarness';

/** A file of `bytes` bytes that starts as a PNG and takes no disk space (the rest is a hole). */
function sparsePng(path: string, bytes: number): void {
  const png = makePng({ width: 16, height: 16, seed: 1 });
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, png, 0, png.byteLength, 0);
    // One byte at the end sets the size; nothing between is ever written.
    writeSync(fd, Buffer.from([0]), 0, 1, bytes - 1);
  } finally {
    closeSync(fd);
  }
}

describe('gpt-image inputs: only regular files, their size checked before reading (issue 10, items 12 and 13)', () => {
  let openai: FakeOpenAi;
  let cdn: FakeCdn;
  let modellix: FakeModellix;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
  });
  after(async () => {
    await openai.close();
    await modellix.close();
    await cdn.close();
  });
  beforeEach(() => {
    openai.reset();
    modellix.reset();
  });

  // A timeout: before the fix, reading the FIFO blocked for ever.
  it('a FIFO, /dev/zero and a folder as --image or --mask: exit 2 at once, one sentence each, nothing sent', { timeout: 60_000 }, async () => {
    const box = sandbox();
    const fifo = join(box.cwd, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(box.cwd, 'folder.png'));
    writeFileSync(join(box.cwd, 'photo.png'), makePng({ width: 32, height: 32, seed: 2 }));
    const cases: { args: string[]; says: RegExp }[] = [
      // Before: readFile on a FIFO with no writer waits for ever (the test's timeout would catch it).
      { args: ['--image', 'pipe.png'], says: /Image pipe\.png is not a regular file \(a pipe, device or socket\)/ },
      { args: ['--image', '/dev/zero'], says: /Image \/dev\/zero is not a regular file/ },
      { args: ['--image', 'folder.png'], says: /Image folder\.png is a folder, not an image file\./ },
      { args: ['--image', 'photo.png', '--mask', 'pipe.png'], says: /Mask pipe\.png is not a regular file/ },
    ];
    for (const { args, says } of cases) {
      const started = Date.now();
      const result = await runCli(['edit', '--provider', 'openai', '--prompt', 'x', ...args, '--base-url', openai.baseUrl], box);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, says);
      assert.equal(result.stdout, '');
      assert.ok(Date.now() - started < 10_000, 'refused at once, without waiting on the file');
    }
    // Modellix would upload it first: still refused before any upload.
    const upload = await runCli(['edit', '--provider', 'modellix', '--prompt', 'x', '--image', 'pipe.png', '--base-url', modellix.baseUrl], box);
    assert.equal(upload.code, 2, upload.stderr);
    assert.equal(openai.apiRequests().length + modellix.requests().length, 0);
  });

  it('a file far over the limit is refused by its size, never read whole (a 3 GiB sparse PNG)', { timeout: 60_000 }, async () => {
    const box = sandbox();
    sparsePng(join(box.cwd, 'huge.png'), 3 * 1024 * 1024 * 1024);
    sparsePng(join(box.cwd, 'big.png'), 60 * 1024 * 1024);
    // Before: reading 3 GiB whole failed with ERR_FS_FILE_TOO_LARGE (or ran out of memory) instead.
    const huge = await runCli(['edit', '--provider', 'openai', '--prompt', 'x', '--image', 'huge.png', '--base-url', openai.baseUrl], box);
    assert.equal(huge.code, 2, huge.stderr);
    assert.match(huge.stderr, /Image huge\.png is 3072\.0 MB; OpenAI accepts up to 50 MB per image\./);
    const big = await runCli(['edit', '--provider', 'modellix', '--prompt', 'x', '--image', 'big.png', '--base-url', modellix.baseUrl], box);
    assert.equal(big.code, 2, big.stderr);
    assert.match(big.stderr, /Image big\.png is 60\.0 MB; Modellix accepts up to 16 MB per image\./);
    assert.equal(openai.apiRequests().length + modellix.requests().length, 0);
  });

  it('a regular file within the limit is still sent as it is', async () => {
    const box = sandbox();
    const bytes = makePng({ width: 40, height: 40, seed: 5 });
    writeFileSync(join(box.cwd, 'ok.png'), bytes);
    const result = await runCli(['edit', '--provider', 'openai', '--prompt', 'x', '--image', 'ok.png', '--base-url', openai.baseUrl, '--quiet'], box);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(openai.apiRequests()[0]?.body.includes(bytes), 'the file travels whole');
  });

  it('--poll-interval below 0.05 s is refused with exit 2, as the extension clamps it; 0.05 is accepted', async () => {
    const box = sandbox();
    for (const value of ['0.01', '0.049', '1e-9', '0']) {
      for (const command of [['generate', '--provider', 'modellix', '--prompt', 'x', '--base-url', modellix.baseUrl], ['resume']]) {
        const result = await runCli([...command, '--poll-interval', value], box);
        assert.equal(result.code, 2, `${command[0]} --poll-interval ${value}: ${result.stderr}`);
        assert.match(result.stderr, /--poll-interval is a number of seconds from 0\.05 to 3600/);
      }
    }
    assert.equal(modellix.requests().length, 0);
    const ok = await runCli(['generate', '--provider', 'modellix', '--prompt', 'x', '--base-url', modellix.baseUrl, '--poll-interval', '0.05', '--quiet'], box);
    assert.equal(ok.code, 0, ok.stderr);
  });
});
