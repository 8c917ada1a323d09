import * as vscode from 'vscode';
import { parseBatchFile } from '../core/batch/batchFile';
import type { BatchProblem } from '../core/batch/batchFile';
import { planBatch } from '../core/batch/batchPlan';
import type { BatchInspector, BatchPlan, ExistingImage } from '../core/batch/batchPlan';
import { buildBatchRequests } from '../core/batch/batchRequests';
import type { BatchInputLoader } from '../core/batch/batchRequests';
import { batchTargets } from '../core/batch/batchTargets';
import { fileExtensions } from '../core/imageFormat';
import { providerLabels } from '../core/ids';
import { provenanceFileName, provenanceFolderName } from '../core/provenance';
import type { Provenance } from '../core/provenance';
import { inputSource } from './editTargets';

/** A batch file as the editor sees it: every problem, or the plan against the workspace's files. */
export type HostBatch =
  | { readonly ok: false; readonly problems: readonly BatchProblem[] }
  | {
      readonly ok: true;
      readonly plan: BatchPlan;
      /** An entry's output folder (relative to the batch file's folder) as a URI. */
      resolveOut(out: string): vscode.Uri;
    };

/**
 * Parses, validates and plans a batch file's text (the open document's, saved or not) through
 * workspace.fs, so Remote-SSH and WSL read the workspace's own files. The same core as the CLI
 * (core/batch/): same names, same rules, same statuses.
 */
export async function loadHostBatch(text: string, file: vscode.Uri): Promise<HostBatch> {
  const dir = vscode.Uri.joinPath(file, '..');
  const resolve = (path: string): vscode.Uri => vscode.Uri.joinPath(dir, ...path.split(/[/\\]+/).filter((part) => part !== '' && part !== '.'));
  const parsed = parseBatchFile(text);
  const targets = batchTargets(parsed.file);
  const requests = await buildBatchRequests(targets.targets, inputLoader(resolve));
  const problems = [...parsed.problems, ...targets.problems, ...requests.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  if (problems.length > 0) return { ok: false, problems };
  const plan = await planBatch(requests.requests, workspaceInspector(resolve));
  return { ok: true, plan, resolveOut: resolve };
}

function inputLoader(resolve: (path: string) => vscode.Uri): BatchInputLoader {
  return async (reference, role, capability) => {
    const uri = resolve(reference);
    const label = providerLabels[capability.provider];
    let size: number;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if ((stat.type & vscode.FileType.File) === 0) return `${role} ${reference} is not a file.`;
      size = stat.size;
    } catch {
      return `${role} ${reference} does not exist.`;
    }
    // Checked before reading: a 2 GB file must not be read only to be refused.
    if (size > capability.edit.maxImageBytes) {
      return `${role} ${reference} is ${(size / 1024 / 1024).toFixed(1)} MB; ${label} accepts up to ${(capability.edit.maxImageBytes / 1024 / 1024).toFixed(0)} MB per image.`;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { kind: 'file', source: inputSource(uri), fileName: uri.path.split('/').pop() ?? reference, bytes };
  };
}

const extensions = [...new Set(Object.values(fileExtensions))];

/** `<stem>.png|.jpg|.webp` in the output folder, with its sidecar (as cli/batchFiles.ts). */
function workspaceInspector(resolve: (path: string) => vscode.Uri): BatchInspector {
  return async (out, stem) => {
    const dir = resolve(out);
    for (const extension of extensions) {
      const fileName = `${stem}.${extension}`;
      const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, fileName)).then(
        (value) => value,
        () => undefined,
      );
      if (!stat) continue;
      return { fileName, sidecar: (stat.type & vscode.FileType.File) !== 0 ? await readSidecar(dir, fileName) : undefined };
    }
    return undefined;
  };
}

async function readSidecar(dir: vscode.Uri, fileName: string): Promise<Provenance | undefined> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, provenanceFolderName, provenanceFileName(fileName))));
    const value = JSON.parse(text) as Partial<Provenance> | null;
    if (!value || value.version !== 1 || typeof value.provider !== 'string' || typeof value.request !== 'object' || value.request === null) return undefined;
    return value as Provenance;
  } catch {
    return undefined;
  }
}

/**
 * Moves files an entry is about to make again (and their sidecars) to
 * `<dir>/.gpt-image/previous/<stamp>/`, never over an existing file (as cli/batchFiles.ts).
 */
export async function keepPreviousInWorkspace(dir: vscode.Uri, files: readonly ExistingImage[], now: Date): Promise<vscode.Uri[]> {
  if (files.length === 0) return [];
  const folder = vscode.Uri.joinPath(dir, provenanceFolderName, 'previous', now.toISOString().replace(/[:.]/g, '-'));
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder, provenanceFolderName));
  const kept: vscode.Uri[] = [];
  for (const file of files) {
    const target = vscode.Uri.joinPath(folder, file.fileName);
    await vscode.workspace.fs.rename(vscode.Uri.joinPath(dir, file.fileName), target, { overwrite: false });
    kept.push(target);
    const sidecar = vscode.Uri.joinPath(dir, provenanceFolderName, provenanceFileName(file.fileName));
    await vscode.workspace.fs.rename(sidecar, vscode.Uri.joinPath(folder, provenanceFolderName, provenanceFileName(file.fileName)), { overwrite: false }).then(undefined, () => undefined);
  }
  return kept;
}
