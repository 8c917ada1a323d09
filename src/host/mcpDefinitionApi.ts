import * as vscode from 'vscode';

/**
 * The MCP server definition provider API (VS Code 1.101+), typed here because the extension keeps
 * `engines.vscode` ^1.96.0 and @types/vscode 1.96 (docs/architecture.md, "Agents"): on an older
 * editor these members are simply absent, which `mcpDefinitionApi()` detects.
 */
export interface McpStdioDefinition {
  readonly label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri | undefined;
  version?: string | undefined;
}

export interface McpDefinitionProvider {
  readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<McpStdioDefinition[]>;
  resolveMcpServerDefinition?(server: McpStdioDefinition, token: vscode.CancellationToken): vscode.ProviderResult<McpStdioDefinition>;
}

export interface McpDefinitionApi {
  register(id: string, provider: McpDefinitionProvider): vscode.Disposable;
  /** `new vscode.McpStdioServerDefinition(label, command, args, env, version)` (positional). */
  create(label: string, command: string, args: string[], env: Record<string, string>, version: string): McpStdioDefinition;
  isStdio(definition: unknown): definition is McpStdioDefinition;
}

type StdioConstructor = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioDefinition;

/** The API where this editor has it, else the reason it is skipped (for the log). */
export function mcpDefinitionApi(): McpDefinitionApi | string {
  const lm = vscode.lm as unknown as { registerMcpServerDefinitionProvider?: (id: string, provider: McpDefinitionProvider) => vscode.Disposable };
  const Stdio = (vscode as unknown as { McpStdioServerDefinition?: StdioConstructor }).McpStdioServerDefinition;
  if (typeof lm.registerMcpServerDefinitionProvider !== 'function' || typeof Stdio !== 'function') {
    return `this VS Code (${vscode.version}) has no vscode.lm.registerMcpServerDefinitionProvider (it arrived in 1.101), so Copilot cannot be handed the gpt-image MCP server; the Copilot tools and the README's JSON for other clients still work.`;
  }
  const register = lm.registerMcpServerDefinitionProvider.bind(vscode.lm);
  return {
    register: (id, provider) => register(id, provider),
    create: (label, command, args, env, version) => new Stdio(label, command, args, env, version),
    isStdio: (definition): definition is McpStdioDefinition => definition instanceof Stdio,
  };
}
