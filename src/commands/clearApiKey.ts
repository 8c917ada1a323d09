import * as vscode from 'vscode';
import { isProviderId, providerIds, providerLabels } from '../core/ids';
import type { ProviderId } from '../core/ids';
import type { Services } from '../host/services';

/** `GPT Image: Clear API Key…` — pick among the providers that have a key, and delete it. */
export function createClearApiKeyCommand(services: Services): (...args: unknown[]) => Promise<boolean> {
  return async (...args) => {
    const status = await services.keys.status();
    const stored = providerIds.filter((id) => status[id]);
    if (stored.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No API keys are stored.'));
      return false;
    }
    const given = typeof args[0] === 'string' && isProviderId(args[0]) ? args[0] : undefined;
    const provider: ProviderId | undefined =
      given ??
      (
        await vscode.window.showQuickPick(
          stored.map((id) => ({ id, label: providerLabels[id], description: vscode.l10n.t('$(key) key set') })),
          { title: vscode.l10n.t('Clear API Key'), placeHolder: vscode.l10n.t('Which provider\'s key should be deleted?'), ignoreFocusOut: true },
        )
      )?.id;
    if (!provider) return false;
    if (!status[provider]) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No {0} API key is stored.', providerLabels[provider]));
      return false;
    }
    await services.keys.delete(provider);
    services.log.info(`Deleted the API key for ${providerLabels[provider]}.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('The {0} API key was deleted.', providerLabels[provider]));
    return true;
  };
}
