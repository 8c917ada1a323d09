import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { ProviderError, isProviderError } from '../../../src/core/errors';
import type { ProviderErrorKind } from '../../../src/core/errors';
import { validateRequest } from '../../../src/core/request';
import type { GenerationRequest, ResolvedRequest } from '../../../src/core/request';
import { createHttpClient } from '../../../src/providers/http';
import type { HttpClient } from '../../../src/core/httpClient';
import type { ImagesOutcome, ProviderContext } from '../../../src/core/provider';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi, FakeOpenAiFlavour } from '../../fake-providers/openai';
import { capturingLogger } from './asyncProviderHarness';
import type { CapturingLogger } from './asyncProviderHarness';

export interface TestContext {
  readonly context: ProviderContext;
  readonly log: CapturingLogger;
  readonly http: HttpClient;
  close(): Promise<void>;
}

/** A real undici client, as the host builds it; keys are obviously fake. */
export function testContext(baseUrl: string, options: { apiKey?: string | undefined; requestTimeoutMs?: number } = {}): TestContext {
  const log = capturingLogger();
  const http = createHttpClient({ log });
  const apiKey = 'apiKey' in options ? options.apiKey : 'sk-test-openai-key';
  const context: ProviderContext = {
    baseUrl,
    http,
    log,
    now: () => Date.now(),
    requestTimeoutMs: options.requestTimeoutMs ?? 300_000,
    getApiKey: async () => {
      if (apiKey === undefined) throw new ProviderError({ kind: 'auth', message: 'No API key is set.' });
      return apiKey;
    },
  };
  return { context, log, http, close: () => http.close() };
}

/** A fake Images API and a real client pointed at it. Its parts exist only while tests run. */
export interface FakeOpenAiRig {
  readonly fake: FakeOpenAi;
  readonly test: TestContext;
}

/** Call inside describe(): starts the fake with `key` expected, resets it before each test, closes it after the last. */
export function fakeOpenAiRig(flavour: FakeOpenAiFlavour, key: string): FakeOpenAiRig {
  let parts: { fake: FakeOpenAi; test: TestContext } | undefined;
  const running = () => {
    assert.ok(parts, 'the fake OpenAI rig is only there while tests run');
    return parts;
  };
  before(async () => {
    const fake = await startFakeOpenAi({ flavour, expectedKey: key });
    parts = { fake, test: testContext(fake.baseUrl, { apiKey: key }) };
  });
  after(async () => {
    const { fake, test } = running();
    await test.close();
    await fake.close();
  });
  beforeEach(() => running().fake.reset());
  return {
    get fake() {
      return running().fake;
    },
    get test() {
      return running().test;
    },
  };
}

/** The first paid call of a validated request, as the runner would pass it. */
export function resolve(request: Partial<GenerationRequest> & Pick<GenerationRequest, 'provider'>): ResolvedRequest {
  const plan = validateRequest({ model: 'gpt-image-2', prompt: 'a red fox in snow', size: '1024x1024', ...request });
  const call = plan.calls[0];
  assert.ok(call);
  return call;
}

/** Asserts a submit finished with images (a synchronous provider) and returns that outcome. */
export function images(outcome: unknown): ImagesOutcome {
  assert.ok(outcome && typeof outcome === 'object' && (outcome as ImagesOutcome).kind === 'images');
  return outcome as ImagesOutcome;
}

/** Awaits a rejection and checks it is a ProviderError of `kind`; returns it for further checks. */
export async function rejectsWith(promise: Promise<unknown>, kind: ProviderErrorKind): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isProviderError(error), `expected a ProviderError, got ${String(error)}`);
    assert.equal(error.kind, kind, `expected kind ${kind}, got ${error.kind}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a ${kind} ProviderError, but it resolved`);
}

/** A minimal baseline JPEG header (APP0 + SOF0) that readImageInfo reads as width x height. */
export function tinyJpeg(width: number, height: number): Buffer {
  return Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11,
    0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
  ]);
}

/** A minimal lossless WebP (VP8L) header that readImageInfo reads as width x height. */
export function tinyWebp(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(40);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(32, 4);
  bytes.write('WEBPVP8L', 8, 'latin1');
  bytes.writeUInt32LE(20, 16);
  bytes[20] = 0x2f;
  bytes.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 21);
  return bytes;
}
