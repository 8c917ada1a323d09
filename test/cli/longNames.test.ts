import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { makePng } from '../fake-providers/png';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox } from './cliHarness';

// Issue 10 item 2: every name we make stays within 255 bytes per path component, cut on a UTF-8
// character boundary, so editing a file whose name is already near the limit still saves.

const maxNameBytes = 255;

/** Valid UTF-8 that survives a round trip, and within the limit. */
function assertFits(name: string): void {
  const bytes = Buffer.from(name, 'utf8');
  assert.ok(bytes.byteLength <= maxNameBytes, `${bytes.byteLength} bytes: ${name}`);
  assert.equal(bytes.toString('utf8'), name, `not valid UTF-8: ${name}`);
  assert.ok(!name.includes('\uFFFD'), `a character was split: ${name}`);
}

describe('gpt-image edit: long source names fit the file system (built CLI against the fake OpenAI)', () => {
  let openai: FakeOpenAi;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(async () => {
    await openai.close();
  });
  beforeEach(() => openai.reset());

  const sources = [
    { label: '230 ASCII bytes', stem: 'a'.repeat(230) },
    { label: '76 CJK characters (228 bytes)', stem: '漢'.repeat(76) },
    // Near the limit, in surrogate pairs: the cut must drop whole emoji.
    { label: '62 emoji (248 bytes)', stem: '😀'.repeat(62) },
  ];

  for (const { label, stem } of sources) {
    for (const n of [1, 3]) {
      it(`edits a file named with ${label}, n = ${n}: every image and sidecar written, names within 255 bytes`, async () => {
        const box = sandbox();
        const source = `${stem}.png`;
        assert.ok(Buffer.byteLength(source) <= maxNameBytes, 'the source itself is a legal name');
        writeFileSync(join(box.cwd, source), makePng({ width: 32, height: 32, seed: 5 }));
        const edit = (): Promise<Awaited<ReturnType<typeof runCli>>> =>
          runCli(['edit', '--provider', 'openai', '--image', source, '--prompt', 'Make it night', '--n', String(n), '--base-url', openai.baseUrl], box);

        const result = await edit();
        assertNoKeyLeak(result);
        assert.equal(result.code, 0, result.stderr);
        const written = lines(result.stdout);
        assert.equal(written.length, n, result.stdout);
        assert.equal(openai.apiRequests().length, 1, 'one paid request');
        const served = openai.served.map((image) => image.bytes);
        for (const [index, file] of written.entries()) {
          assertFits(basename(file));
          assert.match(basename(file), n === 1 ? /-edit-1\.png$/ : new RegExp(`-edit-${index + 1}\\.png$`));
          assert.ok(basename(file).startsWith(stem.slice(0, 20)), 'named after the source');
          assert.deepEqual(readFileSync(file), served[index], 'the served bytes, whole');
          const sidecar = join(box.cwd, '.gpt-image', `${basename(file)}.json`);
          assertFits(basename(sidecar));
          assert.equal((JSON.parse(readFileSync(sidecar, 'utf8')) as { file: string }).file, basename(file));
        }
        assert.deepEqual(imagesIn(box.cwd).sort(), [source, ...written.map((file) => basename(file))].sort());
        assert.deepEqual(readdirSync(box.cwd).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');

        // A second edit is numbered after the first, although the names were cut.
        const again = await edit();
        assert.equal(again.code, 0, again.stderr);
        for (const file of lines(again.stdout)) {
          assertFits(basename(file));
          // After a first edit of three (-edit-1 … -edit-3), the next one is -edit-4-<index>.
          assert.match(basename(file), n === 1 ? /-edit-2\.png$/ : /-edit-4-\d\.png$/);
        }
        for (const name of [...readdirSync(box.cwd), ...readdirSync(join(box.cwd, '.gpt-image'))]) assertFits(name);
      });
    }
  }
});
