import type { ModelCapability } from '../../core/capabilities';
import type { ProviderId } from '../../core/ids';
import type { StudioState } from '../formModel';
import type { PreviewState } from '../previewModel';
import type { StudioRoute, ToHost, ToWebview } from '../protocol';

export type InitMessage = Extract<ToWebview, { type: 'init' }>;
export type DoneMessage = Extract<ToWebview, { type: 'done' }>;

/** What the page shows but does not persist: the open preview, the view, the status line. */
export interface UiState {
  view: StudioRoute;
  preview: PreviewState | undefined;
  /** Where focus goes back when the preview closes. */
  previewOpener: HTMLElement | undefined;
  /** The "Compare on…" chooser is open. */
  comparing: boolean;
  status: { readonly text: string; readonly kind: 'info' | 'error' };
  /** The latest change of a job's state, for the screen reader (its own live region). */
  announcement: string;
}

/** What the views share: the persisted state, what the host said at `init`, and ways to talk back. */
export interface StudioContext {
  readonly state: StudioState;
  readonly ui: UiState;
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
  /** A status line for the user. */
  notify(text: string, kind: 'info' | 'error'): void;
  /**
   * Renders the page from the state. Keyed and in place: elements that stay keep focus, selection
   * and scroll. `after` runs once the DOM is up to date (to move focus to something new).
   */
  update(after?: () => void): void;
}
