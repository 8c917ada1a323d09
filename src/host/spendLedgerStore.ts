import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { mapBounded, journalReadConcurrency } from '../core/concurrency';
import type { Logger } from '../core/logger';
import { oldestKeptSpendMonth, parseSpendEntry, spendEntryFileName, utcMonthOf } from '../core/spendLedger';
import type { SpendEntry, SpendLedgerStore } from '../core/spendLedger';

/**
 * The extension's spend ledger in global storage: `spend/<YYYY-MM>/<entry>.json` (UTC month), one file
 * per entry. workspace.fs has no append, so each entry is a new file under a unique name (time, job,
 * random), written to a temporary name and renamed into place: windows and processes writing at once
 * never touch each other's files, and a crash leaves a hidden temporary that reading skips. The
 * first append of a window removes the month folders older than the ledger keeps (core/spendLedger.ts
 * keptSpendMonths): never the current or the previous month, the only ones a writer adds to.
 */
export function createSpendLedgerStore(storage: vscode.Uri, log: Logger, fileSystem: vscode.FileSystem = vscode.workspace.fs, now: () => number = Date.now): SpendLedgerStore {
  const folder = spendLedgerFolder(storage);
  let pruned = false;
  const prune = async (): Promise<void> => {
    const oldest = oldestKeptSpendMonth(now());
    for (const [name, type] of await fileSystem.readDirectory(folder)) {
      if ((type & vscode.FileType.Directory) !== 0 && /^\d{4}-\d{2}$/.test(name) && name < oldest) {
        // Another window pruning at the same moment may have removed it first.
        await fileSystem.delete(vscode.Uri.joinPath(folder, name), { recursive: true, useTrash: false }).then(undefined, (error: unknown) => {
          if (!(error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound'))) throw error;
        });
      }
    }
  };
  // An entry's file never changes once renamed into place, so each is read once per window: a
  // batch checks the ledger before every job, and a busy month holds thousands of entries.
  const known = new Map<string, SpendEntry>();
  return {
    async append(entry) {
      const month = vscode.Uri.joinPath(folder, utcMonthOf(entry.at));
      await fileSystem.createDirectory(month);
      const name = spendEntryFileName(entry, randomBytes(4).toString('hex'));
      const temp = vscode.Uri.joinPath(month, `.${name}.tmp`);
      await fileSystem.writeFile(temp, new TextEncoder().encode(JSON.stringify(entry)));
      await fileSystem.rename(temp, vscode.Uri.joinPath(month, `${name}.json`), { overwrite: false });
      if (!pruned) {
        pruned = true;
        await prune().catch((error: unknown) => log.warn(`Could not remove old months of the spend ledger: ${String(error)}`));
      }
    },
    async read(sinceMs) {
      let months: [string, vscode.FileType][];
      try {
        months = await fileSystem.readDirectory(folder);
      } catch {
        return [];
      }
      const from = sinceMs === undefined ? '' : utcMonthOf(sinceMs);
      const wanted = months.filter(([name, type]) => (type & vscode.FileType.Directory) !== 0 && /^\d{4}-\d{2}$/.test(name) && name >= from);
      const files = (
        await Promise.all(
          wanted.map(async ([name]) => {
            const month = vscode.Uri.joinPath(folder, name);
            const entries = await fileSystem.readDirectory(month).then(undefined, () => [] as [string, vscode.FileType][]);
            return entries.filter(([file]) => file.endsWith('.json') && !file.startsWith('.')).map(([file]) => vscode.Uri.joinPath(month, file));
          }),
        )
      ).flat();
      // A bounded number of reads at a time, as for the journal: a busy month has thousands of entries.
      const entries = await mapBounded(files, journalReadConcurrency, async (uri) => {
        const cached = known.get(uri.toString());
        if (cached) return cached;
        try {
          const parsed = parseSpendEntry(new TextDecoder().decode(await fileSystem.readFile(uri)));
          if (!parsed) log.warn(`Ignoring the spend entry ${uri.path}: it is not a valid entry.`);
          else known.set(uri.toString(), parsed);
          return parsed;
        } catch (error) {
          log.warn(`Could not read the spend entry ${uri.path}: ${String(error)}`);
          return undefined;
        }
      });
      return entries.filter((entry): entry is SpendEntry => entry !== undefined && (sinceMs === undefined || entry.at >= sinceMs)).sort((a, b) => a.at - b.at);
    },
  };
}

/** The ledger's folder in global storage (also handed to `gpt-image mcp`: host/mcpEnvironment.ts). */
export function spendLedgerFolder(storage: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(storage, 'spend');
}
