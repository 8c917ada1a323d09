import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { journalReadConcurrency, mapBounded } from '../core/concurrency';
import { createLeaseKeeper } from '../core/jobLease';
import type { LeaseFiles } from '../core/jobLease';
import type { JobRecord, JournalStore } from '../core/journal';
import { parseJobRecordText } from '../core/journalSchema';
import type { Logger } from '../core/logger';

/** How long a lease claim waits before reading its write back a second time (see workspaceLeaseFiles). */
export const claimSettleMs = 100;

/**
 * The job journal in the extension's global storage: one JSON file per job under `jobs/`,
 * written to a temporary name and renamed over the old one so a crash mid-write leaves the
 * previous version, never half a file (over host/localFileSystem.ts, which services.ts passes for a
 * local global storage: workspace.fs deletes the old file before the rename). Writes to one job are
 * serialised so an older state can never land after a newer one. Files that are not valid records are
 * skipped with a warning. Leases are `jobs/<id>.lease.<n>` (core/jobLease.ts): see workspaceLeaseFiles.
 */
export function createJournalStore(
  storage: vscode.Uri,
  log: Logger,
  fileSystem: vscode.FileSystem = vscode.workspace.fs,
  settleMs: number = claimSettleMs,
): JournalStore {
  const folder = vscode.Uri.joinPath(storage, 'jobs');
  const pending = new Map<string, Promise<void>>();
  const fileFor = (id: string): vscode.Uri => vscode.Uri.joinPath(folder, `${safeId(id)}.json`);
  const leases = createLeaseKeeper(workspaceLeaseFiles(folder, fileSystem, settleMs));

  const read = async (uri: vscode.Uri, expectedName?: string): Promise<JobRecord | undefined> => {
    try {
      const parsed = parseJobRecordText(new TextDecoder().decode(await fileSystem.readFile(uri)));
      if (!parsed.ok) log.warn(`Ignoring the job file ${uri.path}: ${parsed.reason}.`);
      else if (expectedName !== undefined && `${safeId(parsed.record.id)}.json` !== expectedName) log.warn(`Ignoring the job file ${uri.path}: its id "${parsed.record.id}" is not its file name.`);
      else return parsed.record;
    } catch (error) {
      if (!isNotFound(error)) log.warn(`Could not read the job file ${uri.path}: ${String(error)}`);
    }
    return undefined;
  };

  const write = async (job: JobRecord): Promise<void> => {
    await fileSystem.createDirectory(folder);
    const target = fileFor(job.id);
    const temp = vscode.Uri.joinPath(folder, `.${safeId(job.id)}.${randomBytes(6).toString('hex')}.tmp`);
    await fileSystem.writeFile(temp, new TextEncoder().encode(JSON.stringify(job)));
    try {
      await fileSystem.rename(temp, target, { overwrite: true });
    } catch (error) {
      await fileSystem.delete(temp).then(undefined, () => undefined);
      throw error;
    }
    // The heartbeat rides on record writes (the poll loop saves at most every leaseHeartbeatMs).
    await leases.beat(safeId(job.id), job.lease);
  };

  const serialised = (id: string, task: () => Promise<void>): Promise<void> => {
    const previous = pending.get(id) ?? Promise.resolve();
    const next = previous.then(task, task);
    pending.set(id, next);
    void next.then(
      () => pending.get(id) === next && pending.delete(id),
      () => pending.get(id) === next && pending.delete(id),
    );
    return next;
  };

  return {
    async list() {
      let entries: [string, vscode.FileType][];
      try {
        entries = await fileSystem.readDirectory(folder);
      } catch {
        return [];
      }
      const names = entries.filter(([name]) => name.endsWith('.json') && !name.startsWith('.'));
      // A bounded number of reads at a time: thousands of records must not exhaust file descriptors.
      const jobs = await mapBounded(names, journalReadConcurrency, async ([name, type]) => {
        const uri = vscode.Uri.joinPath(folder, name);
        if ((type & vscode.FileType.Directory) !== 0) {
          log.warn(`Ignoring ${uri.path}: a folder, not a job record.`);
          return undefined;
        }
        return read(uri, name);
      });
      return jobs.filter((job): job is JobRecord => job !== undefined);
    },
    get: (id) => read(fileFor(id)),
    // A snapshot is taken now: the caller keeps mutating the record while the write is queued.
    put: (job) => {
      const snapshot = structuredClone(job);
      return serialised(job.id, () => write(snapshot));
    },
    remove: (id) =>
      serialised(id, async () => {
        try {
          await fileSystem.delete(fileFor(id));
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        await leases.removeAll(safeId(id));
      }),
    async claim(jobId, owner, now, isOwnerGone) {
      await fileSystem.createDirectory(folder);
      return leases.claim(safeId(jobId), owner, now, isOwnerGone);
    },
    release: (jobId, owner) => leases.release(safeId(jobId), owner),
  };
}

/**
 * Lease files over workspace.fs, which has no exclusive create: `writeFile` takes no flags, and
 * `rename(…, { overwrite: false })` is VS Code's check-then-rename (it stats the target, then renames),
 * not an atomic operation. So a claim writes a temporary file, renames it into place without
 * overwrite, reads it back, waits `settleMs` and reads it back again; only a claim whose own content
 * (with its random nonce) is still there both times counts. Two windows claiming in the same instant
 * can both pass VS Code's existence check, but the later rename replaces the earlier one's file,
 * and the earlier one then reads the other's content and gives way. What remains possible: a claimer
 * stalled for longer than `settleMs` between VS Code's check and its rename (a frozen extension host).
 * Replacing a lease (heartbeat, release) is VS Code's delete-then-rename, so the holder's file is
 * briefly absent; a claimer that looks in that instant creates the next generation and, if the
 * holder's rename lands after its check, both may hold it. Between CLI processes (link(2)) none of this applies.
 */
export function workspaceLeaseFiles(folder: vscode.Uri, fileSystem: vscode.FileSystem, settleMs: number): LeaseFiles {
  const uriOf = (name: string): vscode.Uri => vscode.Uri.joinPath(folder, name);
  const temporary = (name: string): vscode.Uri => vscode.Uri.joinPath(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const readText = async (name: string): Promise<string | undefined> => {
    try {
      return new TextDecoder().decode(await fileSystem.readFile(uriOf(name)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const moveIntoPlace = async (name: string, content: string, overwrite: boolean): Promise<boolean> => {
    const temp = temporary(name);
    await fileSystem.writeFile(temp, new TextEncoder().encode(content));
    try {
      await fileSystem.rename(temp, uriOf(name), { overwrite });
      return true;
    } catch (error) {
      await fileSystem.delete(temp).then(undefined, () => undefined);
      // However the file system words "already exists", a target that is there now means we lost.
      if (!overwrite && (isFileExists(error) || (await readText(name)) !== undefined)) return false;
      throw error;
    }
  };
  return {
    async createExclusive(name, content) {
      if (!(await moveIntoPlace(name, content, false))) return false;
      if ((await readText(name)) !== content) return false;
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      return (await readText(name)) === content;
    },
    read: readText,
    replace: async (name, content) => {
      await moveIntoPlace(name, content, true);
    },
    async remove(name) {
      try {
        await fileSystem.delete(uriOf(name));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}

/** Job ids come from the runner; anything outside a safe file-name alphabet is encoded. */
function safeId(id: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : encodeURIComponent(id).replace(/[%.*]/g, '_').slice(0, 100);
}

function isNotFound(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound');
}

function isFileExists(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && (error.code === 'FileExists' || error.code === 'EntryExists');
}
