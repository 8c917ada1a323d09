import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePng } from '../../fake-providers/png';

/** A cached 4K result image the fake serves, with its hash for the identical-bytes check. */
export interface Fixture {
  readonly bytes: Buffer;
  readonly sha256: string;
}

export const fixtureWidth = 3840;
export const fixtureHeight = 2160;
/** 3 bits of noise per channel gives ~12 MB per image, like a real photo-like 4K PNG (see png.ts). */
const noiseBits = 3;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * `count` different noisy 3840x2160 PNGs, generated once (about a second each) and kept in
 * bench/cache/png, which is git-ignored. The file name carries every generator input, so changing
 * one makes new files rather than reusing stale ones.
 */
export function loadFixtures(cacheDir: string, count: number): Fixture[] {
  const dir = join(cacheDir, 'png');
  mkdirSync(dir, { recursive: true });
  const fixtures: Fixture[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const file = join(dir, `noise${noiseBits}-${fixtureWidth}x${fixtureHeight}-seed${seed}.png`);
    if (!existsSync(file)) {
      const bytes = makePng({ width: fixtureWidth, height: fixtureHeight, seed, noise: true, noiseBits });
      writeFileSync(`${file}.tmp`, bytes);
      renameSync(`${file}.tmp`, file);
    }
    const bytes = readFileSync(file);
    fixtures.push({ bytes, sha256: sha256(bytes) });
  }
  return fixtures;
}
