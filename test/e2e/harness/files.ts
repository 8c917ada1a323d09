import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './processes';

/** Every regular file under `dir`, recursively (missing dir: none). */
export function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) files.push(...listFiles(path));
    else if (stat?.isFile()) files.push(path);
  }
  return files;
}

/** Files under `dir` whose bytes contain `needle` (as UTF-8). */
export function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return listFiles(dir).filter((file) => readFileSync(file).includes(bytes));
}

/** PNG width and height from the IHDR chunk, or undefined when `bytes` is not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Waits until `dir` holds `count` files matching `pattern` and returns them, sorted. */
export async function waitForFiles(dir: string, pattern: RegExp, count = 1, timeoutMs = 30000): Promise<string[]> {
  return waitFor(`${count} file(s) matching ${pattern} in ${dir}`, () => {
    const found = listFiles(dir).filter((file) => pattern.test(file)).sort();
    return found.length >= count ? found : undefined;
  }, timeoutMs, 100);
}
