import { providerLabels } from '../core/ids';
import { t } from './l10nText';
import type { ProviderId } from '../core/ids';
import type { FreeCheckResult } from '../providers/freeCheck';

/**
 * What "GPT Image: Check Setup" found, and the words for it (editor-free, so it is tested in plain
 * Node): one verdict per provider and per output folder, a one-line summary for the notification
 * and the detail lines for the log.
 */
export interface ProviderSetup {
  readonly provider: ProviderId;
  readonly keyStored: boolean;
  /** The base URL in use, or why the setting is refused. */
  readonly baseUrl: { readonly ok: true; readonly url: string } | { readonly ok: false; readonly error: string };
  /** undefined when nothing was sent (no key, or a refused base URL). */
  readonly check: FreeCheckResult | undefined;
}

export interface FolderSetup {
  /** Workspace-relative, as the user knows it (`images`, or `site: assets/generated`). */
  readonly label: string;
  /** undefined: writable. */
  readonly error: string | undefined;
}

export type ProviderVerdict = 'ready' | 'unchecked' | 'noKey' | 'failed';

export function providerVerdict(setup: ProviderSetup): ProviderVerdict {
  if (!setup.baseUrl.ok) return 'failed';
  if (!setup.keyStored) return 'noKey';
  const check = setup.check;
  if (check === undefined || check.kind === 'noFreeEndpoint') return 'unchecked';
  return check.kind === 'answered' && check.keyAccepted ? 'ready' : 'failed';
}

/** One log line per provider: key, base URL, what the free request answered (or why none was sent). */
export function providerLine(setup: ProviderSetup): string {
  const label = providerLabels[setup.provider];
  if (!setup.baseUrl.ok) return `${label}: the base URL setting is refused: ${setup.baseUrl.error}`;
  const key = setup.keyStored ? 'key stored' : 'no key stored (Set API Key… adds one)';
  const where = `base URL ${setup.baseUrl.url}`;
  const check = setup.check;
  if (!setup.keyStored) return `${label}: ${key}; ${where} not contacted.`;
  if (check === undefined || check.kind === 'noFreeEndpoint') {
    return `${label}: ${key}; ${where} not contacted: ${label} has no request that costs nothing, and a paid one is never sent to check.`;
  }
  if (check.kind === 'answered') return `${label}: ${key}; ${where} answered: ${check.detail}.`;
  return `${label}: ${key}; ${where} FAILED: ${check.detail}.`;
}

export function folderLine(folder: FolderSetup): string {
  return folder.error === undefined ? `Output folder ${folder.label}: writable.` : `Output folder ${folder.label}: NOT writable: ${folder.error}`;
}

export interface SetupSummary {
  /** true when something is broken (a failed provider or an output folder that cannot be written). */
  readonly problems: boolean;
  readonly message: string;
}

/** The notification's sentence: what works, what failed, what could not be checked. */
export function setupSummary(providers: readonly ProviderSetup[], folders: readonly FolderSetup[]): SetupSummary {
  const names = (verdict: ProviderVerdict): string[] => providers.filter((setup) => providerVerdict(setup) === verdict).map((setup) => providerLabels[setup.provider]);
  const ready = names('ready');
  const failed = names('failed');
  const unchecked = names('unchecked');
  const parts: string[] = [];
  if (failed.length > 0) parts.push(t('{0} failed', list(failed)));
  if (ready.length > 0) parts.push(ready.length === 1 ? t('{0} answers', list(ready)) : t('{0} answer', list(ready)));
  if (unchecked.length > 0) parts.push(t('{0}: key stored, not contacted (no free request)', list(unchecked)));
  if (ready.length + failed.length + unchecked.length === 0) parts.push(t('no API key is stored yet (run Set API Key…)'));
  const badFolders = folders.filter((folder) => folder.error !== undefined);
  if (folders.length === 0) parts.push(t('no workspace folder is open, so there is nowhere to save images'));
  else if (badFolders.length > 0) parts.push(t('the output folder {0} cannot be written', list(badFolders.map((folder) => folder.label))));
  else parts.push(t('the output folder {0} is writable', list(folders.map((folder) => folder.label))));
  const problems = failed.length > 0 || badFolders.length > 0 || folders.length === 0;
  const message = problems ? t('Check Setup: {0}. Details are in the log.', parts.join('; ')) : t('Check Setup: {0}.', parts.join('; '));
  return { problems, message };
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : t('{0} and {1}', items.slice(0, -1).join(', '), items[items.length - 1] as string);
}
