import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileRescueStore } from '../../../src/cli/rescueStore';
import { makePng } from '../../fake-providers/png';

describe('the CLI keep ($GPT_IMAGE_HOME/rescued) and the writer preflight', () => {
  it('keeps bytes durably per job, reads and removes them, and touches nothing outside its folder', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-keep-'));
    const store = createFileRescueStore(home);
    const bytes = makePng({ width: 16, height: 16 });
    const kept = await store.keep('20260511-142233-3f9a1c', 'image-2.png', bytes);
    assert.equal(kept, join(home, 'rescued', '20260511-142233-3f9a1c', 'image-2.png'));
    assert.deepEqual(readFileSync(kept), Buffer.from(bytes));
    assert.deepEqual(readdirSync(join(home, 'rescued', '20260511-142233-3f9a1c')), ['image-2.png'], 'no temporary file left');
    assert.deepEqual(Buffer.from(await store.read(kept)), Buffer.from(bytes));
    // A location comes from the journal, which a user (or anything else) can edit.
    writeFileSync(join(home, 'precious.txt'), 'mine');
    await assert.rejects(store.remove(join(home, 'rescued', '..', 'precious.txt')), /not in GPT Image's storage/);
    await assert.rejects(store.read(join(home, 'precious.txt')), /not in GPT Image's storage/);
    await assert.rejects(store.keep('../escape', 'image-1.png', bytes), /not a safe file name/);
    assert.equal(existsSync(join(home, 'precious.txt')), true);
    await store.remove(kept);
    assert.equal(existsSync(join(home, 'rescued', '20260511-142233-3f9a1c')), false, 'the job folder goes with its last copy');
  });

  it('the preflight refuses a file, a folder below a file, and leaves nothing in a folder it accepts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-prepare-'));
    const writer = createFileImageWriter();
    writeFileSync(join(root, 'file.png'), 'x');
    await assert.rejects(writer.prepare(join(root, 'file.png')), /Cannot save images in .*file\.png: it is not a folder\./);
    await assert.rejects(writer.prepare(join(root, 'file.png', 'below')), /Cannot save images in .*below: a folder above it is a file\./);
    await writer.prepare(join(root, 'new', 'folder'));
    assert.deepEqual(readdirSync(join(root, 'new', 'folder')), [], 'created, and the probe removed');
  });

  it('a write that fails once its temporary file exists removes that file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpt-image-cut-'));
    // A buffer detached after the fact: open('wx') creates the temporary file, then the write throws
    // (as a full disk would; root ignores permissions, so this is the failure a test can cause).
    const bytes = new Uint8Array(makePng({ width: 16, height: 16 }));
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    await assert.rejects(createFileImageWriter().writeImage(dir, 'cut-1.png', bytes));
    assert.deepEqual(readdirSync(dir), [], 'no temporary file and no image');
  });

  it('removes temporary files a dead writer left, never a live one\'s nor files that are not ours', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpt-image-leftovers-'));
    mkdirSync(dir, { recursive: true });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
    const dead = `.gpt-image-${deadPid}-0a1b2c3d.tmp`;
    const live = `.gpt-image-${process.pid}-0a1b2c3d.tmp`;
    const other = `.cat-1.png.${deadPid}.0a1b2c3d.tmp`;
    for (const name of [dead, live, other]) writeFileSync(join(dir, name), 'partial');
    await createFileImageWriter().removeLeftovers?.(dir);
    assert.deepEqual(readdirSync(dir).sort(), [live, other].sort());
  });
});
