import type * as vscode from 'vscode';
import type { TokenRates } from '../core/cost';
import type { ModelId, ProviderId } from '../core/ids';
import type { JobOutput } from '../core/journal';
import type { AskKeepOrStop } from '../core/jobHandle';
import type { JobOwner } from '../core/jobOwner';
import type { Provenance } from '../core/provenance';
import type { JobRunner } from '../core/runner';
import type { Logger } from '../core/logger';

/**
 * What the Studio needs from the host, injected by engine.ts so the panel does not reach into
 * SecretStorage, settings or the runner's construction itself.
 */
export interface StudioServices {
  readonly extensionUri: vscode.Uri;
  /** The extension's global storage: its `studio-previews` folder is a resource root of the panel. */
  readonly storageUri?: vscode.Uri | undefined;
  readonly log: Logger;
  /** Replaces every registered API key in a text (core/secrets.ts); applied to all the page sees. */
  scrub(text: string): string;
  readonly runner: JobRunner;
  /** Which providers have a key stored (never the keys). */
  keyStatus(): Promise<Readonly<Record<ProviderId, boolean>>>;
  /** Calls `listener` when a provider key is set or cleared, in this window or another (SecretStorage.onDidChange). */
  onKeysChanged?(listener: () => void): vscode.Disposable;
  /** The provider and model preselected for a fresh panel (settings). */
  defaults(): { readonly provider: ProviderId; readonly model: ModelId; readonly partialImages?: number | undefined };
  /** OpenAI token rates (setting `gptImage.openaiPricing`, else core/cost.ts defaults). */
  tokenRates(): TokenRates;
  /** Streamed partial images per request (setting `gptImage.partialImages`); absent means 0. */
  partialImages?(): number;
  /** Where streamed previews are written for the page (a resource root of the panel); absent: no previews shown. */
  readonly previews?: StudioPreviewFiles | undefined;
  /** Output folders of the open workspace folders (URIs); history and thumbnails come from these. */
  outputFolders(): readonly vscode.Uri[];
  /** Where a new job writes (checked on disk); rejects with a user-facing message when there is nowhere. */
  jobOutput(): Promise<JobOutput>;
  /** Runs the Studio's jobs (one paid job per Generate request id) and keeps them when the panel closes. */
  readonly owner: JobOwner;
  /** The host's keep-or-stop question (a modal dialog); core's cancelJob decides what each answer means. */
  readonly askKeepOrStop: AskKeepOrStop;
  /** The one actionable sentence for an error (host/errorText.ts), scrubbed of keys. */
  describeError(error: unknown, jobId?: string): string;
  /** An image's provenance sidecar, if it can be read. */
  readProvenance(image: vscode.Uri): Promise<Provenance | undefined>;
  /** The text editor the user last worked in (the webview takes focus, so "active" is not enough). */
  lastTextEditor(): vscode.TextEditor | undefined;
}

/**
 * Temporary files for streamed partial images: the page loads them through asWebviewUri (never
 * base64 over postMessage). They live in a folder that is one of the panel's resource roots.
 */
export interface StudioPreviewFiles {
  readonly folder: vscode.Uri;
  /** Writes `name` in the folder and returns its URI. */
  write(name: string, bytes: Uint8Array): Promise<vscode.Uri>;
  /** Best effort: a preview left behind is swept with the folder. */
  remove(uri: vscode.Uri): Promise<void>;
}
