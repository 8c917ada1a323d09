import * as vscode from 'vscode';
import { copilotToolNames, mcpProviderId } from '../core/agentTools/toolNames';
import type { ImageToolKind } from '../core/agentTools/toolSpec';
import type { PreparedAgentTool } from './agentTools';
import { mcpDefinitionApi } from './mcpDefinitionApi';

/** What the activation bundle asks of the engine for the agent entry points (loaded on first use). */
export interface AgentEngine {
  prepareAgentTool(kind: ImageToolKind, input: unknown): PreparedAgentTool;
  invokeAgentTool(kind: ImageToolKind, input: unknown, token: vscode.CancellationToken): Promise<string>;
  /** API keys from SecretStorage and base URLs from user settings, for the MCP server's process only. */
  mcpServerEnvironment(): Promise<Record<string, string>>;
  logInfo(message: string): void;
}

/**
 * Registers the Copilot tools and hands `gpt-image mcp` to VS Code's MCP support, each only where
 * this editor has the API (feature-detected; the reason is logged otherwise). Only wiring: the work
 * is in the engine, loaded when a tool is first prepared or the server first started.
 */
export function registerAgentEntryPoints(context: vscode.ExtensionContext, loadEngine: () => Promise<AgentEngine>): void {
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  const skipped: string[] = [];
  if (typeof lm?.registerTool === 'function') {
    for (const kind of ['generate', 'edit'] as const) {
      context.subscriptions.push(
        lm.registerTool(copilotToolNames[kind], {
          prepareInvocation: async (options) => {
            const prepared = (await loadEngine()).prepareAgentTool(kind, options.input);
            return {
              invocationMessage: prepared.invocationMessage,
              ...(prepared.confirmation ? { confirmationMessages: { title: prepared.confirmation.title, message: new vscode.MarkdownString(prepared.confirmation.markdown) } } : {}),
            };
          },
          invoke: async (options, token) => {
            let text: string;
            try {
              text = await (await loadEngine()).invokeAgentTool(kind, options.input, token);
            } catch (error) {
              // An error is a result the agent can read, never a throw.
              text = vscode.l10n.t('Failed: GPT Image Studio could not start ({0}).', error instanceof Error ? error.message : String(error));
            }
            return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
          },
        }),
      );
    }
  } else {
    skipped.push(`this VS Code (${vscode.version}) has no vscode.lm.registerTool, so the Copilot tools are not offered.`);
  }

  const api = mcpDefinitionApi();
  if (typeof api === 'string') {
    skipped.push(api);
  } else {
    const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0');
    context.subscriptions.push(
      api.register(mcpProviderId, {
        provideMcpServerDefinitions: () => {
          // No keys here: provided definitions are cached in workspace storage; keys are added on resolve.
          const definition = api.create('GPT Image Studio', process.execPath, [context.asAbsolutePath('dist/cli.js'), 'mcp'], { ELECTRON_RUN_AS_NODE: '1' }, version);
          const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
          if (folder?.scheme === 'file') definition.cwd = folder;
          return [definition];
        },
        resolveMcpServerDefinition: async (definition) => {
          if (!api.isStdio(definition)) return definition;
          definition.env = { ...definition.env, ...(await (await loadEngine()).mcpServerEnvironment()) };
          return definition;
        },
      }),
    );
  }
  if (skipped.length > 0) void loadEngine().then((engine) => skipped.forEach((reason) => engine.logInfo(`Agents: ${reason}`)), () => undefined);
}
