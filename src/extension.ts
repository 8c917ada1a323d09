import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from './commands/commands';
import type { CommandId } from './commands/commands';
import type * as EngineModule from './engine';
import { registerAgentEntryPoints } from './host/agentRegistration';
import { createStudioPanel, showStudioPage } from './webview/studioShell';
import { studioViewType } from './webview/studioViewType';

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
    const loading = engine;
    // A failed start is not cached: the next command tries again (a transient error need not stick).
    loading.catch(() => {
      if (engine === loading) engine = undefined;
    });
    return loading;
  };

  /** `skip`: the command's target went away while the engine loaded (a Studio closed at once). */
  const run = async (id: CommandId, args: unknown[], skip?: () => boolean): Promise<unknown> => {
    let loaded: EngineModule.Engine;
    try {
      loaded = await loadEngine();
    } catch (error) {
      // Only this is "could not start": a command's own failure is reported by the engine (commands/handlers.ts).
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(vscode.l10n.t('GPT Image Studio could not start: {0}', message));
      return undefined;
    }
    if (skip?.()) return undefined;
    return loaded.runCommand(id, args);
  };

  // One Studio per window. Its panel and page are made here, before the engine loads, so that the
  // webview's start-up (seconds on a first open) overlaps with loading the engine.
  let studio: vscode.WebviewPanel | undefined;
  // A panel closed before the engine loaded must not be adopted: touching its webview throws.
  const disposed = new WeakSet<vscode.WebviewPanel>();
  const trackStudio = (panel: vscode.WebviewPanel): vscode.WebviewPanel => {
    studio = panel;
    panel.onDidDispose(() => {
      disposed.add(panel);
      if (studio === panel) studio = undefined;
    });
    return panel;
  };
  const openStudio = async (): Promise<unknown> => {
    if (studio) {
      studio.reveal();
      return undefined;
    }
    const panel = trackStudio(createStudioPanel(context.extensionUri, context.globalStorageUri));
    return run('gptImage.openStudio', [panel], () => disposed.has(panel));
  };

  for (const id of commandIds) {
    // Arguments from other callers never reach the Studio handler: it only takes the panel made here.
    const handler = id === 'gptImage.openStudio' ? openStudio : (...args: unknown[]) => run(id, args);
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(studioViewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        showStudioPage(trackStudio(panel).webview, context.extensionUri, context.globalStorageUri);
        const loaded = await loadEngine();
        if (disposed.has(panel)) return;
        return loaded.restoreStudio(panel, state);
      },
    }),
  );
  registerAgentEntryPoints(context, loadEngine);
  // Batch files: the provider is here so their CodeLenses show once the file opens; the parser and
  // the plan load with the engine, only for a file that matches.
  const lensesChanged = new vscode.EventEmitter<void>();
  let watcher: vscode.FileSystemWatcher | undefined;
  context.subscriptions.push(
    lensesChanged,
    { dispose: () => watcher?.dispose() },
    // Internal (not in the palette): a batch run here says when its files changed.
    vscode.commands.registerCommand(internalCommandIds[0], () => lensesChanged.fire()),
    vscode.languages.registerCodeLensProvider(
      [{ pattern: '**/*.images.{yaml,yml,json}' }],
      {
        onDidChangeCodeLenses: lensesChanged.event,
        provideCodeLenses: async (document) => {
          // An image written or moved (by a run here or the CLI) changes an entry's state.
          if (!watcher) {
            watcher = vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,webp}');
            watcher.onDidCreate(() => lensesChanged.fire());
            watcher.onDidDelete(() => lensesChanged.fire());
          }
          try {
            return await (await loadEngine()).batchLenses(document);
          } catch {
            return [];
          }
        },
      },
    ),
  );
  // Jobs that were polling when the window closed continue once the engine is up; loading it
  // is deferred so activation itself stays cheap.
  const resume = setTimeout(() => void loadEngine().then((loaded) => loaded.resumeJobs()).catch(() => undefined), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(resume) });
}

export function deactivate(): void {
  // Subscriptions dispose everything; in-flight jobs stay in the journal and resume next time.
}
