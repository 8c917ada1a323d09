import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { lstat, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import { deflateSync, inflateSync } from 'node:zlib';
import { rasterise } from '../../../src/core/mask/maskDocument';
import { decodeMaskPng, encodeMaskPng } from '../../../src/core/mask/maskPng';
import { createRaster } from '../../../src/core/mask/maskRaster';
import type * as MaskFileModule from '../../../src/host/maskFile';
import { installFakeVscode } from '../webview/fakeVscode';

/** `<name>.mask.png` beside the image, written over a node:fs stand-in for workspace.fs. */
class FakeUri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri(base.scheme, posix.normalize(posix.join(base.path, ...parts)));
  }

  get fsPath(): string {
    return this.path;
  }

  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

class FakeFileSystemError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const fileType = { File: 1, Directory: 2, SymbolicLink: 64 } as const;
const failure = (error: unknown): never => {
  throw new FakeFileSystemError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'FileNotFound' : 'Unknown');
};
let workspaceRoot = '';
installFakeVscode({
  Uri: FakeUri,
  FileType: fileType,
  FileSystemError: FakeFileSystemError,
  workspace: {
    // As VS Code reports a link: the target's type with the SymbolicLink bit.
    fs: {
      stat: async (uri: FakeUri) => {
        const link = (await lstat(uri.path).catch(failure)).isSymbolicLink();
        const target = await stat(uri.path).catch(() => undefined);
        return { type: (target?.isDirectory() ? fileType.Directory : fileType.File) | (link ? fileType.SymbolicLink : 0) };
      },
      readFile: async (uri: FakeUri) => new Uint8Array(await readFile(uri.path).catch(failure)),
      writeFile: async (uri: FakeUri, bytes: Uint8Array) => void (await writeFile(uri.path, bytes).catch(failure)),
      rename: async (from: FakeUri, to: FakeUri) => void (await rename(from.path, to.path).catch(failure)),
      delete: async (uri: FakeUri) => void (await rm(uri.path).catch(failure)),
    },
    getWorkspaceFolder: (uri: FakeUri) =>
      uri.path.startsWith(`${workspaceRoot}/`) ? { uri: new FakeUri('file', workspaceRoot), name: 'ws', index: 0 } : undefined,
  },
});
// Required only now, so that its `import * as vscode` gets the fake.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { maskUriFor, readMaskBase, writeMaskFile } = require('../../../src/host/maskFile') as typeof MaskFileModule;

const zlib = { deflate: () => new Uint8Array(0), inflate: (data: Uint8Array) => inflateSync(data) };
const raster = rasterise(createRaster(20, 10), [{ kind: 'stroke', tool: 'brush', size: 6, points: [{ x: 3, y: 5 }, { x: 15, y: 5 }] }]);

function workspace(): string {
  workspaceRoot = mkdtempSync(join(tmpdir(), 'gpt-image-mask-'));
  return workspaceRoot;
}

const file = (path: string): FakeUri => new FakeUri('file', path);

describe('host/maskFile: <name>.mask.png beside the image', () => {
  it('writes the raster beside the image, decodable to the same pixels, with no temporary file left', async () => {
    const root = workspace();
    mkdirSync(join(root, 'art'));
    writeFileSync(join(root, 'art', 'photo.jpg'), 'jpeg bytes');
    const written = await writeMaskFile(file(join(root, 'art', 'photo.jpg')) as never, raster);
    assert.equal(written.uri.path, join(root, 'art', 'photo.mask.png'));
    assert.deepEqual(readdirSync(join(root, 'art')).sort(), ['photo.jpg', 'photo.mask.png']);
    const decoded = decodeMaskPng(readFileSync(join(root, 'art', 'photo.mask.png')), zlib);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.raster.pixels, raster.pixels);
  });

  it('replaces an existing mask (that is what saving again means)', async () => {
    const root = workspace();
    writeFileSync(join(root, 'photo.png'), 'png bytes');
    writeFileSync(join(root, 'photo.mask.png'), 'an older mask');
    await writeMaskFile(file(join(root, 'photo.png')) as never, raster);
    assert.ok(decodeMaskPng(readFileSync(join(root, 'photo.mask.png')), zlib).ok);
  });

  it('never writes outside the workspace through a linked folder', async () => {
    const root = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'gpt-image-outside-'));
    writeFileSync(join(outside, 'photo.png'), 'png bytes');
    symlinkSync(outside, join(root, 'linked'));
    await assert.rejects(writeMaskFile(file(join(root, 'linked', 'photo.png')) as never, raster), /outside|link/i);
    assert.deepEqual(readdirSync(outside), ['photo.png'], 'nothing written where the link points');
  });

  it('leaves a symbolic link at the mask’s name alone, saying so', async () => {
    const root = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'gpt-image-outside-'));
    writeFileSync(join(outside, 'target.png'), 'not yours');
    writeFileSync(join(root, 'photo.png'), 'png bytes');
    symlinkSync(join(outside, 'target.png'), join(root, 'photo.mask.png'));
    await assert.rejects(writeMaskFile(file(join(root, 'photo.png')) as never, raster), /photo\.mask\.png is a symbolic link/);
    assert.ok(lstatSync(join(root, 'photo.mask.png')).isSymbolicLink(), 'the link is still a link');
    assert.equal(readFileSync(join(outside, 'target.png'), 'utf8'), 'not yours');
  });

  it('refuses an image outside every workspace folder, and a mask as the image', async () => {
    workspace();
    const elsewhere = mkdtempSync(join(tmpdir(), 'gpt-image-elsewhere-'));
    await assert.rejects(writeMaskFile(file(join(elsewhere, 'photo.png')) as never, raster), /outside the workspace/);
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.throws(() => maskUriFor(file('/w/photo.mask.png') as never), /is a mask/);
  });

  it('continues a mask of the image’s size; names one of another size or format, which saving replaces', async () => {
    const root = workspace();
    const mask = file(join(root, 'photo.mask.png'));
    assert.deepEqual(await readMaskBase(mask as never, 20, 10), {}, 'no mask yet: start empty, nothing to say');
    writeFileSync(mask.path, encodeMaskPng(raster, { deflate: (data) => deflateSync(data) }));
    const continued = await readMaskBase(mask as never, 20, 10);
    assert.deepEqual(continued.raster?.pixels, raster.pixels);
    assert.equal(continued.note, 'Continuing photo.mask.png.');
    assert.deepEqual(await readMaskBase(mask as never, 40, 10), { note: "photo.mask.png is 20x10, not the image's 40x10; saving replaces it." });
    writeFileSync(mask.path, 'not a png');
    assert.deepEqual(await readMaskBase(mask as never, 20, 10), { note: 'photo.mask.png could not be continued (it is not a PNG); saving replaces it.' });
  });
});
