import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveLimit } from '../../../src/core/batch/adaptiveLimit';
import type { LimitTicket } from '../../../src/core/batch/adaptiveLimit';

describe('adaptive per-provider limit', () => {
  it('halves on a 429 once per round, not once per refused request of that round', async () => {
    const limit = new AdaptiveLimit({ initial: 8, max: 8 });
    const round: LimitTicket[] = [];
    for (let index = 0; index < 8; index++) round.push(await limit.acquire());
    for (const ticket of round) ticket.rateLimited(0);
    assert.equal(limit.limit, 4, 'eight 429s of one round cut the limit once');
    for (const ticket of round) ticket.release();
    const next = await limit.acquire();
    next.rateLimited(0);
    assert.equal(limit.limit, 2, 'a 429 of a request sent after the cut cuts again');
    next.release();
  });

  it('starts nothing before the Retry-After has passed', async () => {
    let now = 1_000;
    const limit = new AdaptiveLimit({ initial: 4, max: 4, now: () => now });
    const first = await limit.acquire();
    first.rateLimited(40);
    first.release();
    let started = false;
    const waiting = limit.acquire().then((ticket) => {
      started = true;
      return ticket;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(started, false, 'started during the pause');
    now += 40;
    const ticket = await waiting;
    assert.equal(started, true);
    ticket.release();
  });

  it('grows back slowly: about one slot per round of answers, never past max', async () => {
    const limit = new AdaptiveLimit({ initial: 1, max: 3 });
    const succeed = async (): Promise<void> => {
      const ticket = await limit.acquire();
      ticket.succeeded();
      ticket.release();
    };
    await succeed();
    assert.equal(limit.limit, 2);
    await succeed();
    assert.equal(limit.limit, 2, 'one answer at limit 2 adds half a slot');
    await succeed();
    assert.equal(limit.limit, 2, '2.5 + 1/2.5 is still short of 3');
    await succeed();
    assert.equal(limit.limit, 3);
    for (let index = 0; index < 10; index++) await succeed();
    assert.equal(limit.limit, 3);
  });

  it('keeps at most `limit` in flight and lets the next one in on release', async () => {
    const limit = new AdaptiveLimit({ initial: 2, max: 2 });
    const a = await limit.acquire();
    await limit.acquire();
    let third = false;
    const waiting = limit.acquire().then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(third, false);
    a.release();
    await waiting;
    assert.equal(third, true);
  });

  it('an aborted wait rejects instead of taking a slot', async () => {
    const limit = new AdaptiveLimit({ initial: 1, max: 1 });
    await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    controller.abort();
    await assert.rejects(waiting, (error: Error) => error.name === 'ProviderError');
  });
});
