import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchJobRecord, BatchJobStore } from '../core/batch/batchApiJob';
import { parseBatchJobRecordText } from '../core/batch/batchApiJobSchema';
import { createLeaseKeeper } from '../core/jobLease';
import { replaceAtomically } from './atomicFile';
import { nodeLeaseFiles } from './fileJournalStore';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Batch API jobs beside the journal: `<home>/batches/<id>.json` (replaced atomically, fsynced), the
 * JSONL of each part as `<id>.part-<k>.jsonl` (kept before it is uploaded), and leases exactly as
 * the jobs' (createFileJournalStore): link(2), exact between processes on one machine.
 */
export function createFileBatchJobStore(home: string, onCorrupt?: (file: string, reason: string) => void): BatchJobStore {
  const dir = join(home, 'batches');
  const pathOf = (id: string, suffix: string): string => {
    if (!idPattern.test(id)) throw new Error(`"${id}" is not a job id.`);
    return join(dir, `${id}${suffix}`);
  };
  const leases = createLeaseKeeper(nodeLeaseFiles(dir));

  async function read(file: string, id: string): Promise<BatchJobRecord | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = parseBatchJobRecordText(text);
    if (!parsed.ok || parsed.record.id !== id) {
      onCorrupt?.(file, parsed.ok ? 'its id is not its file name' : parsed.reason);
      return undefined;
    }
    return parsed.record;
  }

  return {
    async list() {
      let names: string[];
      try {
        names = (await readdir(dir)).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const records = await Promise.all(names.map((name) => read(join(dir, name), name.slice(0, -'.json'.length)).catch(() => undefined)));
      return records.filter((record): record is BatchJobRecord => record !== undefined);
    },
    get: (id) => read(pathOf(id, '.json'), id),
    async put(job) {
      await mkdir(dir, { recursive: true });
      await replaceAtomically(pathOf(job.id, '.json'), `${JSON.stringify(job, null, 2)}\n`);
      await leases.beat(job.id, job.lease);
    },
    async putInput(id, part, jsonl) {
      await mkdir(dir, { recursive: true });
      await replaceAtomically(pathOf(id, `.part-${part + 1}.jsonl`), jsonl);
    },
    getInput: (id, part) => readFile(pathOf(id, `.part-${part + 1}.jsonl`), 'utf8'),
    async claim(id, owner, now, isOwnerGone) {
      pathOf(id, '.json');
      await mkdir(dir, { recursive: true });
      return leases.claim(id, owner, now, isOwnerGone);
    },
    release: (id, owner) => leases.release(id, owner),
  };
}
