import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import type { ProviderId } from '../../../src/core/ids';
import { pollUntilDone } from '../../../src/core/pollLoop';
import type { PollResult } from '../../../src/core/pollLoop';
import { validateRequest } from '../../../src/core/request';
import type { GenerationRequest, ResolvedRequest } from '../../../src/core/request';
import { createHttpClient } from '../../../src/providers/http';
import type { HttpClient } from '../../../src/core/httpClient';
import type { ImageProvider, ProviderContext } from '../../../src/core/provider';
import type { Logger } from '../../../src/core/logger';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';

/** A logger that keeps every line, so tests can assert an API key never reaches the log. */
export interface CapturingLogger extends Logger {
  readonly lines: string[];
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, trace: keep('trace'), debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

export interface TestContext {
  readonly context: ProviderContext;
  readonly http: HttpClient;
  readonly log: CapturingLogger;
  readonly apiKey: string;
}

/** A real undici client and a context pointing at a fake's base URL, with an obviously fake key. */
export function testContext(baseUrl: string, apiKey: string, requestTimeoutMs = 10_000): TestContext {
  const log = capturingLogger();
  const http = createHttpClient({ log });
  const context: ProviderContext = {
    baseUrl,
    http,
    getApiKey: async () => apiKey,
    log,
    now: () => Date.now(),
    requestTimeoutMs,
  };
  return { context, http, log, apiKey };
}

/** What a provider test works against. Its parts exist only while tests run (read them inside `it`). */
export interface FakeProviderRig<Fake> {
  readonly cdn: FakeCdn;
  readonly fake: Fake;
  readonly test: TestContext;
  /** One instance for the whole describe(); tests that need a fresh one create it from `test.context`. */
  readonly provider: ImageProvider;
}

/**
 * Call inside describe(): starts a fake async provider and its CDN on loopback, a real client with
 * `apiKey` pointed at it and (with `createProvider`) one provider instance; resets both fakes before
 * each test and closes everything after the last.
 */
export function fakeProviderRig<Fake extends { readonly baseUrl: string; reset(): void; close(): Promise<void> }>(options: {
  readonly apiKey: string;
  readonly start: (cdn: FakeCdn) => Promise<Fake>;
  readonly createProvider?: (context: ProviderContext) => ImageProvider;
}): FakeProviderRig<Fake> {
  let parts: { cdn: FakeCdn; fake: Fake; test: TestContext; provider: ImageProvider | undefined } | undefined;
  const running = () => {
    assert.ok(parts, 'the fake provider rig is only there while tests run');
    return parts;
  };
  before(async () => {
    const cdn = await startFakeCdn();
    const fake = await options.start(cdn);
    const test = testContext(fake.baseUrl, options.apiKey);
    parts = { cdn, fake, test, provider: options.createProvider?.(test.context) };
  });
  after(async () => {
    const { cdn, fake, test } = running();
    await test.http.close();
    await fake.close();
    await cdn.close();
  });
  beforeEach(() => {
    running().fake.reset();
    running().cdn.reset();
  });
  return {
    get cdn() {
      return running().cdn;
    },
    get fake() {
      return running().fake;
    },
    get test() {
      return running().test;
    },
    get provider() {
      const { provider } = running();
      assert.ok(provider, 'this rig was made without createProvider');
      return provider;
    },
  };
}

/** The runner's poll loop over the rig's provider, submitted just now and read every `intervalMs`. */
export function pollLoop(rig: FakeProviderRig<unknown>, providerId: ProviderId, taskId: string, request: ResolvedRequest, intervalMs: number): Promise<PollResult> {
  return pollUntilDone({
    provider: rig.provider,
    providerId,
    taskId,
    request,
    submittedAt: Date.now(),
    intervalOverrideMs: intervalMs,
    signal: testSignal(),
    log: rig.test.log,
    now: () => Date.now(),
  });
}

/** The first paid call of a request, validated exactly as the runner does it. */
export function resolve(request: Partial<GenerationRequest> & Pick<GenerationRequest, 'provider'>): ResolvedRequest {
  const plan = validateRequest({ model: 'gpt-image-2', prompt: 'a lighthouse at dusk', size: '1024x1024', ...request });
  const call = plan.calls[0];
  assert.ok(call);
  return call;
}

/** Runs `action`, which must throw, and returns what it threw. */
export async function rejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** The text of everything a user or log could see: it must never hold the key. */
export function assertNoKey(apiKey: string, ...texts: readonly unknown[]): void {
  for (const text of texts) {
    const value = text instanceof Error ? `${text.message} ${String(text.stack)}` : typeof text === 'string' ? text : JSON.stringify(text);
    assert.ok(!value.includes(apiKey), 'the API key leaked');
  }
}

export function jsonBody(body: Buffer): unknown {
  return JSON.parse(body.toString('utf8'));
}

/** Aborts after `ms`, as a generous safety net so a broken test ends instead of hanging. */
export function testSignal(ms = 20_000): AbortSignal {
  return AbortSignal.timeout(ms);
}
