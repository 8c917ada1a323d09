import type { ProviderId } from '../core/ids';
import { createJobRunner } from '../core/jobRunner';
import type { JobRecord, JournalStore } from '../core/journal';
import type { JobRunner } from '../core/runner';
import { downloadResult } from '../providers/download';
import type { HttpClient } from '../providers/http';
import type { ImageProvider, Logger } from '../providers/types';
import { createFileImageWriter } from './fileImageWriter';
import { readFile } from 'node:fs/promises';

/** The CLI keeps the base URL a job was sent to, so a resume polls the host that holds the task. */
export type CliJobRecord = JobRecord & { baseUrl?: string };

/** Stamps `baseUrl` on every record this process writes (the core record type does not know it). */
export function stampingJournal(inner: JournalStore, baseUrlOf: (job: JobRecord) => string | undefined): JournalStore {
  return {
    list: () => inner.list(),
    get: (id) => inner.get(id),
    remove: (id) => inner.remove(id),
    put: (job) => {
      const baseUrl = baseUrlOf(job);
      return inner.put(baseUrl === undefined ? job : ({ ...job, baseUrl } as CliJobRecord));
    },
  };
}

export interface CliRunnerOptions {
  readonly journal: JournalStore;
  readonly http: HttpClient;
  readonly log: Logger;
  readonly provider: (id: ProviderId) => ImageProvider;
  readonly pollIntervalMs: number | undefined;
}

export function createCliRunner(options: CliRunnerOptions): JobRunner {
  const cache = new Map<ProviderId, ImageProvider>();
  return createJobRunner({
    provider: (id) => {
      let provider = cache.get(id);
      if (!provider) {
        provider = options.provider(id);
        cache.set(id, provider);
      }
      return provider;
    },
    journal: options.journal,
    writer: createFileImageWriter(),
    log: options.log,
    now: () => Date.now(),
    pollIntervalOverrideMs: options.pollIntervalMs,
    download: (url, { signal, provider }) => downloadResult(options.http, url, { signal, provider }),
    readInput: async (reference) => new Uint8Array(await readFile(reference.source)),
  });
}
