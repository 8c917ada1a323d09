import { basename, extname } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { version } from '../../../package.json';
import { toolSpecs } from '../../core/agentTools/toolSpec';
import { apiKeyEnvVars, providerIds } from '../../core/ids';
import { JobOwner } from '../../core/jobOwner';
import { createHttpClient } from '../../providers/http';
import { exitCodes } from '../failure';
import { createFileJournalStore, gptImageHome } from '../fileJournalStore';
import { createCliLogger, scrub } from '../io';
import type { CliIo } from '../io';
import { createCliRunner } from '../runtime';
import { listJobsAnswer, resumeJobsAnswer } from './mcpJobTools';
import { confinementFor } from './mcpRoots';
import type { Confinement } from './mcpRoots';
import { failure, fileUri, McpSession } from './mcpSession';
import type { ToolAnswer } from './mcpSession';

/** A call waits this long for its job before answering with the job id (issue 14: "say 10 minutes"). */
const defaultWaitSeconds = 600;

const mimeTypes: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

/**
 * `gpt-image mcp`: the image tools over MCP's stdio transport, on the CLI's journal, runner and owner.
 * stdout carries protocol messages only; progress and warnings go to stderr (the client's log).
 * Resolves when the client closes the connection; running jobs stay in the journal.
 */
export async function runMcpServer(io: CliIo, pollIntervalMs: number | undefined): Promise<number> {
  const log = createCliLogger(io, false);
  const http = createHttpClient({ useEnvironmentProxy: true, log });
  const journal = createFileJournalStore(gptImageHome(io.env), (file) => log.warn(`ignoring unreadable journal entry ${file}`));
  const runner = createCliRunner({ journal, http, log, env: io.env, pollIntervalMs });
  const owner = new JobOwner(runner, log);
  const session = new McpSession({ owner, journal, env: io.env, waitMs: waitMs(io, log) });
  const secrets = providerIds.map((id) => io.env[apiKeyEnvVars[id]]).filter((key): key is string => typeof key === 'string' && key.length >= 8);

  const server = new Server({ name: 'gpt-image', version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: toolSpecs.map((spec) => ({ name: spec.mcpName, description: spec.description, inputSchema: { ...spec.inputSchema, type: 'object' as const } })),
  }));

  /** The client's roots, asked per call (they may change); none offered: the working directory. */
  const confinement = async (): Promise<Confinement | string> => {
    if (!server.getClientCapabilities()?.roots) return confinementFor(undefined, io.cwd);
    try {
      const { roots } = await server.listRoots();
      return confinementFor(roots.map((root) => root.uri), io.cwd);
    } catch (error) {
      return `Could not read the client's roots (${error instanceof Error ? error.message : String(error)}), so no path can be checked: nothing was sent.`;
    }
  };

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const token = extra._meta?.progressToken;
    let step = 0;
    // `progress` must increase with every notification (MCP progress utility): a counter does.
    const progress =
      token === undefined
        ? undefined
        : (message: string): void => {
            step += 1;
            void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, message: scrub(message, secrets) } }).catch(() => undefined);
          };
    const context = { signal: extra.signal, progress };
    let answer: ToolAnswer;
    switch (request.params.name) {
      case 'generate_image':
      case 'edit_image': {
        const roots = await confinement();
        answer =
          typeof roots === 'string'
            ? failure([roots])
            : await session.imageCall(request.params.name === 'generate_image' ? 'generate' : 'edit', request.params.arguments ?? {}, { ...context, confinement: roots });
        break;
      }
      case 'list_jobs':
        answer = await listJobsAnswer(io);
        break;
      case 'resume_jobs':
        answer = await resumeJobsAnswer(session, runner, io.env, context);
        break;
      default:
        answer = failure([`Unknown tool "${request.params.name}": use ${toolSpecs.map((spec) => spec.mcpName).join(', ')}.`]);
    }
    return toResult(answer, secrets);
  });

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolveClosed) => {
    server.onclose = () => resolveClosed();
    process.stdin.once('end', () => resolveClosed());
  });
  await server.connect(transport);
  log.info(`gpt-image mcp ${version} ready on stdio.`);
  await closed;
  // Nothing is abandoned: a job still polling stays in the journal for resume_jobs or gpt-image resume.
  await owner.dispose();
  await http.close().catch(() => undefined);
  await server.close().catch(() => undefined);
  return exitCodes.ok;
}

/** Paths in the text and a resource_link per file; never the image bytes. */
function toResult(answer: ToolAnswer, secrets: readonly string[]): CallToolResult {
  return {
    ...(answer.isError ? { isError: true } : {}),
    content: [
      { type: 'text', text: scrub(answer.text, secrets) },
      ...answer.files.map((file) => ({
        type: 'resource_link' as const,
        uri: fileUri(file),
        name: basename(file),
        ...(mimeTypes[extname(file).toLowerCase()] ? { mimeType: mimeTypes[extname(file).toLowerCase()] } : {}),
      })),
    ],
  };
}

function waitMs(io: CliIo, log: { warn(message: string): void }): number {
  const raw = io.env.GPT_IMAGE_MCP_WAIT_SECONDS;
  if (raw === undefined || raw.trim() === '') return defaultWaitSeconds * 1000;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  log.warn(`GPT_IMAGE_MCP_WAIT_SECONDS must be a positive number of seconds, not "${raw}"; waiting ${defaultWaitSeconds} s.`);
  return defaultWaitSeconds * 1000;
}
