import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { normalizeBaseUrl } from '../core/baseUrl';
import { InputError } from '../core/errors';
import type { ProviderId } from '../core/ids';
import { createJobRunner, staleSubmitMsFor } from '../core/jobRunner';
import { dayMs, defaultJournalRetentionDays } from '../core/journal';
import type { JournalStore } from '../core/journal';
import type { JobRunner } from '../core/runner';
import { downloadResult } from '../providers/download';
import type { HttpClient } from '../core/httpClient';
import type { ImageProvider } from '../core/provider';
import type { Logger } from '../core/logger';
import { createFileImageWriter } from './fileImageWriter';
import { gptImageHome } from './fileJournalStore';
import { buildProvider, requestTimeoutMs, resolveBaseUrl } from './providerSetup';
import { createFileRescueStore } from './rescueStore';
import { cliSpendLimits } from './spendCommand';
import { cliSpendLedger } from './spendLedgerFile';

export interface CliRunnerOptions {
  readonly journal: JournalStore;
  readonly http: HttpClient;
  readonly log: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** The base URL new jobs are sent to (--base-url or the environment), recorded in each job. */
  readonly baseUrlFor?: ((id: ProviderId) => string) | undefined;
  readonly pollIntervalMs: number | undefined;
}

/** This process as a job-lease owner. */
export function cliOwnerId(): string {
  return `cli:${hostname()}:${process.pid}`;
}

/**
 * A lease held by a CLI process on this machine that no longer exists is void at once, so
 * `gpt-image resume` after a kill -9 does not wait for the heartbeat to expire.
 */
export function isDeadLocalProcess(owner: string): boolean {
  const match = /^cli:(.*):(\d+)$/.exec(owner);
  if (!match || match[1] !== hostname()) return false;
  try {
    process.kill(Number(match[2]), 0);
    return false;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; only "no such process" means gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * `GPT_IMAGE_JOURNAL_RETENTION_DAYS`: how long finished jobs stay in the journal (default 30). A value
 * that is not a positive number is reported and the default used: a typo must not stop a resume.
 */
export function journalRetentionMs(env: NodeJS.ProcessEnv, log: Logger): number {
  const raw = env.GPT_IMAGE_JOURNAL_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === '') return defaultJournalRetentionDays * dayMs;
  const days = Number(raw);
  if (Number.isFinite(days) && days > 0) return days * dayMs;
  log.warn(`GPT_IMAGE_JOURNAL_RETENTION_DAYS must be a positive number of days, not "${raw}"; keeping finished jobs ${defaultJournalRetentionDays} days.`);
  return defaultJournalRetentionDays * dayMs;
}

export function createCliRunner(options: CliRunnerOptions): JobRunner {
  const cache = new Map<string, ImageProvider>();
  // A job is polled where it was sent: its recorded base URL wins over today's environment.
  const urlFor = (id: ProviderId, recorded: string | undefined): string => {
    if (recorded === undefined) return options.baseUrlFor?.(id) ?? resolveBaseUrl(id, undefined, options.env);
    const checked = normalizeBaseUrl(recorded);
    if (!checked.ok) throw new InputError([`The base URL recorded for this job cannot be used: ${checked.error}`]);
    return checked.url;
  };
  return createJobRunner(
    {
      provider: (id, recorded) => {
        const baseUrl = urlFor(id, recorded);
        const key = `${id} ${baseUrl}`;
        let provider = cache.get(key);
        if (!provider) {
          provider = buildProvider(id, baseUrl, options.http, options.log, options.env);
          cache.set(key, provider);
        }
        return provider;
      },
      baseUrlFor: (id) => urlFor(id, undefined),
      ownerId: cliOwnerId(),
      isOwnerGone: isDeadLocalProcess,
      journal: options.journal,
      writer: createFileImageWriter(),
      // Beside the journal: paid images that cannot be written are kept in $GPT_IMAGE_HOME/rescued.
      rescue: createFileRescueStore(gptImageHome(options.env)),
      log: options.log,
      now: () => Date.now(),
      pollIntervalOverrideMs: options.pollIntervalMs,
      download: (url, { signal, provider }) => downloadResult(options.http, url, { signal, provider }),
      readInput: async (reference) => new Uint8Array(await readFile(reference.source)),
      // Beside the journal: $GPT_IMAGE_HOME/spend/, limits from GPT_IMAGE_SPEND_LIMIT (read per run).
      spend: { ledger: cliSpendLedger(options.env), limits: () => cliSpendLimits(options.env) },
    },
    { staleSubmitMs: staleSubmitMsFor(requestTimeoutMs), journalRetentionMs: journalRetentionMs(options.env, options.log) },
  );
}
