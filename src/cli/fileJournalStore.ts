import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { JobRecord, JournalStore } from '../core/journal';
import { replaceAtomically } from './atomicFile';

/** `$GPT_IMAGE_HOME`, else `$XDG_STATE_HOME/gpt-image`, else `~/.local/state/gpt-image`. */
export function gptImageHome(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.GPT_IMAGE_HOME) return environment.GPT_IMAGE_HOME;
  const state = environment.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'gpt-image');
}

const jobIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The CLI's journal: one JSON file per job in `<home>/jobs/`, each replaced atomically and fsynced
 * before `put` returns, so a SIGKILL at any moment leaves either the previous or the new record.
 */
export function createFileJournalStore(home: string, onCorrupt?: (file: string, error: unknown) => void): JournalStore {
  const dir = join(home, 'jobs');
  const pathOf = (id: string): string => {
    // Ids become file names: anything that could escape the folder is refused.
    if (!jobIdPattern.test(id)) throw new Error(`"${id}" is not a job id.`);
    return join(dir, `${id}.json`);
  };

  async function read(file: string): Promise<JobRecord | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const record = JSON.parse(text) as JobRecord;
      if (record.version !== 1 || typeof record.id !== 'string' || !Array.isArray(record.tasks)) throw new Error('not a job record');
      return record;
    } catch (error) {
      onCorrupt?.(file, error);
      return undefined;
    }
  }

  return {
    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const records = await Promise.all(names.filter((name) => name.endsWith('.json') && !name.startsWith('.')).map((name) => read(join(dir, name))));
      return records.filter((record): record is JobRecord => record !== undefined);
    },
    get: async (id) => read(pathOf(id)),
    async put(job) {
      await mkdir(dir, { recursive: true });
      await replaceAtomically(pathOf(job.id), `${JSON.stringify(job, null, 2)}\n`);
    },
    async remove(id) {
      await rm(pathOf(id), { force: true });
    },
  };
}
