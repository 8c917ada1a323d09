import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { commandIds } from '../../../src/commands/commands';
import { readManifest, repoRoot } from './manifest';

interface Step {
  readonly id: string;
  readonly description: string;
  readonly media: { readonly markdown?: string; readonly image?: string };
  readonly completionEvents: readonly string[];
}

interface Manifest {
  readonly icon?: string;
  readonly galleryBanner?: { readonly color?: string; readonly theme?: string };
  readonly contributes: { readonly walkthroughs: readonly { readonly id: string; readonly steps: readonly Step[] }[] };
}

const root = repoRoot;
const manifest = readManifest<Manifest>();
const source = (path: string): string => readFileSync(join(root, 'src', path), 'utf8');

describe('the walkthrough (package.json contributes.walkthroughs)', () => {
  const walkthrough = manifest.contributes.walkthroughs.find((candidate) => candidate.id === 'gptImage.gettingStarted');

  it('has the four steps in order: key, first image, edit, agents', () => {
    assert.deepEqual(walkthrough?.steps.map((step) => step.id), ['setKey', 'firstImage', 'editImage', 'agents']);
  });

  it('gives every step a media file of its own that ships', () => {
    const media = walkthrough?.steps.map((step) => step.media.markdown ?? step.media.image) ?? [];
    assert.equal(new Set(media).size, 4);
    for (const file of media) assert.ok(file !== undefined && file.startsWith('media/') && existsSync(join(root, file)), `${file} exists under media/`);
  });

  it('completes each step on its own event, and each event is raised by the code', () => {
    const events = walkthrough?.steps.map((step) => step.completionEvents) ?? [];
    assert.deepEqual(events, [['onContext:gptImage.keyStored'], ['onContext:gptImage.imageSaved'], ['onContext:gptImage.imageEdited'], ['onCommand:gptImage.showAgentsGuide']]);
    assert.match(source('commands/setApiKey.ts'), /'setContext', 'gptImage\.keyStored', true/);
    assert.match(source('host/jobViews.ts'), /'setContext', 'gptImage\.imageSaved', true/);
    assert.match(source('host/jobViews.ts'), /'setContext', 'gptImage\.imageEdited', true/);
    assert.ok((commandIds as readonly string[]).includes('gptImage.showAgentsGuide'));
  });

  it('links only to commands the extension declares (or its own Studio)', () => {
    for (const step of walkthrough?.steps ?? []) {
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok((commandIds as readonly string[]).includes(command ?? ''), `${step.id} links ${command}`);
    }
  });

  it('has the getStarted command open exactly this walkthrough', () => {
    assert.match(source('commands/getStarted.ts'), /#gptImage\.gettingStarted/);
  });
});

describe('Marketplace listing', () => {
  it('has a 128×128 PNG icon and a gallery banner', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const png = readFileSync(join(root, 'media', 'icon.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(manifest.galleryBanner?.theme === 'dark' || manifest.galleryBanner?.theme === 'light');
  });
});

describe('README screenshots', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1] ?? '');

  it('are plain paths under media/readme/ that exist, left out of the .vsix (nothing there would show them)', () => {
    const ours = images.filter((path) => path.startsWith('media/readme/'));
    assert.ok(ours.length >= 4, `README shows ${ours.length} screenshots`);
    for (const path of ours) assert.ok(existsSync(join(root, path)), `${path} exists (node scripts/readmeScreenshots.mjs copies it)`);
    // vsce lets a negated pattern win over any other: media/ ships, except its readme/ folder.
    const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!media/'));
    assert.deepEqual(shipped, ['!media/*', '!media/!(readme)/**']);
    assert.match(readFileSync(join(root, 'scripts', 'package.mjs'), 'utf8'), /'--no-rewrite-relative-links'/);
  });

  it('are each copied by scripts/readmeScreenshots.mjs from a polish- scenario screenshot', () => {
    const script = readFileSync(join(root, 'scripts', 'readmeScreenshots.mjs'), 'utf8');
    for (const path of images.filter((candidate) => candidate.startsWith('media/readme/'))) {
      assert.match(script, new RegExp(`'${path.slice('media/readme/'.length).replace('.', '\\.')}': 'polish-[a-z-]+\\.png'`));
    }
  });
});
