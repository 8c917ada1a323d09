import { leaseExpiryMs } from './journal';
import type { JobLease, LeaseClaim } from './journal';

/**
 * The few file operations a lease needs, in a store's own folder (plain file names). How atomic
 * `createExclusive` is, is each store's guarantee: the CLI's is exact (link(2) of a fully written
 * file); the extension's is best effort (workspace.fs has no exclusive create, see host/journalStore.ts).
 */
export interface LeaseFiles {
  /** Creates `name` holding `content` unless something is there already: then false, and nothing changed. */
  createExclusive(name: string, content: string): Promise<boolean>;
  /** The file's content, or undefined when there is none. */
  read(name: string): Promise<string | undefined>;
  /** Replaces a file only its holder writes, so that a reader sees the old or the new content. */
  replace(name: string, content: string): Promise<void>;
  /** Deletes it; absent is fine. */
  remove(name: string): Promise<void>;
}

/** What a lease file holds: the owner, its last heartbeat, and whether it was given back. */
interface LeaseContent extends JobLease {
  readonly released?: boolean;
  /** Distinguishes two claims by the same owner id, for stores that must read their write back. */
  readonly nonce: string;
}

export interface LeaseKeeper {
  claim(jobId: string, owner: string, now: number, isOwnerGone?: (owner: string) => boolean): Promise<LeaseClaim>;
  release(jobId: string, owner: string): Promise<void>;
  /** Carries a record's lease heartbeat (JournalStore.put) to the lease this keeper holds for the job. */
  beat(jobId: string, lease: JobLease | undefined): Promise<void>;
  /** Deletes every lease file of a job (the job leaves the journal). */
  removeAll(jobId: string): Promise<void>;
}

export function leaseFileName(jobId: string, generation: number): string {
  return `${jobId}.lease.${generation}`;
}

/** Claim attempts before giving up on a job whose lease keeps changing hands under us. */
const claimAttempts = 8;

/**
 * One lease per job, as a sequence of generation files `<id>.lease.0`, `.1`, … Nothing is ever
 * renamed over or deleted while the job exists, so the files always run 0…h without a gap, and:
 *
 * - The holder is whoever created the highest generation h. Claiming means reading h, and when h
 *   is free (released, its heartbeat older than leaseExpiryMs, its owner gone, or unreadable)
 *   creating h+1 with an exclusive create. Of any number of claimers that saw the same h, exactly
 *   one creates h+1; the others find it there and read it as a live lease.
 * - A claimer that was slow (it read h, and meanwhile h+1 and h+2 were created) tries h+1, which
 *   exists: it loses. It can never create a generation below the highest, since none is deleted.
 * - After creating h+1, the claimer checks that h+2 does not exist yet (a claimer that judged h+1
 *   free after we wrote it would have needed it stale or released: a live owner's is neither).
 * - Heartbeats and the release rewrite the holder's own generation file only (replace), which no
 *   one else writes. A stale holder that was taken over and still beats rewrites a superseded file:
 *   harmless to the new holder.
 *
 * A lease is never broken by deleting or renaming it, which is what two breakers of one stale lease
 * cannot do safely (the second would remove the first one's fresh claim).
 */
export function createLeaseKeeper(files: LeaseFiles, nonce: () => string = randomNonce): LeaseKeeper {
  const held = new Map<string, { generation: number; lease: LeaseContent }>();

  async function highest(jobId: string): Promise<{ generation: number; lease: LeaseContent | undefined } | undefined> {
    let found: { generation: number; lease: LeaseContent | undefined } | undefined;
    for (let generation = 0; ; generation++) {
      const text = await files.read(leaseFileName(jobId, generation));
      if (text === undefined) return found;
      found = { generation, lease: parseLease(text) };
    }
  }

  const write = (jobId: string, generation: number, lease: LeaseContent): Promise<void> => files.replace(leaseFileName(jobId, generation), JSON.stringify(lease));

  return {
    async claim(jobId, owner, now, isOwnerGone) {
      let holder: JobLease | undefined;
      for (let attempt = 0; attempt < claimAttempts; attempt++) {
        const top = await highest(jobId);
        const lease = top?.lease;
        if (top && lease && !lease.released && now - lease.heartbeatAt < leaseExpiryMs) {
          if (lease.owner === owner) {
            // Our own live lease (a reloaded window): taken back at once. No one else breaks a live
            // lease, so rewriting it is safe; a stale one of ours is claimed anew like anyone's.
            const renewed: LeaseContent = { ...lease, heartbeatAt: now };
            await write(jobId, top.generation, renewed);
            held.set(jobId, { generation: top.generation, lease: renewed });
            return { ok: true };
          }
          if (!(isOwnerGone?.(lease.owner) ?? false)) return { ok: false, holder: { owner: lease.owner, heartbeatAt: lease.heartbeatAt } };
        }
        const generation = top ? top.generation + 1 : 0;
        const mine: LeaseContent = { owner, heartbeatAt: now, nonce: nonce() };
        if (!(await files.createExclusive(leaseFileName(jobId, generation), JSON.stringify(mine)))) continue;
        const successor = await files.read(leaseFileName(jobId, generation + 1));
        if (successor !== undefined) {
          holder = parseLease(successor);
          continue;
        }
        held.set(jobId, { generation, lease: mine });
        return { ok: true };
      }
      return { ok: false, holder: holder ?? (await highest(jobId))?.lease ?? { owner: 'another window or process', heartbeatAt: now } };
    },

    async release(jobId, owner) {
      const mine = held.get(jobId);
      if (!mine || mine.lease.owner !== owner) return;
      held.delete(jobId);
      await write(jobId, mine.generation, { ...mine.lease, released: true });
    },

    async beat(jobId, lease) {
      const mine = held.get(jobId);
      if (!mine || !lease || lease.owner !== mine.lease.owner || lease.heartbeatAt <= mine.lease.heartbeatAt) return;
      mine.lease = { ...mine.lease, heartbeatAt: lease.heartbeatAt };
      await write(jobId, mine.generation, mine.lease);
    },

    async removeAll(jobId) {
      held.delete(jobId);
      for (let generation = 0; ; generation++) {
        const name = leaseFileName(jobId, generation);
        if ((await files.read(name)) === undefined) return;
        await files.remove(name);
      }
    },
  };
}

function parseLease(text: string): LeaseContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LeaseContent> | null;
    if (!value || typeof value.owner !== 'string' || typeof value.heartbeatAt !== 'number') return undefined;
    return { owner: value.owner, heartbeatAt: value.heartbeatAt, released: value.released === true, nonce: typeof value.nonce === 'string' ? value.nonce : '' };
  } catch {
    return undefined;
  }
}

function randomNonce(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
