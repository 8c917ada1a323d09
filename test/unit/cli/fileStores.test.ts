import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileJournalStore, gptImageHome } from '../../../src/cli/fileJournalStore';
import type { JobRecord } from '../../../src/core/journal';
import { makePng } from '../../fake-providers/png';
import { journalRequest } from '../core/fixtures';

const temp = (): string => mkdtempSync(join(tmpdir(), 'gpt-image-fs-'));

function record(id: string, createdAt: number): JobRecord {
  return {
    version: 1,
    id,
    createdAt,
    updatedAt: createdAt,
    state: 'polling',
    provider: 'modellix',
    model: 'gpt-image-2',
    request: journalRequest({ prompt: 'p', size: 'auto', quality: 'medium' }),
    output: { dir: '/tmp/x', template: '{slug}-{index}' },
    tasks: [{ state: 'polling', n: 1, taskId: 'task-1', files: [] }],
    uploads: [],
    warnings: [],
  };
}

describe('node:fs image writer', () => {
  it('never clobbers: concurrent writers of one name each get their own file with their own bytes', async () => {
    const dir = join(temp(), 'images');
    const writer = createFileImageWriter();
    const payloads = Array.from({ length: 12 }, (_, index) => makePng({ width: 8, height: 8, seed: index + 1 }));
    const written = await Promise.all(payloads.map((bytes) => writer.writeImage(dir, 'same.png', bytes)));
    assert.equal(new Set(written).size, 12);
    assert.ok(written.includes(join(dir, 'same.png')) && written.includes(join(dir, 'same-12.png')));
    written.forEach((file, index) => assert.deepEqual(readFileSync(file), payloads[index]));
    assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('.')), [], 'no temporary file left behind');
  });

  it('keeps an existing file and finds an identical image already written', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'a.png'), 'precious');
    const writer = createFileImageWriter();
    const bytes = makePng({ width: 8, height: 8 });
    const location = await writer.writeImage(dir, 'a.png', bytes);
    assert.equal(location, join(dir, 'a-2.png'));
    assert.equal(readFileSync(join(dir, 'a.png'), 'utf8'), 'precious');
    assert.equal(await writer.findExisting?.(dir, 'a.png', bytes), location);
    assert.equal(await writer.findExisting?.(dir, 'a.png', makePng({ width: 8, height: 8, seed: 5 })), undefined);
  });
});

describe('node:fs journal', () => {
  it('stores one JSON file per job, lists, replaces and removes them', async () => {
    const home = temp();
    const journal = createFileJournalStore(home);
    assert.deepEqual(await journal.list(), []);
    await journal.put(record('job-a', 1));
    const updated = { ...record('job-a', 1), state: 'saved' as const };
    await journal.put(updated);
    await journal.put(record('job-b', 2));
    assert.deepEqual(readdirSync(join(home, 'jobs')).sort(), ['job-a.json', 'job-b.json']);
    assert.equal((await journal.get('job-a'))?.state, 'saved');
    assert.equal((await journal.list()).length, 2);
    await journal.remove('job-a');
    assert.equal(await journal.get('job-a'), undefined);
  });

  it('skips a corrupt record instead of failing the whole list, and refuses ids that are paths', async () => {
    const home = temp();
    const journal = createFileJournalStore(home, () => undefined);
    await journal.put(record('good', 1));
    writeFileSync(join(home, 'jobs', 'broken.json'), '{"version":1,');
    assert.deepEqual((await journal.list()).map((job) => job.id), ['good']);
    await assert.rejects(journal.get('../escape'), /not a job id/);
  });

  it('lives in $GPT_IMAGE_HOME, else the XDG state folder', () => {
    assert.equal(gptImageHome({ GPT_IMAGE_HOME: '/x/home' }), '/x/home');
    assert.equal(gptImageHome({ XDG_STATE_HOME: '/x/state' }), join('/x/state', 'gpt-image'));
  });
});
