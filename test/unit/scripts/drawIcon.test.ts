import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// Tests run from out/test/unit/scripts; the repository root is four levels up.
const root = join(__dirname, '..', '..', '..', '..');

describe('scripts/drawIcon.mjs', () => {
  it('draws exactly the committed media/icon.png (the icon is made here, not downloaded)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gis-icon-'));
    try {
      const out = join(dir, 'icon.png');
      const run = spawnSync(process.execPath, [join(root, 'scripts', 'drawIcon.mjs'), '--out', out], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(readFileSync(out).equals(readFileSync(join(root, 'media', 'icon.png'))), 'run node scripts/drawIcon.mjs and commit media/icon.png');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
