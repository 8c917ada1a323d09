import { link, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { journalReadConcurrency, mapBounded } from '../core/concurrency';
import { createLeaseKeeper } from '../core/jobLease';
import type { LeaseFiles } from '../core/jobLease';
import type { JobRecord, JournalStore } from '../core/journal';
import { parseJobRecordText } from '../core/journalSchema';
import { replaceAtomically, temporaryPath, writeDurably } from './atomicFile';

/** `$GPT_IMAGE_HOME`, else `$XDG_STATE_HOME/gpt-image`, else `~/.local/state/gpt-image`. */
export function gptImageHome(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.GPT_IMAGE_HOME) return environment.GPT_IMAGE_HOME;
  const state = environment.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'gpt-image');
}

const jobIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The CLI's journal: one JSON file per job in `<home>/jobs/`, each replaced atomically and fsynced
 * before `put` returns, so a SIGKILL at any moment leaves either the previous or the new record.
 * Leases are `<id>.lease.<n>` beside them (core/jobLease.ts), created by link(2): exact between
 * processes on one machine, since link fails with EEXIST when the name exists.
 * A file that is not a valid record (`onCorrupt` says why) is skipped and left for the user.
 */
export function createFileJournalStore(home: string, onCorrupt?: (file: string, error: unknown) => void): JournalStore {
  const dir = join(home, 'jobs');
  const pathOf = (id: string): string => {
    // Ids become file names: anything that could escape the folder is refused.
    if (!jobIdPattern.test(id)) throw new Error(`"${id}" is not a job id.`);
    return join(dir, `${id}.json`);
  };
  const leases = createLeaseKeeper(nodeLeaseFiles(dir));

  async function read(file: string, id: string): Promise<JobRecord | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = parseJobRecordText(text);
    const reason = !parsed.ok ? parsed.reason : parsed.record.id !== id ? `its id "${parsed.record.id}" is not its file name` : undefined;
    if (reason !== undefined || !parsed.ok) {
      onCorrupt?.(file, new Error(reason));
      return undefined;
    }
    return parsed.record;
  }

  return {
    async list() {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const names = entries.filter((entry) => entry.name.endsWith('.json') && !entry.name.startsWith('.'));
      // A bounded number of files open at a time: thousands of records must not exhaust descriptors.
      const records = await mapBounded(names, journalReadConcurrency, async (entry) => {
        const file = join(dir, entry.name);
        if (entry.isDirectory()) {
          onCorrupt?.(file, new Error('a folder, not a job record'));
          return undefined;
        }
        // One unreadable file (permissions, a vanished entry) never blocks the others.
        return read(file, entry.name.slice(0, -'.json'.length)).catch((error: unknown) => {
          onCorrupt?.(file, error);
          return undefined;
        });
      });
      return records.filter((record): record is JobRecord => record !== undefined);
    },
    get: async (id) => read(pathOf(id), id),
    async put(job) {
      await mkdir(dir, { recursive: true });
      await replaceAtomically(pathOf(job.id), `${JSON.stringify(job, null, 2)}\n`);
      // The heartbeat rides on record writes (the poll loop saves at most every leaseHeartbeatMs).
      await leases.beat(job.id, job.lease);
    },
    async remove(id) {
      await rm(pathOf(id), { force: true });
      await leases.removeAll(id);
    },
    async claim(jobId, owner, now, isOwnerGone) {
      pathOf(jobId);
      await mkdir(dir, { recursive: true });
      return leases.claim(jobId, owner, now, isOwnerGone);
    },
    release: (jobId, owner) => leases.release(jobId, owner),
  };
}

/** Lease files over node:fs; see createFileJournalStore for what makes the exclusive create exact. */
export function nodeLeaseFiles(dir: string): LeaseFiles {
  return {
    async createExclusive(name, content) {
      const target = join(dir, name);
      // Written whole first, then linked: the lease appears with its content, never empty.
      const temporary = temporaryPath(target);
      await writeDurably(temporary, content);
      try {
        await link(temporary, target);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return false;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      } finally {
        await rm(temporary, { force: true });
      }
      // A file system without hard links (FAT, some network shares): an O_EXCL create is still
      // exclusive, but a reader may see the file empty for an instant before its content lands.
      try {
        await writeDurably(target, content);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    },
    async read(name) {
      try {
        return await readFile(join(dir, name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    replace: (name, content) => replaceAtomically(join(dir, name), content),
    remove: (name) => rm(join(dir, name), { force: true }),
  };
}
