import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** What reading one `--image` / `--mask` gave: its bytes, or the sentence that refuses it (exit 2). */
export type InputFileRead = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly issue: string };

export interface InputFileOptions {
  /** "Image" or "Mask", for the sentence. */
  readonly role: string;
  /** The path as the user typed it, for the sentence. */
  readonly shown: string;
  /** The provider's per-image limit (core/capabilities.ts), checked before anything is read. */
  readonly maxBytes: number;
  /** The provider's name, for the size sentence. */
  readonly label: string;
}

/**
 * Reads one input image, refusing anything but a regular file before reading a byte: a FIFO would
 * block for ever, /dev/zero would never end, a directory has nothing to send. The file is opened
 * non-blocking (a FIFO then opens at once instead of waiting for a writer) and checked through the
 * open handle, so a path swapped between the check and the read cannot slip through; its size is
 * checked before it is read, and the read never takes more than the limit even if the file grows.
 */
export async function readInputFile(path: string, options: InputFileOptions): Promise<InputFileRead> {
  const { role, shown } = options;
  let handle: FileHandle;
  try {
    // O_NONBLOCK does not exist on Windows, where FIFOs are not files anyway.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { ok: false, issue: openIssue(error, role, shown) };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { ok: false, issue: `${role} ${shown} is a folder, not an image file.` };
    if (!info.isFile()) {
      return { ok: false, issue: `${role} ${shown} is not a regular file (a pipe, device or socket): give the path of a PNG, JPEG or WebP file.` };
    }
    if (info.size > options.maxBytes) return { ok: false, issue: tooLarge(info.size, options) };
    const bytes = await readAtMost(handle, options.maxBytes + 1, info.size);
    if (bytes.byteLength > options.maxBytes) return { ok: false, issue: tooLarge(bytes.byteLength, options) };
    return { ok: true, bytes };
  } catch (error) {
    return { ok: false, issue: `Cannot read ${role.toLowerCase()} ${shown} (${errorCode(error)}).` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Up to `limit` bytes from the start of the file; `expected` (its stat size) sizes the first buffer. */
async function readAtMost(handle: FileHandle, limit: number, expected: number): Promise<Uint8Array> {
  let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(limit, expected + 1)));
  let length = 0;
  for (;;) {
    if (length === buffer.byteLength) {
      if (length >= limit) break;
      // The file grew since stat: take more, never past the limit.
      const bigger = Buffer.allocUnsafe(Math.min(limit, buffer.byteLength * 2));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.byteLength - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}

function tooLarge(size: number, options: InputFileOptions): string {
  const mb = (size / 1024 / 1024).toFixed(1);
  const limit = (options.maxBytes / 1024 / 1024).toFixed(0);
  return `${options.role} ${options.shown} is ${mb} MB; ${options.label} accepts up to ${limit} MB per image.`;
}

function openIssue(error: unknown, role: string, shown: string): string {
  const code = errorCode(error);
  if (code === 'ENOENT') return `${role} ${shown} does not exist.`;
  if (code === 'EISDIR') return `${role} ${shown} is a folder, not an image file.`;
  return `Cannot read ${role.toLowerCase()} ${shown} (${code}).`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
