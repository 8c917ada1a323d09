import type { ModelCapability } from '../../core/capabilities';
import type { ProviderId } from '../../core/ids';
import type { StudioState } from '../formModel';
import type { ToHost, ToWebview } from '../protocol';

export type InitMessage = Extract<ToWebview, { type: 'init' }>;
export type DoneMessage = Extract<ToWebview, { type: 'done' }>;

/** What the views share: the persisted state, what the host said at `init`, and ways to talk back. */
export interface StudioContext {
  readonly state: StudioState;
  /** Replaced when the host answers a repeated `ready` with another `init`. */
  init: InitMessage;
  keys: Readonly<Record<ProviderId, boolean>>;
  /**
   * The Generate request sent but not yet answered by its `job` (or `done`): Generate stays
   * disabled meanwhile, so a double click does not start two paid jobs.
   */
  pendingGenerate: string | undefined;
  /** Persists the state (vscode.setState) so a hide or reload keeps it. */
  save(): void;
  send(message: ToHost): void;
  /** Sends a request with a fresh id; `onReply` gets the `done` echoing it. */
  request(build: (requestId: string) => ToHost, onReply?: (reply: DoneMessage) => void): string;
  capability(): ModelCapability;
  /** A status line for the user (aria-live). */
  notify(text: string, kind: 'info' | 'error'): void;
  /** Rebuilds the form (after the provider or model changed, or a preset was loaded). */
  renderForm(): void;
}
