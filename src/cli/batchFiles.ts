import { link, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchInspector, ExistingImage } from '../core/batch/batchPlan';
import { fileExtensions } from '../core/imageFormat';
import { provenanceFileName, provenanceFolderName } from '../core/provenance';
import type { Provenance } from '../core/provenance';
import { syncDirectory } from './atomicFile';

/** Where earlier versions of a batch's files are kept: `<out>/.gpt-image/previous/<stamp>/`. */
export const previousFolderName = 'previous';

const extensions = [...new Set(Object.values(fileExtensions))];

/**
 * Finds `<stem>.png|.jpg|.webp` in `<batch folder>/<out>` with its sidecar. The extension comes from
 * the image's bytes, so a provider that answers in another format than asked still counts as made.
 */
export function fileInspector(resolveOut: (out: string) => string): BatchInspector {
  return async (out, stem) => {
    const dir = resolveOut(out);
    for (const extension of extensions) {
      const fileName = `${stem}.${extension}`;
      const info = await stat(join(dir, fileName)).catch(() => undefined);
      if (!info) continue;
      return { fileName, sidecar: info.isFile() ? await readSidecar(dir, fileName) : undefined };
    }
    return undefined;
  };
}

async function readSidecar(dir: string, fileName: string): Promise<Provenance | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, provenanceFolderName, provenanceFileName(fileName)), 'utf8')) as Partial<Provenance> | null;
    // Only what the plan compares has to be there; anything else is someone else's JSON.
    if (!value || value.version !== 1 || typeof value.provider !== 'string' || typeof value.request !== 'object' || value.request === null) return undefined;
    return value as Provenance;
  } catch {
    return undefined;
  }
}

/**
 * Moves the files an entry is about to make again (and their sidecars) to
 * `<dir>/.gpt-image/previous/<stamp>/`, so the new ones can take their names and nothing is lost.
 * A hard link first, then the old name removed: at no moment is the image in neither place.
 * Returns where each one went.
 */
export async function keepPrevious(dir: string, files: readonly ExistingImage[], now: Date): Promise<string[]> {
  if (files.length === 0) return [];
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const folder = join(dir, provenanceFolderName, previousFolderName, stamp);
  await mkdir(join(folder, provenanceFolderName), { recursive: true });
  const kept: string[] = [];
  for (const file of files) {
    const target = join(folder, file.fileName);
    await moveFile(join(dir, file.fileName), target);
    kept.push(target);
    const sidecar = join(dir, provenanceFolderName, provenanceFileName(file.fileName));
    // The sidecar goes with it, so the kept copy still says how it was made (none for a foreign file).
    await moveFile(sidecar, join(folder, provenanceFolderName, provenanceFileName(file.fileName))).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    });
  }
  await syncDirectory(folder);
  await syncDirectory(dir);
  return kept;
}

async function moveFile(from: string, to: string): Promise<void> {
  // link() never replaces an existing file: two runs in the same millisecond fail loudly instead.
  await link(from, to);
  await rm(from);
}
