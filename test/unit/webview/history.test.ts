import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobRecord } from '../../../src/core/journal';
import type { Provenance } from '../../../src/core/provenance';
import { HistoryIndex } from '../../../src/host/history';
import type { HistoryFileSystem } from '../../../src/host/history';
import { journalRequest } from '../core/fixtures';

/** node:fs behind the same port workspace.fs serves in the extension. */
const nodeFs: HistoryFileSystem = {
  listFiles: async (dir) => readdirSync(dir).map((name) => ({ name, mtimeMs: statSync(join(dir, name)).mtimeMs })),
  readText: async (location) => readFileSync(location, 'utf8'),
  join: (dir, name) => join(dir, name),
};

const baseTime = Date.UTC(2026, 0, 1) / 1000;

function provenance(index: number): Provenance {
  return {
    version: 1,
    file: `img-${index}.png`,
    provider: index % 2 === 0 ? 'openai' : 'apixo',
    model: 'gpt-image-2',
    request: journalRequest({ prompt: index % 50 === 0 ? `a lighthouse number ${index}` : `a fox number ${index}`, quality: 'low' }),
    index: 1,
    jobId: `job-${index}`,
    createdAt: new Date((baseTime + index * 60) * 1000).toISOString(),
    durationMs: 1000,
    warnings: [],
  };
}

function failedJob(dir: string): JobRecord {
  return {
    version: 1,
    id: 'job-failed',
    createdAt: (baseTime + 1000 * 60) * 1000,
    updatedAt: 0,
    state: 'failed',
    provider: 'modellix',
    model: 'gpt-image-2',
    request: { ...provenance(0).request, prompt: 'a failed fox' },
    output: { dir, template: '{date}-{slug}-{index}.{ext}' },
    tasks: [],
    uploads: [],
    warnings: [],
    error: { kind: 'taskFailed', message: 'boom' },
  };
}

describe('history paging', () => {
  let root: string;
  let dir: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'studio-history-'));
    dir = join(root, 'images');
    const sidecars = join(dir, '.gpt-image');
    mkdirSync(sidecars, { recursive: true });
    for (let index = 0; index < 500; index++) {
      writeFileSync(join(dir, `img-${index}.png`), 'not really a png');
      const sidecar = join(sidecars, `img-${index}.png.json`);
      writeFileSync(sidecar, JSON.stringify(provenance(index)));
      // mtime order = creation order, so "newest first" is checkable.
      utimesSync(sidecar, baseTime + index * 60, baseTime + index * 60);
    }
    writeFileSync(join(sidecars, 'broken.png.json'), '{ "version": 1, "prov');
    utimesSync(join(sidecars, 'broken.png.json'), baseTime - 60, baseTime - 60);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('opens 500 images a page at a time, reading only that page', async () => {
    const index = new HistoryIndex(nodeFs, async () => []);
    const first = await index.page({ dirs: [dir], query: '', offset: 0, limit: 40 });
    assert.equal(first.total, 501);
    assert.equal(first.entries.length, 40);
    assert.equal(index.reads, 40, 'only the first page of sidecars was read');
    const names = first.entries.map((entry) => (entry.kind === 'image' ? entry.fileName : entry.job.id));
    assert.deepEqual(names.slice(0, 3), ['img-499.png', 'img-498.png', 'img-497.png']);

    const second = await index.page({ dirs: [dir], query: '', offset: 40, limit: 40 });
    assert.equal(second.entries[0]?.kind === 'image' && second.entries[0].fileName, 'img-459.png');
    assert.equal(index.reads, 80);

    const last = await index.page({ dirs: [dir], query: '', offset: 480, limit: 40 });
    assert.equal(last.entries.length, 21);
    const broken = last.entries.at(-1);
    assert.ok(broken?.kind === 'image');
    assert.equal(broken.fileName, 'broken.png');
    assert.equal(broken.provenance, undefined, 'a truncated sidecar is listed without details, not thrown');
  });

  it('searches by prompt, reading each sidecar once and then from cache', async () => {
    const index = new HistoryIndex(nodeFs, async () => []);
    const found = await index.page({ dirs: [dir], query: 'LIGHTHOUSE', offset: 0, limit: 40 });
    assert.equal(found.total, 10);
    assert.ok(found.entries.every((entry) => entry.kind === 'image' && entry.provenance?.request.prompt.includes('lighthouse')));
    assert.equal(index.reads, 501);
    // Every term must appear, in any case: "fox 49" matches 49, 149, 249, 349, 449 and 490–499 (not 450: lighthouse).
    const again = await index.page({ dirs: [dir], query: 'Fox 49', offset: 0, limit: 3 });
    assert.deepEqual(
      again.entries.map((entry) => entry.kind === 'image' && entry.fileName),
      ['img-499.png', 'img-498.png', 'img-497.png'],
    );
    assert.equal(again.total, 15);
    assert.equal(index.reads, 501, 'the second search reads nothing again');
  });

  it('lists journal jobs that ended without files, and their output folders', async () => {
    const other = join(root, 'elsewhere');
    mkdirSync(join(other, '.gpt-image'), { recursive: true });
    writeFileSync(join(other, '.gpt-image', 'old.png.json'), JSON.stringify({ ...provenance(7), file: 'old.png' }));
    utimesSync(join(other, '.gpt-image', 'old.png.json'), baseTime + 2000 * 60, baseTime + 2000 * 60);
    const job = failedJob(other);
    const saved = { ...failedJob(other), id: 'job-saved', state: 'saved' as const };
    const index = new HistoryIndex(nodeFs, async () => [job, saved]);
    const page = await index.page({ dirs: [dir], query: '', offset: 0, limit: 5 });
    assert.equal(page.total, 503, '501 here, 1 from the job\'s folder, 1 failed job; saved jobs show as their images');
    assert.equal(page.entries[0]?.kind === 'image' && page.entries[0].fileName, 'old.png');
    const fox = await index.page({ dirs: [dir], query: 'failed', offset: 0, limit: 5 });
    assert.equal(fox.total, 1);
    assert.equal(fox.entries[0]?.kind, 'job');
  });

  it("lists only this workspace's jobs: the journal is shared by every project", async () => {
    const project = join(root, 'project-a');
    const mine = { ...failedJob(join(project, 'images')), id: 'job-mine', request: { ...provenance(0).request, prompt: 'mine' } };
    const theirs = { ...failedJob(join(root, 'project-b', 'images')), id: 'job-theirs' };
    // A sibling whose name only starts like the project is another project, not a subfolder.
    const sibling = { ...failedJob(`${project}-copy`), id: 'job-sibling' };
    const index = new HistoryIndex(nodeFs, async () => [mine, theirs, sibling]);
    const page = await index.page({ dirs: [], roots: [project], query: '', offset: 0, limit: 10 });
    assert.deepEqual(page.entries.map((entry) => (entry.kind === 'job' ? entry.job.id : entry.location)), ['job-mine']);
    assert.equal(page.total, 1);
  });

  it('treats a missing output folder as empty', async () => {
    const index = new HistoryIndex(nodeFs, async () => {
      throw new Error('journal unreadable');
    });
    const page = await index.page({ dirs: [join(root, 'missing')], query: '', offset: 0, limit: 40 });
    assert.deepEqual(page, { entries: [], total: 0 });
  });
});
