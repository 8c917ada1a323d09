import { mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { RescueStore } from '../core/output';
import { replaceAtomically } from './atomicFile';

const jobIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The CLI's keep for paid images that could not be written into their folder:
 * `<home>/rescued/<job id>/<name>`, each written atomically and fsynced before `keep` returns.
 * Reads and removals are refused outside that folder: a location comes from the journal.
 */
export function createFileRescueStore(home: string): RescueStore {
  const root = resolve(home, 'rescued');
  const inside = (location: string): string => {
    const path = resolve(location);
    if (!path.startsWith(root + sep)) throw new Error(`${location} is not in GPT Image's storage (${root}).`);
    return path;
  };
  return {
    async keep(jobId, name, bytes) {
      if (!jobIdPattern.test(jobId) || !namePattern.test(name)) throw new Error(`Cannot keep "${name}" of job "${jobId}": not a safe file name.`);
      const folder = join(root, jobId);
      await mkdir(folder, { recursive: true });
      const target = join(folder, name);
      await replaceAtomically(target, bytes);
      return target;
    },
    async read(location) {
      return new Uint8Array(await readFile(inside(location)));
    },
    async remove(location) {
      const path = inside(location);
      await rm(path, { force: true });
      // The job's folder goes with its last copy; a folder still holding others stays.
      await rmdir(dirname(path)).catch(() => undefined);
    },
  };
}
