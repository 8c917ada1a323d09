import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isBatchFileName, parseBatchFile } from '../core/batch/batchFile';
import type { BatchProblem } from '../core/batch/batchFile';
import { planBatch } from '../core/batch/batchPlan';
import type { BatchPlan } from '../core/batch/batchPlan';
import { buildBatchRequests } from '../core/batch/batchRequests';
import type { BatchInputLoader } from '../core/batch/batchRequests';
import { batchTargets } from '../core/batch/batchTargets';
import { InputError } from '../core/errors';
import { providerLabels } from '../core/ids';
import type { BatchCommand } from './args';
import { fileInspector } from './batchFiles';
import { readInputFile } from './inputFile';

/** A batch file read, validated and planned: what every way of sending it starts from. */
export interface LoadedBatch {
  /** The batch file's absolute path. */
  readonly path: string;
  /**
   * The batch file as each image's provenance names it: relative to the working folder (where a
   * user runs the CLI is their workspace), else its base name; never an absolute path.
   */
  readonly originFile: string;
  /** Its folder: `out`, `images` and `mask` are relative to it. */
  readonly dir: string;
  readonly plan: BatchPlan;
  /** An entry's output folder as an absolute path (the journal's `output.dir`). */
  resolveOut(out: string): string;
}

/**
 * Reads, parses and validates the whole batch file, then plans it from the files on disk. Every
 * problem of every entry is collected first and thrown together as one InputError (exit 2, nothing
 * sent), each as `<file>:<line>:<column>: <problem>` so terminals and editors can jump to it.
 */
export async function loadBatch(command: Pick<BatchCommand, 'file'>, cwd: string): Promise<LoadedBatch> {
  const path = resolve(cwd, command.file);
  if (!isBatchFileName(basename(path))) {
    throw new InputError([`${command.file} is not a batch file: name it <name>.images.yaml or <name>.images.json.`]);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError([code === 'ENOENT' ? `The batch file ${command.file} does not exist.` : `Cannot read the batch file ${command.file} (${code ?? String(error)}).`]);
  }
  const dir = dirname(path);
  const resolveOut = (out: string): string => resolve(dir, out);
  const parsed = parseBatchFile(text);
  const targets = batchTargets(parsed.file);
  const requests = await buildBatchRequests(targets.targets, inputLoader(dir));
  const problems = [...parsed.problems, ...targets.problems, ...requests.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  if (problems.length > 0) {
    const shown = relative(cwd, path) || path;
    throw new BatchProblemsError([...problemLines(shown, problems), `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${shown}; nothing was sent.`]);
  }
  const plan = await planBatch(requests.requests, fileInspector(resolveOut));
  return { path, originFile: originFileOf(cwd, path), dir, plan, resolveOut };
}

/** `art/site.images.yaml` below `cwd` (with `/` on every system), else `site.images.yaml`. */
export function originFileOf(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  if (inside === '' || isAbsolute(inside) || inside === '..' || inside.startsWith(`..${sep}`)) return basename(path);
  return inside.split(sep).join('/');
}

/**
 * Every problem of a batch file (exit 2 like any InputError): the CLI prints one line each
 * (cli/main.ts), so a terminal or an editor can jump to every one.
 */
export class BatchProblemsError extends InputError {
  readonly onePerLine = true;
}

export function isBatchProblemsError(error: unknown): error is BatchProblemsError {
  return error instanceof InputError && 'onePerLine' in error;
}

/** `site.images.yaml:12:5: hero: …`, one per problem, in file order. */
export function problemLines(shown: string, problems: readonly BatchProblem[]): string[] {
  return problems.map((problem) => `${shown}:${problem.line}:${problem.column}: ${problem.message}`);
}

/** A local reference, read with the limit of the provider it is for (the row also checks it). */
function inputLoader(dir: string): BatchInputLoader {
  return async (reference, role, capability) => {
    const path = resolve(dir, reference);
    const read = await readInputFile(path, { role, shown: reference, label: providerLabels[capability.provider], maxBytes: capability.edit.maxImageBytes });
    if (!read.ok) return read.issue;
    return { kind: 'file', source: path, fileName: basename(path), bytes: read.bytes };
  };
}
