import { readdir } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseImageToolCall } from '../../core/agentTools/toolArgs';
import type { ImageToolCall } from '../../core/agentTools/toolArgs';
import { toolRequest, toolTemplate } from '../../core/agentTools/toolRequest';
import type { ImageToolKind } from '../../core/agentTools/toolSpec';
import { resultText } from '../../core/agentTools/toolSummary';
import { allCapabilities, capabilityFor, localFileRefusal } from '../../core/capabilities';
import { isInputError } from '../../core/errors';
import { isProviderId, providerLabels } from '../../core/ids';
import type { ProviderId } from '../../core/ids';
import { cancelJob } from '../../core/jobHandle';
import type { JobHandle } from '../../core/jobHandle';
import type { JobOwner } from '../../core/jobOwner';
import type { JobResult } from '../../core/runner';
import type { JobOutput, JournalStore } from '../../core/journal';
import type { InputImage } from '../../core/request';
import { errorLine } from '../failure';
import { readInputFile } from '../inputFile';
import { requireApiKey, resolveBaseUrl } from '../providerSetup';
import { confinedPath } from './mcpRoots';
import type { Confinement } from './mcpRoots';

/** What a tool call answers (the MCP CallToolResult content, built in mcpServer.ts). */
export interface ToolAnswer {
  readonly isError: boolean;
  readonly text: string;
  /** Written files (absolute real paths): each becomes a resource_link. */
  readonly files: readonly string[];
}

export interface ImageCallContext {
  readonly confinement: Confinement;
  readonly signal: AbortSignal;
  /** Progress for a client that sent a progress token: called with a message each time the job moves. */
  readonly progress: ((message: string) => void) | undefined;
}

export interface McpSessionOptions {
  readonly owner: JobOwner;
  readonly journal: JournalStore;
  readonly env: NodeJS.ProcessEnv;
  /** How long a call waits for its job before answering with the job id (GPT_IMAGE_MCP_WAIT_SECONDS). */
  readonly waitMs: number;
}

/**
 * One `gpt-image mcp` process's image tools: each call runs as a job of the process's one owner
 * (journal, leases, the spend rules of the job path), exactly as `gpt-image generate` does.
 */
export class McpSession {
  /** Jobs a call stopped waiting for: still running here, collected by resume_jobs. */
  private readonly waiting = new Map<string, JobHandle>();

  constructor(private readonly options: McpSessionOptions) {}

  get owner(): JobOwner {
    return this.options.owner;
  }

  /** Jobs handed back past the time limit, ended or not, and forgets them. */
  takeWaiting(): JobHandle[] {
    const handles = [...this.waiting.values()];
    this.waiting.clear();
    return handles;
  }

  async imageCall(kind: ImageToolKind, args: unknown, context: ImageCallContext): Promise<ToolAnswer> {
    const env = this.options.env;
    const fallback = env.GPT_IMAGE_PROVIDER?.trim() ?? '';
    if (fallback !== '' && !isProviderId(fallback)) return failure([`GPT_IMAGE_PROVIDER "${fallback}" is not a provider: use openai, gravitex, modellix or apixo.`]);
    const parsed = parseImageToolCall(kind, args, { provider: fallback !== '' && isProviderId(fallback) ? fallback : 'openai' });
    if (!parsed.ok) return failure(parsed.issues);
    const call = parsed.call;
    let handle: JobHandle;
    try {
      // Everything refused here is refused before anything is sent, with the CLI's own sentences.
      requireApiKey(call.provider, env);
      resolveBaseUrl(call.provider, undefined, env);
      const request = await toolRequest(call, (reference, role) => this.readInput(call.provider, call.model, reference, role, context.confinement));
      const output = await this.outputFor(call, request.inputImages?.[0], context.confinement);
      if ('issue' in output) return failure([output.issue]);
      handle = this.owner.run({ request, output });
    } catch (error) {
      return failure(isInputError(error) ? error.issues : [errorLine(error, undefined).replace(/^gpt-image: /, '')]);
    }
    return this.follow(handle, context);
  }

