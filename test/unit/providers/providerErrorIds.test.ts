import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { validateRequest } from '../../../src/core/request';
import { createProvider } from '../../../src/providers/registry';
import { startFakeOpenAi } from '../../fake-providers/openai';
import { testContext } from './openAiTestSupport';
import { providerFailure as failure } from '../core/fixtures';


/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ProviderError.provider is always the provider id', () => {
  it('for an error the provider mapped (a 400 from the OpenAI fake) and one from the HTTP layer (nothing listening)', async () => {
    const fake = await startFakeOpenAi({ flavour: 'openai' });
    const mapped = testContext(fake.baseUrl);
    try {
      fake.enqueue({ status: 400, message: 'Invalid size', param: 'size' });
      const call = validateRequest({ provider: 'openai', model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024' }).calls[0];
      assert.ok(call);
      const refused = await failure(createProvider('openai', mapped.context).submit(call, new AbortController().signal));
      assert.equal(refused.kind, 'badRequest');
      assert.equal(refused.provider, 'openai');
      assert.match(refused.message, /^OpenAI /, 'the sentence still says the label');
    } finally {
      await mapped.close();
      await fake.close();
    }
    const unreachable = testContext(`http://127.0.0.1:${await closedPort()}/api/v1`);
    try {
      const call = validateRequest({ provider: 'modellix', model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024', quality: 'low' }).calls[0];
      assert.ok(call);
      const error = await failure(createProvider('modellix', unreachable.context).submit(call, new AbortController().signal));
      assert.equal(error.kind, 'network');
      assert.equal(error.provider, 'modellix');
    } finally {
      await unreachable.close();
    }
  });
});
