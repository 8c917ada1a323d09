import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { cliPath, fakeKeys } from './cliHarness';
import type { Sandbox } from './cliHarness';

export interface McpConnection {
  readonly client: Client;
  /** What the server wrote to stderr (progress lines, warnings). */
  stderr(): string;
  call(name: string, args: Record<string, unknown>, options?: { readonly onprogress?: (progress: Progress) => void }): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * The SDK's own Client over stdio, spawning the BUILT `gpt-image mcp` as an agent would. With
 * `roots`, the client declares the roots capability and answers roots/list with those folders.
 */
export async function connectMcp(box: Sandbox, options: { readonly env?: NodeJS.ProcessEnv; readonly roots?: readonly string[]; readonly args?: readonly string[] } = {}): Promise<McpConnection> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...box.env, ...fakeKeys, ...options.env })) if (value !== undefined) env[key] = value;
  const transport = new StdioClientTransport({ command: process.execPath, args: [cliPath, 'mcp', ...(options.args ?? [])], env, cwd: box.cwd, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const roots = options.roots;
  const client = new Client({ name: 'gpt-image-test', version: '0' }, { capabilities: roots ? { roots: {} } : {} });
  if (roots) client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: roots.map((root) => ({ uri: pathToFileURL(root).href })) }));
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    call: async (name, args, callOptions) =>
      (await client.callTool({ name, arguments: args }, CallToolResultSchema, {
        timeout: 60_000,
        resetTimeoutOnProgress: true,
        ...(callOptions?.onprogress ? { onprogress: callOptions.onprogress } : {}),
      })) as CallToolResult,
    close: () => client.close(),
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/** No part of a result may carry image bytes: no image/audio parts, no embedded blobs, no base64 PNG/JPEG/WebP. */
export function assertNoBase64(result: CallToolResult): void {
  const json = JSON.stringify(result);
  for (const part of result.content) {
    if (part.type === 'image' || part.type === 'audio' || part.type === 'resource') throw new Error(`A result carried a ${part.type} part.`);
  }
  // PNG, JPEG and WebP (RIFF) headers in base64, and any data: URI.
  if (/iVBORw0KGgo|\/9j\/|UklGR|data:image\//.test(json)) throw new Error('A result carried base64 image data.');
}
