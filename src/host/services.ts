import * as vscode from 'vscode';
import { setL10nBundle } from './l10nText';
import { resolveInputSource } from './inputSource';
import { InputError } from '../core/errors';
import { normalizeBaseUrl } from '../core/baseUrl';
import { defaultBaseUrls, providerLabels } from '../core/ids';
import type { ProviderId } from '../core/ids';
import { createJobRunner, staleSubmitMsFor } from '../core/jobRunner';
import type { InputReference, JournalStore } from '../core/journal';
import type { ImageWriter } from '../core/output';
import type { JobRunner, RunnerDependencies } from '../core/runner';
import { downloadResult } from '../providers/download';
import type { HttpClient } from '../core/httpClient';
import { createProvider } from '../providers/registry';
import type { ImageProvider } from '../core/provider';
import type { Logger } from '../core/logger';
import type { SpendLedgerStore } from '../core/spendLedger';
import { createApiKeyStore } from './apiKeyStore';
import { createBatchApiHost } from './batchApiHost';
import type { BatchApiWindow } from './batchApiWindow';
import type { ApiKeyStore } from './apiKeyStore';
import { JobOwner } from '../core/jobOwner';
import { createBackgroundView } from './jobViews';
import { createJournalStore } from './journalStore';
import { storageFileSystem } from './localFileSystem';
import { createChannelLogger } from './log';
import { createRescueStore } from './rescueStore';
import { createSpendLedgerStore } from './spendLedgerStore';
import { createSecretScrubber } from '../core/secrets';
import type { SecretScrubber } from '../core/secrets';
import { createSettingsReader } from './settings';
import type { SettingsReader } from './settings';
import { createWorkspaceWriter } from './workspaceWriter';
import { showError } from './messages';
import { createWindowHttp } from './windowHttp';

/**
 * Everything the commands, the Edit flow and the Studio share, created once on first use (the
 * engine bundle is loaded lazily, so none of this costs anything at startup).
 */
export interface Services {
  readonly context: vscode.ExtensionContext;
  /** The "GPT Image Studio" log channel (Show Log reveals it). */
  readonly channel: vscode.LogOutputChannel;
  /** The same channel as the providers' Logger; every line is scrubbed of keys. */
  readonly log: Logger;
  readonly scrubber: SecretScrubber;
  readonly keys: ApiKeyStore;
  readonly settings: SettingsReader;
  readonly journal: JournalStore;
  readonly writer: ImageWriter;
  readonly runner: JobRunner;
  /** Every job running in this window; the notification, the Studio, the status bar and Show Jobs watch it. */
  readonly owner: JobOwner;
  /**
   * Throws InputError (nothing sent) when the provider cannot be used as configured: an invalid
   * base URL, or plain http to a host that is not loopback.
   */
  checkProvider(id: ProviderId): void;
  /**
   * A provider with a context built from the current settings; with `baseUrl` (a journaled job's),
   * at that URL, but only while it is still trusted (the user-level setting or the default).
   */
  provider(id: ProviderId, baseUrl?: string): ImageProvider;
  /** Reads a journaled input file again (a manual resubmit of an edit). */
  readInput(reference: Extract<InputReference, { kind: 'file' }>): Promise<Uint8Array>;
  /** The window's OpenAI Batch API jobs (host/batchApiWindow.ts). */
  readonly batchApi: BatchApiWindow;
  /** The validated base URL a new job of `id` is sent to; throws InputError when it cannot be used. */
  baseUrlFor(id: ProviderId): string;
  readonly spendLedger: SpendLedgerStore;
}

