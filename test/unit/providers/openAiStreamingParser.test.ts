import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import { StreamingImagesParser, parseImagesStream } from '../../../src/providers/openAiCompatible/streamingImagesParser';
import type { StreamedImagesBody } from '../../../src/providers/openAiCompatible/streamingImagesParser';

function parseChunks(chunks: readonly Buffer[], options: { maxImageBytes?: number } = {}): StreamedImagesBody {
  const parser = new StreamingImagesParser({ provider: 'OpenAI', ...options });
  for (const chunk of chunks) parser.push(chunk);
  return parser.end();
}

function splitAt(body: Buffer, ...points: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, body.length]) {
    chunks.push(body.subarray(start, point));
    start = point;
  }
  return chunks;
}

function expectInvalid(body: string | Buffer, pattern: RegExp): void {
  assert.throws(
    () => parseChunks([Buffer.from(body)]),
    (error: unknown) => isProviderError(error) && error.kind === 'invalidResponse' && pattern.test(error.message),
  );
}

// 0xff bytes encode as "////", so the escaped-slash path is always exercised.
const first = Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), randomBytes(58)]);
const second = randomBytes(47);
/** Every quirk at once: escaped slashes, a data: prefix, a \n line break, a \u escape, a decoy key in a string. */
function quirkyBody(): Buffer {
  const escaped = first.toString('base64').replace(/\//g, '\\/');
  const b64 = second.toString('base64');
  const unicode = `\\u${b64.charCodeAt(5).toString(16).padStart(4, '0')}`;
  const withUnicode = `${b64.slice(0, 5)}${unicode}${b64.slice(6, 20)}\\n${b64.slice(20)}`;
  return Buffer.from(
    `{"created":1777000000,"note":"say \\"b64_json\\": not a key","data":[{"b64_json":"${escaped}","revised_prompt":"a \\"fox\\""},` +
      `{"url":"","b64_json" : "data:image\\/png;base64,${withUnicode}"}],"usage":{"total_tokens":3}}`,
  );
}

describe('streaming images parser', () => {
  it('decodes every quirk when the body arrives in one piece', () => {
    const result = parseChunks([quirkyBody()]);
    assert.equal(result.images.length, 2);
    assert.ok(result.images[0]?.equals(first));
    assert.ok(result.images[1]?.equals(second));
    assert.deepEqual(result.json, {
      created: 1777000000,
      note: 'say "b64_json": not a key',
      data: [
        { b64_json: '0', revised_prompt: 'a "fox"' },
        { url: '', b64_json: '1' },
      ],
      usage: { total_tokens: 3 },
    });
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const body = quirkyBody();
    const expected = parseChunks([body]);
    for (let point = 1; point < body.length; point++) {
      assert.deepEqual(parseChunks(splitAt(body, point)), expected, `split at ${point}`);
    }
    for (let point = 1; point + 7 < body.length; point += 3) {
      assert.deepEqual(parseChunks(splitAt(body, point, point + 2, point + 7)), expected, `split at ${point}, +2, +7`);
    }
    const bytes = [...body].map((byte) => Buffer.from([byte]));
    assert.deepEqual(parseChunks(bytes), expected, 'one byte per chunk');
  });

  it('decodes a large image in batches without corrupting group boundaries', async () => {
    const image = randomBytes(3 * 1024 * 1024 + 1);
    const body = Buffer.from(`{"data":[{"b64_json":"${image.toString('base64')}"}]}`);
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let offset = 0; offset < body.length; offset += 65_531) yield body.subarray(offset, offset + 65_531);
    }
    const result = await parseImagesStream(chunks(), { provider: 'OpenAI' });
    assert.equal(result.images.length, 1);
    assert.ok(result.images[0]?.equals(image));
  });

  it('leaves null b64_json values and other keys to the JSON', () => {
    const result = parseChunks([Buffer.from('{"data":[{"b64_json":null,"url":"https://example.invalid/x.png"}],"b64_json_count":1}')]);
    assert.equal(result.images.length, 0);
    assert.deepEqual(result.json, { data: [{ b64_json: null, url: 'https://example.invalid/x.png' }], b64_json_count: 1 });
  });

  it('accepts an empty string and unpadded base64', () => {
    const result = parseChunks([Buffer.from('{"data":[{"b64_json":""},{"b64_json":"QUJD"},{"b64_json":"QUI"}]}')]);
    assert.deepEqual(result.images.map((image) => image.toString('latin1')), ['', 'ABC', 'AB']);
  });

  it('refuses what is not an images response', () => {
    expectInvalid('{"data":[{"b64_json":"iVBORw0KGgo="}', /not valid JSON/);
    expectInvalid('{"data":[{"b64_json":"iVBORw0KG', /truncated/);
    expectInvalid('<html>502 Bad Gateway</html>', /not valid JSON/);
    expectInvalid('{"data":[{"b64_json":"iVBO Rw0"}]}', /not base64/);
    expectInvalid('{"data":[{"b64_json":"QUJD=A"}]}', /after base64 padding/);
    expectInvalid('{"data":[{"b64_json":"QUJD\\u00e9QUJ"}]}', /not base64/);
    expectInvalid('{"data":[{"b64_json":"QUJDR"}]}', /truncated base64/);
    expectInvalid('{"data":[{"b64_json":"QU\\"JD"}]}', /unexpected escape/);
    expectInvalid('{"data":[{"b64_json":"data:text/html,hello"}]}', /not base64 image data/);
    expectInvalid('', /not valid JSON/);
  });

  it('caps the decoded size', () => {
    const body = Buffer.from(`{"data":[{"b64_json":"${randomBytes(3000).toString('base64')}"}]}`);
    assert.throws(
      () => parseChunks([body], { maxImageBytes: 1000 }),
      (error: unknown) => isProviderError(error) && error.kind === 'invalidResponse' && /more than/.test(error.message),
    );
  });
});
