/**
 * Maps `items` through `work` with at most `limit` calls in flight, results in input order. Reading
 * thousands of journal files at once would exhaust file descriptors (EMFILE under `ulimit -n 256`).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** How many journal files a store reads at a time. */
export const journalReadConcurrency = 32;
