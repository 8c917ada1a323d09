import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { JobRecord, JournalStore } from '../core/journal';
import type { Logger } from '../providers/types';

/**
 * The job journal in the extension's global storage: one JSON file per job under `jobs/`,
 * written to a temporary name and renamed over the old one so a crash mid-write leaves the
 * previous version, never half a file. Writes to one job are serialised so an older state can
 * never land after a newer one.
 */
export function createJournalStore(storage: vscode.Uri, log: Logger, fileSystem: vscode.FileSystem = vscode.workspace.fs): JournalStore {
  const folder = vscode.Uri.joinPath(storage, 'jobs');
  const pending = new Map<string, Promise<void>>();
  const fileFor = (id: string): vscode.Uri => vscode.Uri.joinPath(folder, `${safeId(id)}.json`);

  const read = async (uri: vscode.Uri): Promise<JobRecord | undefined> => {
    try {
      const parsed = JSON.parse(new TextDecoder().decode(await fileSystem.readFile(uri))) as unknown;
      if (isJobRecord(parsed)) return parsed;
      log.warn(`Ignoring ${uri.path}: not a job record this version understands.`);
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
      const names = entries.filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.json') && !name.startsWith('.'));
      const jobs = await Promise.all(names.map(([name]) => read(vscode.Uri.joinPath(folder, name))));
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
      }),
  };
}

/** Job ids come from the runner; anything outside a safe file-name alphabet is encoded. */
function safeId(id: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : encodeURIComponent(id).replace(/[%.*]/g, '_').slice(0, 100);
}

function isJobRecord(value: unknown): value is JobRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<JobRecord>;
  return record.version === 1 && typeof record.id === 'string' && Array.isArray(record.tasks) && typeof record.request === 'object';
}

function isNotFound(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound');
}