export function createServices(context: vscode.ExtensionContext): Services {
  // The editor-free modules translate through host/l10nText.ts: hand them VS Code's bundle first.
  setL10nBundle(vscode.l10n.bundle);
  const channel = vscode.window.createOutputChannel('GPT Image Studio', { log: true });
  context.subscriptions.push(channel);
  const scrubber = createSecretScrubber();
  const log = createChannelLogger(channel, scrubber);
  const settings = createSettingsReader(log);
  const keys = createApiKeyStore(context.secrets, scrubber);
  // Atomic replaces and exact lease claims where global storage is a local folder (localFileSystem.ts).
  const storageFs = storageFileSystem(context.globalStorageUri);
  const journal = createJournalStore(context.globalStorageUri, log, storageFs);
  const writer = createWorkspaceWriter();

  // One HTTP client (connection pool) until the proxy settings change; the old one then drains.
  let http: HttpClient | undefined;
  const currentHttp = (): HttpClient => {
    if (!http) {
      const proxy = settings.proxy();
      http = createWindowHttp({ proxy: proxy.proxy, noProxy: proxy.noProxy, log });
    }
    return http;
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (http && (event.affectsConfiguration('http.proxy') || event.affectsConfiguration('http.noProxy'))) {
        const old = http;
        http = undefined;
        void old.close().catch(() => undefined);
      }
    }),
    { dispose: () => void http?.close().catch(() => undefined) },
  );

  const baseUrlFor = (id: ProviderId): string => {
    const base = settings.baseUrl(id);
    if (!base.ok) throw new InputError([base.error]);
    return base.url;
  };

  /** A job's recorded base URL, if it is still one the user trusts: a journal must not redirect the key. */
  const jobBaseUrl = (id: ProviderId, recorded: string): string => {
    const trusted = [settings.baseUrl(id), normalizeBaseUrl(defaultBaseUrls[id])].flatMap((url) => (url.ok ? [url.url] : []));
    const checked = normalizeBaseUrl(recorded);
    if (checked.ok && trusted.includes(checked.url)) return checked.url;
    throw new InputError([
      vscode.l10n.t('This job was sent to {0} at {1}, which is no longer your gptImage.{2}.baseUrl (nor the default): it is not contacted with your API key. Set that base URL again to finish the job, or discard it.', providerLabels[id], recorded, id),
    ]);
  };

  const provider = (id: ProviderId, recordedBaseUrl?: string): ImageProvider =>
    createProvider(id, {
      baseUrl: recordedBaseUrl === undefined ? baseUrlFor(id) : jobBaseUrl(id, recordedBaseUrl),
      http: currentHttp(),
      getApiKey: () => keys.require(id),
      log,
      now: () => Date.now(),
      requestTimeoutMs: settings.requestTimeoutMs(),
    });

  const readInput = async (reference: Extract<InputReference, { kind: 'file' }>): Promise<Uint8Array> => {
    // One reader for every source Edit Image, the Studio or an older record wrote (inputSource.ts).
    const uri = resolveInputSource(reference.source);
    if (!uri) throw new InputError([vscode.l10n.t('Cannot find {0} in this workspace.', reference.source)]);
    return vscode.workspace.fs.readFile(uri);
  };

  const spendLedger = createSpendLedgerStore(context.globalStorageUri, log, storageFs);
  const ownerId = windowOwnerId(context);
  const dependencies: RunnerDependencies = {
    provider,
    baseUrlFor,
    ownerId,
    journal,
    writer,
    // Beside the journal: paid images that cannot be written into the workspace are kept here.
    rescue: createRescueStore(context.globalStorageUri, storageFs),
    log,
    now: () => Date.now(),
    // A getter: the runner reads it when it schedules a poll, so a settings change applies at once.
    get pollIntervalOverrideMs() {
      return settings.pollIntervalOverrideMs();
    },
    download: (url, options) => downloadResult(currentHttp(), url, { signal: options.signal, provider: providerLabels[options.provider] }),
    readInput,
    // Beside the journal in global storage; the limits are read at every run (a settings change applies at once).
    spend: { ledger: spendLedger, limits: () => settings.spendLimits() },
  };
  const runner = createJobRunner(dependencies, {
    // A getter: the request timeout setting may change while the extension runs.
    get staleSubmitMs() {
      return staleSubmitMsFor(settings.requestTimeoutMs());
    },
    get journalRetentionMs() {
      return settings.journalRetentionMs();
    },
  });
  const owner = new JobOwner(runner, log);
  // Disposal (the window closing) stops waiting; the journal keeps every job for next time.
  context.subscriptions.push(createBackgroundView({ owner, log, scrubber, settings }), { dispose: () => void owner.dispose() });

  const batchApi = createBatchApiHost({
    context,
    log,
    writer,
    ledger: spendLedger,
    ownerId,
    http: currentHttp,
    trustedBaseUrl: (recorded) => jobBaseUrl('openai', recorded),
    getApiKey: () => keys.require('openai'),
    requestTimeoutMs: () => settings.requestTimeoutMs(),
    pollIntervalOverrideMs: () => settings.pollIntervalOverrideMs(),
    showError: (error, jobId) => void showError({ log, scrubber }, error, { jobId, title: vscode.l10n.t('Batch API job {0}', jobId) }),
  });

  return {
    context,
    channel,
    log,
    scrubber,
    keys,
    settings,
    journal,
    writer,
    runner,
    owner,
    checkProvider: (id) => void baseUrlFor(id),
    provider,
    readInput,
    batchApi,
    baseUrlFor,
    spendLedger,
  };
}

/**
 * This window's owner id for job leases, kept in workspace state: a reloaded window is the same
 * owner and takes its own jobs back at once, while another window waits for the lease to expire.
 */
function windowOwnerId(context: vscode.ExtensionContext): string {
  const key = 'gptImage.jobOwnerId';
  const known = context.workspaceState.get<string>(key);
  if (known) return known;
  const fresh = `window:${globalThis.crypto.randomUUID()}`;
  void context.workspaceState.update(key, fresh);
  return fresh;
}
