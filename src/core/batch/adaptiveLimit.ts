import { abortedError } from '../retry';

export interface AdaptiveLimitOptions {
  /** Requests in flight allowed at the start. */
  readonly initial: number;
  /** Never more than this (the batch's --concurrency). */
  readonly max: number;
  /** The pause after a 429 without Retry-After. */
  readonly defaultPauseMs?: number;
  readonly now?: () => number;
}

/** A slot held while one request is in flight; `release` once its answer is in. */
export interface LimitTicket {
  release(): void;
  /** This request was refused with a 429 (Retry-After in ms when the provider sent one). */
  rateLimited(retryAfterMs: number | undefined): void;
  /** This request was answered without a 429. */
  succeeded(): void;
}

/**
 * How many requests one provider gets at once, learnt from its answers (AIMD, as TCP does it):
 * - a 429 halves the limit, at most once per round of requests (the ones sent before a cut were
 *   already too many; counting each of their 429s would collapse the limit to 1), and no request
 *   starts again before its Retry-After has passed;
 * - each answer without a 429 grows the limit by 1/limit, so about one more slot per round:
 *   slowly back up to `max`.
 * A batch then runs near the provider's rate limit without a storm of 429s (issue 15).
 */
export class AdaptiveLimit {
  private current: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private issued = 0;
  /** Tickets issued before this number were sent before the last cut. */
  private cutAt = 0;
  private readonly waiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;
  private readonly defaultPauseMs: number;
  /** 429s received, for progress and the bench. */
  rateLimitedCount = 0;

  constructor(private readonly options: AdaptiveLimitOptions) {
    this.current = Math.max(1, Math.min(options.initial, options.max));
    this.now = options.now ?? (() => Date.now());
    this.defaultPauseMs = options.defaultPauseMs ?? 1000;
  }

  /** The whole number of requests allowed in flight now. */
  get limit(): number {
    return Math.max(1, Math.floor(this.current));
  }

  /** Waits for a slot (and for any Retry-After pause); rejects with an aborted error on `signal`. */
  async acquire(signal?: AbortSignal): Promise<LimitTicket> {
    while (this.inFlight >= this.limit || this.now() < this.pausedUntil) {
      if (signal?.aborted) throw abortedError(signal);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
        this.armTimer();
      });
    }
    this.inFlight++;
    const ticket = this.issued++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.wakeAll();
      },
      rateLimited: (retryAfterMs) => {
        this.rateLimitedCount++;
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + (retryAfterMs ?? this.defaultPauseMs));
        if (ticket >= this.cutAt) {
          this.current = Math.max(1, this.current / 2);
          this.cutAt = this.issued;
        }
        this.armTimer();
      },
      succeeded: () => {
        this.current = Math.min(this.options.max, this.current + 1 / this.current);
      },
    };
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Wakes the waiters when a pause ends (nothing else would: no request is in flight to finish). */
  private armTimer(): void {
    if (this.timer !== undefined || this.waiters.length === 0) return;
    const wait = Math.max(0, this.pausedUntil - this.now());
    if (wait === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAll();
    }, wait);
  }
}
