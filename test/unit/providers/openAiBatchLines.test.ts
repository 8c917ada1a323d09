import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateRequest } from '../../../src/core/request';
import { batchInputLine, batchLineBody } from '../../../src/providers/openai/batchLines';
import { parseBatchResults } from '../../../src/providers/openai/batchResultLines';

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('OpenAI Batch API lines', () => {
  it('a generation line carries the synchronous body, n inside it, never stream', () => {
    const [call] = validateRequest({ provider: 'openai', model: 'gpt-image-2', prompt: 'A boat', size: '1024x1024', quality: 'low', n: 3, partialImages: 2 }).calls;
    assert.ok(call);
    const built = batchLineBody(call);
    assert.ok(!('problem' in built));
    assert.equal(
      batchInputLine('boat', built.endpoint, built.body),
      '{"custom_id":"boat","method":"POST","url":"/v1/images/generations","body":{"model":"gpt-image-2","prompt":"A boat","n":3,"size":"1024x1024","quality":"low"}}',
    );
  });

  it('an edit line is the JSON edit body with data URLs (kept in the journal; uploaded as files before sending)', () => {
    const image = { kind: 'file' as const, source: '/w/a.png', fileName: 'a.png', bytes: new Uint8Array(png) };
    const [call] = validateRequest({ provider: 'openai', model: 'gpt-image-2', prompt: 'Edit', size: 'auto', inputImages: [image] }).calls;
    assert.ok(call);
    const built = batchLineBody(call);
    assert.ok(!('problem' in built));
    assert.equal(built.endpoint, '/v1/images/edits');
    assert.deepEqual(built.body.images, [{ image_url: `data:image/png;base64,${png.toString('base64')}` }]);
  });

  it('output and error lines are matched by custom_id: images, a refused line, a line that could not run, a broken line', () => {
    const image = png.toString('base64');
    const text = [
      JSON.stringify({ id: 'r2', custom_id: 'b', response: { status_code: 400, request_id: 'q', body: { error: { message: 'blocked', code: 'moderation_blocked' } } }, error: null }),
      'not json',
      JSON.stringify({ id: 'r1', custom_id: 'a', response: { status_code: 200, request_id: 'req_1', body: { data: [{ b64_json: image }, { b64_json: image }], usage: { input_tokens: 5, output_tokens: 10 } } }, error: null }),
      JSON.stringify({ id: 'r3', custom_id: 'c', response: null, error: { code: 'batch_expired', message: 'too late' } }),
    ].join('\n');
    const results = parseBatchResults(text);
    assert.equal(results.length, 3);
    const byId = new Map(results.map((result) => [result.customId, result]));
    const a = byId.get('a');
    assert.ok(a?.ok);
    assert.equal(a.images.length, 2);
    assert.equal(a.requestId, 'req_1');
    assert.equal(a.usage?.outputTokens, 10);
    const b = byId.get('b');
    assert.ok(b && !b.ok);
    assert.equal(b.status, 400);
    assert.match(b.message, /moderation_blocked.*blocked/);
    const c = byId.get('c');
    assert.ok(c && !c.ok);
    assert.equal(c.code, 'batch_expired');
  });
});
