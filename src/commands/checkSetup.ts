import * as vscode from 'vscode';
import { checkSetup } from '../host/setupCheck';
import type { Services } from '../host/services';

/**
 * `GPT Image: Check Setup` — for each provider: is a key stored, does its base URL answer a request
 * that costs nothing (where one exists), and can the output folder be written. A summary
 * notification, the details in the log. Nothing paid is ever sent.
 */
export function createCheckSetupCommand(services: Services): () => Promise<boolean> {
  return async () => {
    const controller = new AbortController();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('GPT Image: checking setup'), cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return checkSetup(services, controller.signal);
      },
    );
    const showLog = vscode.l10n.t('Show Log');
    const show = result.summary.problems ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void Promise.resolve(show(result.summary.message, showLog)).then((choice) => {
      if (choice === showLog) services.channel.show(true);
    });
    return !result.summary.problems;
  };
}
