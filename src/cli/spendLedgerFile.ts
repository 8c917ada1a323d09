import { mkdir, open, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSpendLines, utcMonthOf } from '../core/spendLedger';
import type { SpendEntry, SpendLedgerStore } from '../core/spendLedger';

const monthFile = /^(\d{4}-\d{2})\.jsonl$/;

/**
 * The CLI's spend ledger: `<home>/spend/<YYYY-MM>.jsonl` (UTC month of the entry), one JSON line per
 * entry appended with O_APPEND in a single write, so entries from several processes never interleave.
 * Each entry starts with a newline: a line torn by a crash mid-append is cut off from the next entry
 * and skipped on reading, never glued to it.
 */
export function createFileSpendLedger(home: string): SpendLedgerStore {
  const dir = join(home, 'spend');
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
      const texts = await Promise.all(months.sort().map((name) => readFile(join(dir, name), 'utf8')));
      return texts.flatMap(parseSpendLines).filter((entry) => sinceMs === undefined || entry.at >= sinceMs);
    },
  };
}
