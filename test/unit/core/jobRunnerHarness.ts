import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileJournalStore } from '../../../src/cli/fileJournalStore';
import { createFileRescueStore } from '../../../src/cli/rescueStore';
import type { ProviderId } from '../../../src/core/ids';
import { createJobRunner } from '../../../src/core/jobRunner';
import type { JournalStore } from '../../../src/core/journal';
import type { ImageWriter } from '../../../src/core/output';
import type { JobRunner } from '../../../src/core/runner';
import { downloadResult } from '../../../src/providers/download';
import { createHttpClient } from '../../../src/providers/http';
import type { HttpClient } from '../../../src/core/httpClient';
import { createProvider } from '../../../src/providers/registry';
import type { Logger } from '../../../src/core/logger';
import type { SpendPort } from '../../../src/core/spendRecorder';

export const silentLog: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface RunnerRig {
  readonly runner: JobRunner;
  readonly journal: JournalStore;
  readonly outDir: string;
  /** The journal's home: records are in `<home>/jobs/<id>.json`. */
  readonly home: string;
  readonly http: HttpClient;
}

/** What a test may change about a rig's runner (a logger to watch, another owner, a clock). */
export interface RigOptions {
  readonly log?: Logger;
  readonly ownerId?: string;
  readonly now?: () => number;
  readonly staleSubmitMs?: number;
  /** Wraps the real node:fs writer (a test that makes a write fail after the preflight). */
  readonly writer?: (real: ImageWriter) => ImageWriter;
  /** The spend ledger and limits the runner guards with (none by default). */
  readonly spend?: SpendPort;
  /** How often the runner checks its leases for a due heartbeat (the default is 10 s). */
  readonly leaseCheckEveryMs?: number;
}

/** A runner over the real providers, the real node:fs journal and writer, in a fresh temp folder. */
export function runnerRig(baseUrls: Partial<Record<ProviderId, string>>, home?: string, rigOptions: RigOptions = {}): RunnerRig {
  const root = home ?? mkdtempSync(join(tmpdir(), 'gpt-image-runner-'));
  const journal = createFileJournalStore(join(root, 'home'));
  const http = createHttpClient({ log: silentLog });
  const runner = createJobRunner({
    provider: (id, jobBaseUrl) =>
      createProvider(id, {
        baseUrl: jobBaseUrl ?? baseUrls[id] ?? 'https://unused.invalid',
        http,
        getApiKey: async () => `sk-test-${id}-key`,
        log: rigOptions.log ?? silentLog,
        now: () => Date.now(),
        requestTimeoutMs: 30_000,
      }),
    baseUrlFor: (id) => baseUrls[id],
    ownerId: rigOptions.ownerId,
    journal,
    writer: rigOptions.writer ? rigOptions.writer(createFileImageWriter()) : createFileImageWriter(),
    rescue: createFileRescueStore(join(root, 'home')),
    log: rigOptions.log ?? silentLog,
    now: rigOptions.now ?? (() => Date.now()),
    pollIntervalOverrideMs: 20,
    download: (url, options) => downloadResult(http, url, { ...options, baseDelayMs: 20 }),
    spend: rigOptions.spend,
  }, {
    ...(rigOptions.staleSubmitMs === undefined ? {} : { staleSubmitMs: rigOptions.staleSubmitMs }),
    ...(rigOptions.leaseCheckEveryMs === undefined ? {} : { leaseCheckEveryMs: rigOptions.leaseCheckEveryMs }),
  });
  return { runner, journal, outDir: join(root, 'out'), home: join(root, 'home'), http };
}

/**
 * Starts a Modellix job and stops waiting once its task polls, as a Ctrl-C would: the job stays
 * 'polling' in the journal, leased to the rig's owner. The caller holds the fake's tasks (hold: true).
 */
export async function leavePolling(rig: RunnerRig, prompt: string): Promise<string> {
  const controller = new AbortController();
  let jobId = '';
  await assert.rejects(
    rig.runner.run({
      request: { provider: 'modellix', model: 'gpt-image-2', prompt, size: '1024x1024' },
      output: { dir: rig.outDir, template: '{slug}-{index}' },
      signal: controller.signal,
      onJobCreated: (job) => (jobId = job.id),
      onProgress: (progress) => {
        if (progress.phase === 'polling') controller.abort();
      },
    }),
  );
  return jobId;
}
