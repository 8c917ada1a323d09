import type * as vscode from 'vscode';
import type { CommandId } from './commands/commands';
import { commandFactories } from './commands/handlers';
import type { AgentEngine } from './host/agentRegistration';
import { createAgentTools } from './host/agentTools';
import { mcpServerEnvironment } from './host/mcpEnvironment';
import { batchLenses } from './host/batchLenses';
import { createServices } from './host/services';
import { spendLedgerFolder } from './host/spendLedgerStore';
import type { Services } from './host/services';
import { studioServicesFor } from './webview/studioHost';
import { restoreStudio } from './webview/serializer';

/** Everything behind the commands, loaded on first use (see extension.ts). */
export interface Engine extends AgentEngine {
  runCommand(id: CommandId, args: readonly unknown[]): Promise<unknown>;
  restoreStudio(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  resumeJobs(): Promise<void>;
  /** The CodeLenses of a batch file (host/batchLenses.ts). */
  batchLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]>;
}

/**
 * Builds the services when the engine loads (the first command, the Studio or a resume: that is
 * their first use) and each command's handler on its first run, then dispatches. A failure here is
 * the engine failing to start; a command's own failure is reported by commands/handlers.ts.
 * This module is its own bundle (dist/engine.js): undici, zod and the providers load with it.
 */
export function createEngine(context: vscode.ExtensionContext): Engine {
  const services: Services = createServices(context);
  const handlers = new Map<CommandId, (...args: unknown[]) => Promise<unknown>>();
  const currentServices = (): Services => services;
  const agentTools = createAgentTools(services);

  return {
    runCommand: async (id, args) => {
      let handler = handlers.get(id);
      if (!handler) {
        handler = commandFactories[id](currentServices());
        handlers.set(id, handler);
      }
      return handler(...args);
    },
    prepareAgentTool: (kind, input) => agentTools.prepare(kind, input),
    invokeAgentTool: (kind, input, token) => agentTools.invoke(kind, input, token),
    // The server counts against the window's ledger; storage that is not a local folder (a virtual
    // file system) cannot be shared with a process, which then keeps its own beside the CLI journal.
    mcpServerEnvironment: () =>
      mcpServerEnvironment(services.keys, services.settings, context.globalStorageUri.scheme === 'file' ? spendLedgerFolder(context.globalStorageUri).fsPath : undefined),
    logInfo: (message) => services.log.info(message),
    // An entry an unfinished Batch API job still holds says so (an unreadable store only loses that word).
    batchLenses: async (document) => batchLenses(document, await services.batchApi.holders().catch(() => new Map())),
    restoreStudio: async (panel, state) => restoreStudio(panel, state, studioServicesFor(currentServices())),
    resumeJobs: async () => {
      const started = currentServices();
      try {
        const count = (await started.owner.resumeWaiting()).length;
        if (count > 0) started.log.info(`Resuming ${count} job${count === 1 ? '' : 's'} left from the last session.`);
        // Batch API jobs too: polling again on the slow schedule, their images saved when they complete.
        const batches = (await started.batchApi.resumeWaiting()).length;
        if (batches > 0) started.log.info(`Resuming ${batches} Batch API job${batches === 1 ? '' : 's'} left from the last session.`);
      } catch (error) {
        started.log.error(`Could not resume jobs: ${String(error)}`);
      }
    },
  };
}
