import * as vscode from 'vscode';
import { isProviderId, providerIds, providerLabels } from '../core/ids';
import type { ProviderId } from '../core/ids';
import { inputText } from '../host/quickInput';
import type { StepPosition, StepResult } from '../host/quickInput';
import type { Services } from '../host/services';

/** Keys are opaque to us; this only catches what is certainly a paste mistake. */
export function apiKeyProblem(text: string): string | undefined {
  const key = text.trim();
  if (key === '') return vscode.l10n.t('Paste the API key.');
  if (/\s/.test(key)) return vscode.l10n.t('An API key has no spaces or line breaks.');
  return undefined;
}

/**
 * The password box for one provider's key, stored in SecretStorage only. Used by this command and,
 * inline, by "Generate Image…" when the chosen provider has no key yet.
 */
export async function askApiKey(services: Services, provider: ProviderId, position?: StepPosition): Promise<StepResult<string>> {
  const label = providerLabels[provider];
  const result = await inputText({
    title: position?.title ?? vscode.l10n.t('{0} API key', label),
    step: position?.step ?? 1,
    totalSteps: position?.totalSteps ?? 1,
    prompt: vscode.l10n.t('Paste your {0} API key. It is kept in VS Code\'s secret storage and sent only to {0}\'s configured base URL.', label),
    placeholder: vscode.l10n.t('{0} API key', label),
    password: true,
    validate: (text) => ({ error: apiKeyProblem(text) }),
  });
  if (result.kind === 'value') {
    await services.keys.set(provider, result.value.trim());
    services.log.info(`Stored an API key for ${label}.`);
    // The walkthrough's first step completes on this key (package.json contributes.walkthroughs).
    void vscode.commands.executeCommand('setContext', 'gptImage.keyStored', true);
  }
  return result;
}

/** `GPT Image: Set API Key…` — pick a provider (or get one as argument), then the password box. */
export function createSetApiKeyCommand(services: Services): (...args: unknown[]) => Promise<boolean> {
  return async (...args) => {
    const given = typeof args[0] === 'string' && isProviderId(args[0]) ? args[0] : undefined;
    const provider = given ?? (await pickProvider(services));
    if (!provider) return false;
    const result = await askApiKey(services, provider);
    if (result.kind !== 'value') return false;
    void vscode.window.showInformationMessage(vscode.l10n.t('The {0} API key is stored.', providerLabels[provider]));
    return true;
  };
}

async function pickProvider(services: Services): Promise<ProviderId | undefined> {
  const status = await services.keys.status();
  const items = providerIds.map((id) => ({
    id,
    label: providerLabels[id],
    description: status[id] ? vscode.l10n.t('$(key) key set (replace it)') : vscode.l10n.t('no key'),
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Set API Key'),
    placeHolder: vscode.l10n.t('Which provider is the key for?'),
    ignoreFocusOut: true,
  });
  return chosen?.id;
}
