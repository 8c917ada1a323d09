import { mkdir, open, readFile, readdir, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../core/errors';
import { oldestKeptSpendMonth, parseSpendLines, spendLedgerEnvVar, utcMonthOf } from '../core/spendLedger';
import type { SpendEntry, SpendLedgerStore } from '../core/spendLedger';
import { gptImageHome } from './fileJournalStore';
import { createFolderSpendLedger } from './spendLedgerFolder';

const monthFile = /^(\d{4}-\d{2})\.jsonl$/;

/**
 * The CLI's spend ledger: `<home>/spend/<YYYY-MM>.jsonl` (UTC month of the entry), one JSON line per
 * entry appended with O_APPEND in a single write, so entries from several processes never interleave.
 * Each entry starts with a newline: a line torn by a crash mid-append is cut off from the next entry
 * and skipped on reading, never glued to it. The first append of a process removes the months
 * older than the ledger keeps (core/spendLedger.ts keptSpendMonths): never one a writer appends to.
 */
export function createFileSpendLedger(home: string, now: () => number = Date.now): SpendLedgerStore {
  const dir = join(home, 'spend');
  let pruned = false;
  return {
    async append(entry: SpendEntry) {
      await mkdir(dir, { recursive: true });
      const handle = await open(join(dir, `${utcMonthOf(entry.at)}.jsonl`), 'a');
      try {
        await handle.write(`\n${JSON.stringify(entry)}`);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      if (!pruned) {
        pruned = true;
        await pruneMonthFiles(dir, now()).catch(() => undefined);
      }
    },
    async read(sinceMs) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const from = sinceMs === undefined ? '' : utcMonthOf(sinceMs);
      const months = names.flatMap((name) => {
        const month = monthFile.exec(name)?.[1];
        return month !== undefined && month >= from ? [name] : [];
      });
      // A month listed a moment ago may have been pruned by another process since: it is simply gone.
      const texts = await Promise.all(months.sort().map((name) => readFile(join(dir, name), 'utf8').catch(ignoreMissing)));
      return texts.flatMap((text) => (text === undefined ? [] : parseSpendLines(text))).filter((entry) => sinceMs === undefined || entry.at >= sinceMs);
    },
  };
}

async function pruneMonthFiles(dir: string, now: number): Promise<void> {
  const oldest = oldestKeptSpendMonth(now);
  for (const name of await readdir(dir)) {
    const month = monthFile.exec(name)?.[1];
    if (month !== undefined && month < oldest) await unlink(join(dir, name)).catch(ignoreMissing);
  }
}

function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}

/**
 * The ledger this process counts against: the extension's (per-entry files in the folder named by
 * GPT_IMAGE_SPEND_LEDGER, when VS Code started it) or the CLI's own beside its journal.
 */
export function cliSpendLedger(env: NodeJS.ProcessEnv): SpendLedgerStore {
  const folder = env[spendLedgerEnvVar];
  if (folder === undefined || folder === '') return createFileSpendLedger(gptImageHome(env));
  if (isAbsolute(folder)) return createFolderSpendLedger(folder);
  // Not another ledger in its place: a ledger that cannot be used refuses capped runs (core/spendGuard.ts).
  const refused = (): Promise<never> =>
    Promise.reject(new InputError([`${spendLedgerEnvVar} must be an absolute folder path (it is ${JSON.stringify(folder)}); unset it to use the ledger beside the journal.`]));
  return { append: refused, read: refused };
}