  /** Waits for a job up to the limit, relaying progress; past it the job goes on and resume_jobs collects it. */
  async follow(handle: JobHandle, context: Pick<ImageCallContext, 'signal' | 'progress'>): Promise<ToolAnswer> {
    const progress = context.progress;
    let lastMessage = '';
    const subscription = handle.onProgress((event) => {
      // Partial images are for views that show them; an agent gets paths only.
      if (!progress || event.partialImage || event.message === lastMessage) return;
      lastMessage = event.message;
      progress(event.message);
    });
    // The client cancelled the call: before anything paid left, the job is cancelled; after, it is
    // kept (an agent cannot be asked), so a paid image is still saved and resume_jobs reports it.
    const onAbort = (): void =>
      void cancelJob(handle, async () => 'keep').then((outcome) => {
        if (outcome === 'kept') this.waiting.set(handle.jobId ?? String(this.waiting.size), handle);
      });
    context.signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'limit'>((resolveLimit) => (timer = setTimeout(() => resolveLimit('limit'), this.options.waitMs)));
    try {
      const outcome = await Promise.race([handle.done.then((result) => ({ result }), (error: unknown) => ({ error })), limit]);
      if (outcome === 'limit') {
        const jobId = handle.jobId ?? 'not journaled yet';
        this.waiting.set(handle.jobId ?? String(this.waiting.size), handle);
        const minutes = Math.round(this.options.waitMs / 60_000);
        const waited = minutes >= 1 ? `${minutes} min` : `${Math.round(this.options.waitMs / 1000)} s`;
        return {
          isError: false,
          text: `Job ${jobId} is still ${handle.state} after ${waited}; it keeps running and is in the journal. Call resume_jobs later to wait for it and get its files (nothing is sent again).`,
          files: [],
        };
      }
      if ('result' in outcome) return success(outcome.result);
      return await this.failureOf(handle, outcome.error);
    } finally {
      clearTimeout(timer);
      subscription.dispose();
      context.signal.removeEventListener('abort', onAbort);
    }
  }

  /** A failed job: the CLI's line (without its prefix), naming the files written before it failed. */
  async failureOf(handle: JobHandle, error: unknown): Promise<ToolAnswer> {
    if (isInputError(error)) return failure(error.issues);
    const latest = handle.jobId === undefined ? undefined : await this.options.journal.get(handle.jobId).catch(() => undefined);
    const files = latest?.tasks.flatMap((task) => task.files) ?? [];
    const line = errorLine(error, latest).replace(/^gpt-image: /, '').replace(/run "gpt-image resume"/g, 'call resume_jobs').replace(/gpt-image jobs lists/g, 'list_jobs lists');
    return { isError: true, text: [line, ...(files.length > 0 ? ['Written before the failure:', ...files] : [])].join('\n'), files };
  }

  private async readInput(provider: ProviderId, model: ImageToolCall['model'], reference: string, role: 'Image' | 'Mask', confinement: Confinement): Promise<InputImage | string> {
    const confined = await confinedPath(confinement, reference, role);
    if (!confined.ok) return confined.issue;
    const capability = capabilityFor(provider, model);
    const label = providerLabels[provider];
    if (capability && !capability.edit.acceptsLocalFile) return localFileRefusal(label, model, confined.path);
    const maxBytes = capability?.edit.maxImageBytes ?? Math.max(...allCapabilities().map((row) => row.edit.maxImageBytes));
    const read = await readInputFile(confined.path, { role, shown: reference, label, maxBytes });
    if (!read.ok) return read.issue;
    return { kind: 'file', source: confined.path, fileName: basename(confined.path), bytes: read.bytes };
  }

  /** out_dir (else GPT_IMAGE_OUT, else `images`; an edit: the first input file's folder), confined. */
  private async outputFor(call: ImageToolCall, first: InputImage | undefined, confinement: Confinement): Promise<JobOutput | { readonly issue: string }> {
    const given = call.outDir ?? (call.kind === 'edit' && first?.kind === 'file' ? undefined : this.options.env.GPT_IMAGE_OUT?.trim() || 'images');
    const confined = given === undefined && first?.kind === 'file' ? { ok: true as const, path: dirname(first.source) } : await confinedPath(confinement, given ?? 'images', 'out_dir');
    if (!confined.ok) return { issue: confined.issue };
    const sourcePath = first?.kind === 'file' ? first.source : first?.kind === 'url' ? safeUrlPath(first.url) : 'image';
    const sourceName = call.kind === 'edit' ? basename(sourcePath, extname(sourcePath)) || 'image' : undefined;
    const existing = await readdir(confined.path).catch(() => []);
    return { dir: confined.path, template: toolTemplate(call, existing, sourceName), ...(sourceName ? { sourceName } : {}) };
  }
}

function safeUrlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'image';
  }
}

export function failure(issues: readonly string[]): ToolAnswer {
  return { isError: true, text: issues.join(' '), files: [] };
}

export function success(result: JobResult): ToolAnswer {
  return { isError: false, text: resultText(result.files.map((file) => ({ shown: file })), result.warnings, false), files: result.files };
}

/** A resource_link's URI for a written file. */
export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}
