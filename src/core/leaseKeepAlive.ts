import { errorMessage } from './errors';
import { leaseHeartbeatMs } from './journal';
import type { Logger } from './logger';

/** How often a held lease is checked; it is rewritten only when its heartbeat is due (every leaseHeartbeatMs). */
export const leaseCheckEveryMs = leaseHeartbeatMs / 3;

/** What keeping a lease alive needs from a job's session (core/jobSession.ts). */
export interface LeaseHolder {
  readonly jobId: string;
  /** Refreshes the record's lease heartbeat when it is due; true when it did (the record needs a save). */
  beat(): boolean;
  /** Saves the record; its lease heartbeat goes to the lease file with it. */
  save(): Promise<void>;
  /** Settles once every save asked for so far is written. */
  saved(): Promise<void>;
}

/**
 * Beats a held lease on a timer for as long as the session runs. The heartbeat used to ride only on
 * the journal writes of the poll loop, so a step that writes nothing for longer than leaseExpiryMs
 * (a slow download of a large image, a synchronous generate that takes minutes) let another window
 * judge the lease stale, claim the job and fetch or mark it a second time while this one still worked
 * on it. Returns `stop`, which ends the timer and settles once the last beat is written, so that
 * releasing the lease afterwards is the last write to it.
 */
export function keepLeaseAlive(holder: LeaseHolder, log: Logger, everyMs: number = leaseCheckEveryMs): () => Promise<void> {
  const timer = setInterval(() => {
    if (!holder.beat()) return;
    holder.save().catch((error: unknown) => log.warn(`Could not record job ${holder.jobId}: ${errorMessage(error)}`));
  }, everyMs);
  // A beat must never keep a CLI process alive once its work is done.
  (timer as { unref?: () => void }).unref?.();
  return async () => {
    clearInterval(timer);
    await holder.saved().catch(() => undefined);
  };
}
