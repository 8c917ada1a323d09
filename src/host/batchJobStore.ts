import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { BatchJobRecord, BatchJobStore } from '../core/batch/batchApiJob';
import { parseBatchJobRecordText } from '../core/batch/batchApiJobSchema';
import { createLeaseKeeper } from '../core/jobLease';
import type { Logger } from '../core/logger';
import { claimSettleMs, workspaceLeaseFiles } from './journalStore';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The window's Batch API jobs in global storage, beside the journal: `batches/<id>.json` and each
 * part's JSONL as `batches/<id>.part-<k>.jsonl` (kept before it is uploaded), the same layout as the
 * CLI's `$GPT_IMAGE_HOME/batches/`. Every file is written to a hidden temporary name and renamed into
 * place (a crash leaves the previous version, never half a file); writes to one job are serialised so
 * an older state never lands after a newer one; leases are the journal's (journalStore.ts).
 */
export function createBatchJobStore(storage: vscode.Uri, log: Logger, fileSystem: vscode.FileSystem = vscode.workspace.fs, settleMs: number = claimSettleMs): BatchJobStore {
  const folder = vscode.Uri.joinPath(storage, 'batches');
  const uriOf = (id: string, suffix: string): vscode.Uri => {
    if (!idPattern.test(id)) throw new Error(`"${id}" is not a job id.`);
    return vscode.Uri.joinPath(folder, `${id}${suffix}`);
  };
  const leases = createLeaseKeeper(workspaceLeaseFiles(folder, fileSystem, settleMs));
  const pending = new Map<string, Promise<void>>();

  const replace = async (target: vscode.Uri, text: string): Promise<void> => {
    await fileSystem.createDirectory(folder);
    const temp = vscode.Uri.joinPath(folder, `.${target.path.split('/').pop() ?? 'batch'}.${randomBytes(6).toString('hex')}.tmp`);
    await fileSystem.writeFile(temp, new TextEncoder().encode(text));
    try {
      await fileSystem.rename(temp, target, { overwrite: true });
    } catch (error) {
      await fileSystem.delete(temp).then(undefined, () => undefined);
      throw error;
    }
  };

  const serialised = (id: string, task: () => Promise<void>): Promise<void> => {
    const next = (pending.get(id) ?? Promise.resolve()).then(task, task);
    pending.set(id, next);
    const settle = (): void => {
      if (pending.get(id) === next) pending.delete(id);
    };
    void next.then(settle, settle);
    return next;
  };

  const read = async (uri: vscode.Uri, id: string): Promise<BatchJobRecord | undefined> => {
    let text: string;
    try {
      text = new TextDecoder().decode(await fileSystem.readFile(uri));
    } catch (error) {
      if (!isNotFound(error)) log.warn(`Could not read the Batch API job ${uri.path}: ${String(error)}`);
      return undefined;
    }
    const parsed = parseBatchJobRecordText(text);
    if (!parsed.ok || parsed.record.id !== id) {
      log.warn(`Ignoring the Batch API job ${uri.path}: ${parsed.ok ? 'its id is not its file name' : parsed.reason}.`);
      return undefined;
    }
    return parsed.record;
  };

  const entries = async (): Promise<[string, vscode.FileType][]> => {
    try {
      return await fileSystem.readDirectory(folder);
    } catch {
      return [];
    }
  };

  /**
   * workspace.fs replaces a file by deleting it, then renaming the new one into place: a window that
   * closes in between leaves only the temporary, which was written in full before the rename began.
   * The newest valid one is the job's latest state (a temporary cut short does not parse and is skipped).
   */
  const recover = async (id: string, names: readonly string[]): Promise<BatchJobRecord | undefined> => {
    const prefix = `.${id}.json.`;
    const temporaries = names.filter((name) => name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length)));
    let newest: BatchJobRecord | undefined;
    for (const name of temporaries) {
      const text = await fileSystem.readFile(vscode.Uri.joinPath(folder, name)).then((bytes) => new TextDecoder().decode(bytes), () => undefined);
      const parsed = text === undefined ? undefined : parseBatchJobRecordText(text);
      if (parsed?.ok && parsed.record.id === id && (newest === undefined || parsed.record.updatedAt >= newest.updatedAt)) newest = parsed.record;
    }
    if (newest) log.warn(`Batch API job ${id}: its record was being replaced when the window closed; using the last complete copy.`);
    return newest;
  };

  const readOrRecover = async (id: string): Promise<BatchJobRecord | undefined> => {
    const found = await read(uriOf(id, '.json'), id);
    if (found) return found;
    return recover(id, (await entries()).map(([name]) => name));
  };

  return {
    async list() {
      const names = (await entries()).filter(([, type]) => (type & vscode.FileType.Directory) === 0).map(([name]) => name);
      const ids = new Set(names.filter((name) => name.endsWith('.json') && !name.startsWith('.')).map((name) => name.slice(0, -'.json'.length)));
      for (const name of names) {
        const match = /^\.(.+)\.json\.[0-9a-f]{12}\.tmp$/.exec(name);
        if (match?.[1] !== undefined) ids.add(match[1]);
      }
      const records = await Promise.all([...ids].filter((id) => idPattern.test(id)).map(async (id) => (await read(uriOf(id, '.json'), id)) ?? recover(id, names)));
      return records.filter((record): record is BatchJobRecord => record !== undefined);
    },
    get: (id) => readOrRecover(id),
    put: (job) => {
      // A snapshot now: the runner keeps changing the record while the write waits its turn.
      const text = `${JSON.stringify(job)}\n`;
      const target = uriOf(job.id, '.json');
      const lease = job.lease === undefined ? undefined : { ...job.lease };
      return serialised(job.id, async () => {
        await replace(target, text);
        await leases.beat(job.id, lease);
      });
    },
    putInput: (id, part, jsonl) => replace(uriOf(id, `.part-${part + 1}.jsonl`), jsonl),
    getInput: async (id, part) => new TextDecoder().decode(await fileSystem.readFile(uriOf(id, `.part-${part + 1}.jsonl`))),
    async claim(id, owner, now, isOwnerGone) {
      uriOf(id, '.json');
      await fileSystem.createDirectory(folder);
      return leases.claim(id, owner, now, isOwnerGone);
    },
    release: (id, owner) => leases.release(id, owner),
  };
}

function isNotFound(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound');
}
