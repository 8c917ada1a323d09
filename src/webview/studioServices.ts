import type * as vscode from 'vscode';
import type { TokenRates } from '../core/cost';
import type { ModelId, ProviderId } from '../core/ids';
import type { JobOutput } from '../core/journal';
import type { JobResult, JobRunner } from '../core/runner';
import type { Logger } from '../providers/types';

/**
 * What the Studio needs from the host, injected by engine.ts so the panel does not reach into
 * SecretStorage, settings or the runner's construction itself.
 */
export interface StudioServices {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  /** Replaces every registered API key in a text (host/secretScrubber.ts); applied to all the page sees. */
  scrub(text: string): string;
  readonly runner: JobRunner;
  /** Which providers have a key stored (never the keys). */
  keyStatus(): Promise<Readonly<Record<ProviderId, boolean>>>;
  /** The provider and model preselected for a fresh panel (settings). */
  defaults(): { readonly provider: ProviderId; readonly model: ModelId };
  /** OpenAI token rates (setting `gptImage.openaiPricing`, else core/cost.ts defaults). */
  tokenRates(): TokenRates;
  /** Output folders of the open workspace folders (URIs); history and thumbnails come from these. */
  outputFolders(): readonly vscode.Uri[];
  /** Where a new job writes (checked on disk); rejects with a user-facing message when there is nowhere. */
  jobOutput(): Promise<JobOutput>;
  /**
   * Takes over a job that keeps running without the panel (Cancel → "Keep in background", or the
   * panel closed while a job runs): host/backgroundJobs.ts `adopt`.
   */
  readonly background: { adopt(jobId: string, work: Promise<JobResult>): void };
  /** The text editor the user last worked in (the webview takes focus, so "active" is not enough). */
  lastTextEditor(): vscode.TextEditor | undefined;
}
