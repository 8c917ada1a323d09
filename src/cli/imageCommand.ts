import { readdirSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { allCapabilities, capabilityFor, localFileRefusal } from '../core/capabilities';
import { editFileTemplate } from '../core/editDefaults';
import { InputError } from '../core/errors';
import { providerLabels } from '../core/ids';
import { JobOwner } from '../core/jobOwner';
import { defaultFileNameTemplate } from '../core/naming';
import type { GenerationRequest, InputImage } from '../core/request';
import type { JobProgress } from '../core/runner';
import { createHttpClient } from '../providers/http';
import type { ImageCommand } from './args';
import { errorLine, exitCodeFor, exitCodes } from './failure';
import { createFileJournalStore, gptImageHome } from './fileJournalStore';
import { readInputFile } from './inputFile';
import { createCliLogger } from './io';
import type { CliIo } from './io';
import { requireApiKey, resolveBaseUrl } from './providerSetup';
import type { CliInterrupt } from './interrupt';
import { createCliRunner } from './runtime';

/** `generate` and `edit`: validate, journal, send, wait, write; returns the exit code. */
export async function runImageCommand(command: ImageCommand, io: CliIo, interrupt: Pick<CliInterrupt, 'follow'>): Promise<number> {
  const log = createCliLogger(io, command.quiet);
  // Everything that can be refused without the network is refused here or in validateRequest (exit 2).
  requireApiKey(command.provider, io.env);
  const baseUrl = resolveBaseUrl(command.provider, command.baseUrl, io.env);
  const request = await buildRequest(command, io.cwd);
  const output = outputFor(command, request, io.cwd);

  const http = createHttpClient({ useEnvironmentProxy: true, log });
  const journal = createFileJournalStore(gptImageHome(io.env), (file) => log.warn(`ignoring unreadable journal entry ${file}`));
  // The job records this base URL, so a later `gpt-image resume` polls the same host.
  const runner = createCliRunner({ journal, http, log, env: io.env, baseUrlFor: () => baseUrl, pollIntervalMs: command.pollIntervalMs });
  // This process's owner: it runs the one job, and Ctrl-C acts on that job's handle (cli/interrupt.ts).
  const owner = new JobOwner(runner, log);
  const printed = new Set<string>();
  const progress = progressPrinter(io, command.quiet);
  const warn = (warnings: readonly string[]): void => {
    for (const warning of warnings) {
      if (!printed.has(warning) && !command.quiet) io.stderr(`gpt-image: warning: ${warning}`);
      printed.add(warning);
    }
  };
  const runCap = command.maxCostUsd === undefined ? undefined : { usd: command.maxCostUsd, label: '--max-cost' };
  const handle = owner.run({ request, output, runCap });
  handle.onProgress(progress);
  // A note per preview; only the final image is written (the preview stays in the journal's storage).
  handle.onPartialImage((partial) => {
    if (!command.quiet) io.stderr(`gpt-image: partial image ${partial.index + 1} of ${command.partialImages} received`);
  });
  handle.onWarnings(warn);
  interrupt.follow(handle);
  try {
    const result = await handle.done;
    for (const file of result.files) io.stdout(file);
    return exitCodes.ok;
  } catch (error) {
    const latest = handle.jobId === undefined ? undefined : await journal.get(handle.jobId).catch(() => undefined);
    // Whatever was written before the failure is still the user's: list it.
    for (const file of latest?.tasks.flatMap((task) => task.files) ?? []) io.stdout(file);
    if (latest) warn(latest.warnings);
    io.stderr(errorLine(error, latest));
    return exitCodeFor(error);
  } finally {
    await http.close().catch(() => undefined);
  }
}

async function buildRequest(command: ImageCommand, cwd: string): Promise<GenerationRequest> {
  const issues: string[] = [];
  const capability = capabilityFor(command.provider, command.model);
  const label = providerLabels[command.provider];
  const load = async (value: string, role: string): Promise<InputImage | undefined> => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { kind: 'url', url: value };
    const path = isAbsolute(value) ? value : resolve(cwd, value);
    if (capability && !capability.edit.acceptsLocalFile) {
      // Nothing to read: this provider takes URLs only (and a pipe or a huge file would only delay saying so).
      issues.push(localFileRefusal(label, command.model, path));
      return undefined;
    }
    // An unknown provider × model pair is refused by validateRequest; until then, the largest limit applies.
    const read = await readInputFile(path, { role, shown: value, label, maxBytes: capability?.edit.maxImageBytes ?? largestImageBytes() });
    if (!read.ok) {
      issues.push(read.issue);
      return undefined;
    }
    return { kind: 'file', source: path, fileName: basename(path), bytes: read.bytes };
  };
  const images = await Promise.all(command.images.map((image) => load(image, 'Image')));
  const mask = command.mask === undefined ? undefined : await load(command.mask, 'Mask');
  if (issues.length > 0) throw new InputError(issues);
  return {
    provider: command.provider,
    model: command.model,
    prompt: command.prompt,
    size: command.size,
    quality: command.quality,
    background: command.background,
    outputFormat: command.outputFormat,
    outputCompression: command.outputCompression,
    moderation: command.moderation,
    customModel: command.customModel,
    n: command.n,
    ...(command.partialImages > 0 ? { partialImages: command.partialImages } : {}),
    inputImages: images.filter((image): image is InputImage => image !== undefined),
    mask,
  };
}

function largestImageBytes(): number {
  return Math.max(...allCapabilities().map((row) => row.edit.maxImageBytes));
}

function outputFor(command: ImageCommand, request: GenerationRequest, cwd: string): { dir: string; template: string; sourceName?: string } {
  if (command.command === 'generate') {
    return { dir: resolve(cwd, command.out ?? 'images'), template: defaultFileNameTemplate };
  }
  const first = request.inputImages?.[0];
  const sourcePath = first?.kind === 'file' ? first.source : first?.kind === 'url' ? urlPath(first.url) : 'image';
  const sourceName = basename(sourcePath, extname(sourcePath)) || 'image';
  const dir = command.out !== undefined ? resolve(cwd, command.out) : first?.kind === 'file' ? dirname(first.source) : resolve(cwd, 'images');
  // Same numbering as the editor: a second edit of photo.png is photo-edit-2.png.
  return { dir, template: editFileTemplate(existingNames(dir), sourceName, request.n ?? 1), sourceName };
}

function existingNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'image';
  }
}

/** Concise progress: a line when a task's situation changes, not one per poll. */
export function progressPrinter(io: CliIo, quiet: boolean): (progress: JobProgress) => void {
  const last = new Map<number, string>();
  return (progress) => {
    // Failures are reported once, by the final error line.
    if (quiet || ['saving', 'downloading', 'failed', 'unknown'].includes(progress.phase)) return;
    // Partial images have their own line (imageCommand's onPartialImage).
    if (progress.partialImage) return;
    if (last.get(progress.taskIndex) === progress.message) return;
    last.set(progress.taskIndex, progress.message);
    io.stderr(`gpt-image: ${progress.message}`);
  };
}
