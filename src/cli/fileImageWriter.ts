import { link, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { maxNumberedNames, numberedName } from '../core/naming';
import type { ImageWriter } from '../core/output';
import { provenanceFileName, provenanceFolderName } from '../core/provenance';
import { temporaryWriterPid, replaceAtomically, syncDirectory, temporaryPath, writeDurably } from './atomicFile';
import { imageHasTransparentPixels } from '../providers/pngAlpha';

async function sameBytes(path: string, bytes: Uint8Array): Promise<boolean | undefined> {
  try {
    const info = await stat(path);
    if (info.size !== bytes.byteLength) return false;
    return Buffer.from(await readFile(path)).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether no process with this pid exists here (EPERM: it exists, under another user). */
function isGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The CLI's writer (node:fs). An image is written in full to a hidden temporary file, fsynced, then
 * hard-linked to the first free name: link() fails with EEXIST instead of replacing, so two writers
 * racing for `name.png` can never clobber each other, and no reader ever sees half an image.
 */
export function createFileImageWriter(): ImageWriter {
  return {
    hasTransparentPixels: imageHasTransparentPixels,
    async prepare(dir) {
      const folder = resolve(dir);
      const existing = await stat(folder).catch(() => undefined);
      if (existing && !existing.isDirectory()) throw new Error(`Cannot save images in ${folder}: it is not a folder.`);
      if (!existing) {
        try {
          await mkdir(folder, { recursive: true });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new Error(
            code === 'EEXIST' || code === 'ENOTDIR'
              ? `Cannot save images in ${folder}: a folder above it is a file.`
              : `Cannot create the output folder ${folder} (${code ?? String(error)}).`,
            { cause: error },
          );
        }
      }
      // Permissions, a read-only mount, a full quota: only a real file says whether writing works.
      const probe = temporaryPath(join(folder, 'gpt-image-probe'));
      try {
        await writeDurably(probe, new Uint8Array(0));
      } catch (error) {
        throw new Error(`Cannot write in the output folder ${folder} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
      } finally {
        await rm(probe, { force: true });
      }
    },

    async writeImage(dir, fileName, bytes) {
      const folder = resolve(dir);
      await mkdir(folder, { recursive: true });
      const temporary = temporaryPath(join(folder, fileName));
      try {
        // Inside the try: a write cut short (disk full) must not leave half an image behind.
        await writeDurably(temporary, bytes);
        for (let counter = 1; counter < maxNumberedNames; counter++) {
          const target = join(folder, numberedName(fileName, counter));
          try {
            await link(temporary, target);
            await syncDirectory(folder);
            return target;
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'EEXIST') continue;
            if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV') return await exclusiveCopy(folder, fileName, bytes);
            throw error;
          }
        }
        throw new Error(`No free file name near ${fileName} in ${folder}.`);
      } finally {
        await rm(temporary, { force: true });
      }
    },

    async removeLeftovers(dir) {
      const folder = resolve(dir);
      let names: string[];
      try {
        names = await readdir(folder);
      } catch {
        return;
      }
      // Only a dead writer's: a live process (another job) may be writing now.
      const stale = names.filter((name) => {
        const pid = temporaryWriterPid(name);
        return pid !== undefined && isGone(pid);
      });
      await Promise.all(stale.map((name) => rm(join(folder, name), { force: true })));
    },

    async findExisting(dir, fileName, bytes) {
      const folder = resolve(dir);
      for (let counter = 1; counter < maxNumberedNames; counter++) {
        const target = join(folder, numberedName(fileName, counter));
        const same = await sameBytes(target, bytes);
        if (same === undefined) return undefined;
        if (same) return target;
      }
      return undefined;
    },

    async writeProvenance(imageLocation, provenance) {
      const folder = join(dirname(imageLocation), provenanceFolderName);
      await mkdir(folder, { recursive: true });
      await replaceAtomically(join(folder, provenanceFileName(basename(imageLocation))), `${JSON.stringify(provenance, null, 2)}\n`);
    },
  };
}

/**
 * For file systems without hard links (some network and FUSE mounts): an exclusive create still
 * never overwrites, at the price of a short window in which the file is incomplete.
 */
async function exclusiveCopy(folder: string, fileName: string, bytes: Uint8Array): Promise<string> {
  for (let counter = 1; counter < maxNumberedNames; counter++) {
    const target = join(folder, numberedName(fileName, counter));
    try {
      await writeDurably(target, bytes);
    } catch (error) {
      // Only the exclusive create can fail with EEXIST: someone else has this name.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    return target;
  }
  throw new Error(`No free file name near ${fileName} in ${folder}.`);
}
