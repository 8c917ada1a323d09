import * as vscode from 'vscode';
import { commandIds, studioViewType } from './commands/commands';
import type { CommandId } from './commands/commands';
import type * as EngineModule from './engine';

/**
 * Activation only wires: command registrations and the panel serializer. Everything with a cost
 * (undici, zod, providers, the journal) lives in engine.js and is required on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  let engine: Promise<EngineModule.Engine> | undefined;
  const loadEngine = (): Promise<EngineModule.Engine> => {
    engine ??= Promise.resolve().then(() => {
      // Kept out of the activation bundle by esbuild (external); resolved next to this file.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require('./engine.js') as typeof EngineModule;
      return module.createEngine(context);
    });
    return engine;
  };

  const run = async (id: CommandId, args: unknown[]): Promise<unknown> => {
    try {
      return await (await loadEngine()).runCommand(id, args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`GPT Image Studio could not start: ${message}`);
      return undefined;
    }
  };

  for (const id of commandIds) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => run(id, args)));
  }
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(studioViewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => (await loadEngine()).restoreStudio(panel, state),
    }),
  );
  // Jobs that were polling when the window closed continue once the engine is up; loading it
  // is deferred so activation itself stays cheap.
  const resume = setTimeout(() => void loadEngine().then((loaded) => loaded.resumeJobs()).catch(() => undefined), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(resume) });
}

export function deactivate(): void {
  // Subscriptions dispose everything; in-flight jobs stay in the journal and resume next time.
}
