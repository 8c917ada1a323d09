import type * as vscode from 'vscode';
import type { CommandId } from './commands/commands';

/** Everything behind the commands, loaded on first use (see extension.ts). */
export interface Engine {
  runCommand(id: CommandId, args: readonly unknown[]): Promise<unknown>;
  restoreStudio(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  resumeJobs(): Promise<void>;
}

export function createEngine(_context: vscode.ExtensionContext): Engine {
  return {
    runCommand: async (id) => {
      throw new Error(`${id} is not implemented yet.`);
    },
    restoreStudio: async (panel) => {
      panel.dispose();
    },
    resumeJobs: async () => undefined,
  };
}
