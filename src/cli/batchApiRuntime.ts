import { normalizeBaseUrl } from '../core/baseUrl';
import { createBatchRunner } from '../core/batch/batchApiRunner';
import { InputError } from '../core/errors';
import type { HttpClient } from '../core/httpClient';
import type { Logger } from '../core/logger';
import { apiKeyEnvVars } from '../core/ids';
import { ProviderError } from '../core/errors';
import { createOpenAiBatchApi } from '../providers/openai/batchApi';
import { createFileBatchJobStore } from './batchJobStore';
import { createFileImageWriter } from './fileImageWriter';
import { gptImageHome } from './fileJournalStore';
import { requestTimeoutMs } from './providerSetup';
import { createFileRescueStore } from './rescueStore';
import { cliOwnerId, isDeadLocalProcess } from './runtime';

export type CliBatchRunner = ReturnType<typeof createBatchRunner>;

/** The Batch API runner over the CLI's journal folder, writer and rescue store (as createCliRunner for jobs). */
export function createCliBatchRunner(options: { readonly http: HttpClient; readonly log: Logger; readonly env: NodeJS.ProcessEnv; readonly pollIntervalMs: number | undefined }): CliBatchRunner {
  const home = gptImageHome(options.env);
  return createBatchRunner({
    store: createFileBatchJobStore(home, (file, reason) => options.log.warn(`ignoring Batch API job ${file}: ${reason}`)),
    api: (baseUrl) => {
      // A job is polled where it was sent, and only at a base URL that may carry the key.
      const checked = normalizeBaseUrl(baseUrl);
      if (!checked.ok) throw new InputError([`The base URL recorded for this job cannot be used: ${checked.error}`]);
      return createOpenAiBatchApi({
        baseUrl: checked.url,
        http: options.http,
        log: options.log,
        now: () => Date.now(),
        requestTimeoutMs,
        getApiKey: async () => {
          const key = options.env[apiKeyEnvVars.openai]?.trim();
          if (!key) throw new ProviderError({ kind: 'auth', provider: 'openai', message: `${apiKeyEnvVars.openai} is not set.` });
          return key;
        },
      });
    },
    writer: createFileImageWriter(),
    rescue: createFileRescueStore(home),
    log: options.log,
    now: () => Date.now(),
    ownerId: cliOwnerId(),
    isOwnerGone: isDeadLocalProcess,
    pollIntervalOverrideMs: options.pollIntervalMs,
  });
}
