import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError, isProviderError } from '../../../src/core/errors';
import { backoffDelayMs, parseRetryAfterMs, sleep, withRetry } from '../../../src/core/retry';

const rateLimited = (retryAfterMs?: number): ProviderError =>
  new ProviderError({ kind: 'rateLimit', message: 'slow down', retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('Retry-After parsing', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads seconds, HTTP dates and retry-after-ms', () => {
    assert.equal(parseRetryAfterMs('2', undefined, now), 2000);
    assert.equal(parseRetryAfterMs('0.5', undefined, now), 500);
    assert.equal(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', undefined, now), 30_000);
    assert.equal(parseRetryAfterMs('9', '1500', now), 1500);
  });

  it('ignores absent, unparseable, negative or over-cap values', () => {
    assert.equal(parseRetryAfterMs(undefined, undefined, now), undefined);
    assert.equal(parseRetryAfterMs('  ', undefined, now), undefined);
    assert.equal(parseRetryAfterMs('soon', undefined, now), undefined);
    assert.equal(parseRetryAfterMs('-1', undefined, now), undefined);
    assert.equal(parseRetryAfterMs('61', undefined, now), undefined);
    assert.equal(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', undefined, now), undefined);
    assert.equal(parseRetryAfterMs('60', undefined, now), 60_000);
  });
});

describe('backoff', () => {
  it('grows exponentially, keeps at least a quarter of the ceiling and is capped', () => {
    assert.equal(backoffDelayMs(1, 500, 8000, () => 0), 125);
    assert.equal(backoffDelayMs(1, 500, 8000, () => 1), 500);
    assert.equal(backoffDelayMs(3, 500, 8000, () => 1), 2000);
    assert.equal(backoffDelayMs(10, 500, 8000, () => 1), 8000);
    assert.equal(backoffDelayMs(10, 500, 8000, () => 0), 2000);
  });
});

describe('abortable sleep', () => {
  it('rejects at once when already aborted', async () => {
    await assert.rejects(sleep(10_000, AbortSignal.abort()), (error: unknown) => isProviderError(error) && error.kind === 'aborted');
  });

  it('stops waiting when aborted midway', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(sleep(10_000, controller.signal), (error: unknown) => isProviderError(error) && error.kind === 'aborted');
    // Generous bound: the point is that it does not wait the 10 s.
    assert.ok(Date.now() - started < 5_000);
  });
});

describe('withRetry', () => {
  it('retries a retryable error, honouring its Retry-After, and reports each retry', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls += 1;
        if (attempt < 3) throw rateLimited(5);
        return 'done';
      },
      { retries: 2, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    assert.equal(result, 'done');
    assert.equal(calls, 3);
    assert.deepEqual(delays, [5, 5]);
  });

  it('falls back to jittered backoff without Retry-After', async () => {
    const delays: number[] = [];
    await withRetry(
      async (attempt) => {
        if (attempt === 1) throw rateLimited();
        return 1;
      },
      { retries: 1, baseDelayMs: 8, random: () => 1, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    assert.deepEqual(delays, [8]);
  });

  it('uses backoff when Retry-After is above the cap', async () => {
    const delays: number[] = [];
    await withRetry(
      async (attempt) => {
        if (attempt === 1) throw rateLimited(90_000);
        return 1;
      },
      { retries: 1, baseDelayMs: 4, random: () => 0, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    assert.deepEqual(delays, [1]);
  });

  it('does not retry a non-retryable error, nor an unknown outcome', async () => {
    for (const kind of ['badRequest', 'unknownOutcome'] as const) {
      let calls = 0;
      const error = new ProviderError({ kind, message: kind });
      await assert.rejects(
        withRetry(
          async () => {
            calls += 1;
            throw error;
          },
          { retries: 3 },
        ),
        (thrown: unknown) => thrown === error,
      );
      assert.equal(calls, 1, kind);
    }
  });

  it('gives up after the allowed retries with the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls += 1;
          throw rateLimited(1);
        },
        { retries: 2 },
      ),
      (error: unknown) => isProviderError(error) && error.kind === 'rateLimit',
    );
    assert.equal(calls, 3);
  });

  it('stops during the wait when cancelled, without another attempt', async () => {
    const controller = new AbortController();
    let calls = 0;
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(
      withRetry(
        async () => {
          calls += 1;
          throw rateLimited(30_000);
        },
        { retries: 2, signal: controller.signal },
      ),
      (error: unknown) => isProviderError(error) && error.kind === 'aborted',
    );
    assert.equal(calls, 1);
  });
});
