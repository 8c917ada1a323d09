import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { journalReadConcurrency, mapBounded } from '../core/concurrency';
import { oldestKeptSpendMonth, parseSpendEntry, spendEntryFileName, utcMonthOf } from '../core/spendLedger';
import type { SpendEntry, SpendLedgerStore } from '../core/spendLedger';

const monthFolder = /^\d{4}-\d{2}$/;

/**
 * The extension's ledger format, in plain Node: `<folder>/<YYYY-MM>/<entry>.json`, one file per entry,
 * written to a hidden temporary name and renamed into place (host/spendLedgerStore.ts writes and reads
 * the same files, named by the same spendEntryFileName). `gpt-image mcp` uses it when VS Code starts
 * it with GPT_IMAGE_SPEND_LEDGER set to the window's global storage `spend/`, so the window's jobs and
 * the agent's count against one set of caps.
 */
export function createFolderSpendLedger(folder: string, now: () => number = Date.now): SpendLedgerStore {
  let pruned = false;
  return {
    async append(entry: SpendEntry) {
      const month = join(folder, utcMonthOf(entry.at));
      await mkdir(month, { recursive: true });
      const name = spendEntryFileName(entry, randomBytes(4).toString('hex'));
      const temp = join(month, `.${name}.tmp`);
      const handle = await open(temp, 'wx');
      try {
        await handle.write(JSON.stringify(entry));
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temp, join(month, `${name}.json`));
      if (!pruned) {
        pruned = true;
        await pruneFolderLedger(folder, now()).catch(() => undefined);
      }
    },
    async read(sinceMs) {
      const from = sinceMs === undefined ? '' : utcMonthOf(sinceMs);
      const months = (await listOrEmpty(folder)).filter((name) => monthFolder.test(name) && name >= from).sort();
      const entries: SpendEntry[] = [];
      for (const month of months) {
        const names = (await listOrEmpty(join(folder, month))).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
        // A bounded number of reads at a time, as the extension does: a busy month has thousands of entries.
        const texts = await mapBounded(names, journalReadConcurrency, (name) => readFile(join(folder, month, name), 'utf8').catch(ignoreMissing));
        for (const text of texts) {
          const entry = text === undefined ? undefined : parseSpendEntry(text);
          if (entry && (sinceMs === undefined || entry.at >= sinceMs)) entries.push(entry);
        }
      }
      return entries.sort((a, b) => a.at - b.at);
    },
  };
}

/** Removes the month folders older than the ledger keeps (core/spendLedger.ts keptSpendMonths). */
export async function pruneFolderLedger(folder: string, now: number): Promise<void> {
  const oldest = oldestKeptSpendMonth(now);
  for (const name of await listOrEmpty(folder)) {
    if (monthFolder.test(name) && name < oldest) await rm(join(folder, name), { recursive: true, force: true });
  }
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/** A file listed a moment ago may have been pruned by another process since: it is simply gone. */
function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
