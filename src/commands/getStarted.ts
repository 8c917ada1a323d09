import * as vscode from 'vscode';
import type { Services } from '../host/services';

/** The walkthrough's id as VS Code knows it: `<publisher>.<name>#<walkthrough id>` (package.json). */
export function walkthroughId(services: Services): string {
  return `${services.context.extension.id}#gptImage.gettingStarted`;
}

/** `GPT Image: Get Started` — opens the walkthrough (also offered on the Welcome page). */
export function createGetStartedCommand(services: Services): () => Promise<void> {
  return async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId(services), false);
  };
}

/**
 * `GPT Image: Show Agents Guide` — the README's "Agents" section (Copilot tools and the
 * `gpt-image mcp` server) in the Markdown preview. The walkthrough's last step completes on it.
 */
export function createShowAgentsGuideCommand(services: Services): () => Promise<void> {
  return async () => {
    const readme = vscode.Uri.joinPath(services.context.extensionUri, 'README.md').with({ fragment: 'agents' });
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  };
}
