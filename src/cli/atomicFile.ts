import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { temporaryName } from '../core/naming';

/**
 * A temporary name beside `target`, hidden and unique per process and call. Not derived from
 * `target`'s name: a name at the 255-byte limit must still have a temporary one.
 */
export function temporaryPath(target: string): string {
  return join(dirname(target), temporaryName(`${process.pid}-${randomBytes(4).toString('hex')}`));
}

/** The pid of the process that wrote `name`, if it is one of temporaryPath's names. */
export function temporaryWriterPid(name: string): number | undefined {
  const match = /^\.gpt-image-(\d+)-[0-9a-f]{8}\.tmp$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Writes and fsyncs a new file that must not exist yet. */
export async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename itself durable: on Linux a directory entry survives a crash only after the directory is synced. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or sync a directory; the rename is still atomic there.
  }
}

/** temp + fsync + rename (+ directory fsync): readers see the old file or the new one, never half of one. */
export async function replaceAtomically(target: string, data: Uint8Array | string): Promise<void> {
  const temporary = temporaryPath(target);
  try {
    await writeDurably(temporary, data);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(target));
}
