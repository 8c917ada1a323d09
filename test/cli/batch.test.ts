import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import type { RecordedRequest } from '../fake-providers/server';
import { makePng } from '../fake-providers/png';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox } from './cliHarness';
import type { Sandbox } from './cliHarness';

/** Six entries over two providers: nine files. */
const sixEntries = `defaults: { provider: openai, size: 1024x1024, quality: medium, out: assets/generated }
images:
  - name: icon
    prompt: A paper boat icon
  - name: hero
    prompt: Watercolor harbour at dawn
    size: 1536x1024
    n: 2
  - name: banner
    prompt: A long banner of waves
    provider: gravitex
  - name: mascot
    prompt: A friendly otter mascot
    providers: [openai, gravitex]
  - name: logo
    prompt: A lighthouse logo
    provider: gravitex
    n: 2
  - name: badge
    prompt: A round badge
`;

const expectedFiles = ['badge.png', 'banner.png', 'hero-1.png', 'hero-2.png', 'icon.png', 'logo-1.png', 'logo-2.png', 'mascot-gravitex.png', 'mascot-openai.png'];

const promptOf = (request: RecordedRequest): string => (JSON.parse(request.body.toString('utf8')) as { prompt: string }).prompt;

describe('gpt-image batch (built CLI against the OpenAI and Gravitex fakes)', () => {
  let openai: FakeOpenAi;
  let gravitex: FakeOpenAi;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
    gravitex = await startFakeOpenAi({ flavour: 'gravitex' });
    env = { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl, GPT_IMAGE_GRAVITEX_BASE_URL: gravitex.baseUrl };
  });
  after(async () => {
    await openai.close();
    await gravitex.close();
  });
  beforeEach(() => {
    openai.reset();
    gravitex.reset();
  });

  const sent = (): RecordedRequest[] => [...openai.apiRequests(), ...gravitex.apiRequests()];
  const withBatch = (text: string): Sandbox => {
    const box = sandbox(env);
    writeFileSync(join(box.cwd, 'site.images.yaml'), text);
    return box;
  };
  const out = (box: Sandbox): string => join(box.cwd, 'assets', 'generated');

  it('six entries over two providers write every file once under <name>, <name>-<provider> and -<k>; a second run sends 0 requests', async () => {
    const box = withBatch(sixEntries);
    const first = await runCli(['batch', 'site.images.yaml'], box);
    assertNoKeyLeak(first);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(imagesIn(out(box)), expectedFiles);
    assert.deepEqual(lines(first.stdout).map((file) => file.replace(`${out(box)}/`, '')).sort(), expectedFiles);
    // One paid request per entry and provider: no prompt sent twice to one provider.
    assert.deepEqual(openai.apiRequests().map(promptOf).sort(), ['A friendly otter mascot', 'A paper boat icon', 'A round badge', 'Watercolor harbour at dawn']);
    assert.deepEqual(gravitex.apiRequests().map(promptOf).sort(), ['A friendly otter mascot', 'A lighthouse logo', 'A long banner of waves']);
    assert.equal(JSON.parse(openai.apiRequests().find((request) => promptOf(request) === 'Watercolor harbour at dawn')?.body.toString('utf8') ?? '{}').n, 2);
    // Not a terminal: one line per finished entry.
    assert.equal(lines(first.stderr).filter((line) => /^gpt-image: \[\d\/7\] made: /.test(line)).length, 7, first.stderr);

    const second = await runCli(['batch', 'site.images.yaml'], box);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(sent().length, 7, 'the second run sent requests');
    assert.equal(second.stdout, '');
    assert.equal(lines(second.stderr).filter((line) => line.includes('up to date: ')).length, 7, second.stderr);
  });

  it('each sidecar records its batch file (relative to the working folder, never absolute) and entry', async () => {
    const box = sandbox(env);
    mkdirSync(join(box.cwd, 'art'), { recursive: true });
    writeFileSync(join(box.cwd, 'art', 'site.images.yaml'), sixEntries);
    const result = await runCli(['batch', 'art/site.images.yaml'], box);
    assert.equal(result.code, 0, result.stderr);
    const made = join(box.cwd, 'art', 'assets', 'generated');
    const origin = (file: string): unknown => (JSON.parse(readFileSync(join(made, '.gpt-image', `${file}.json`), 'utf8')) as { batch?: unknown }).batch;
    assert.deepEqual(origin('mascot-openai.png'), { file: 'art/site.images.yaml', entry: 'mascot' });
    assert.deepEqual(origin('mascot-gravitex.png'), { file: 'art/site.images.yaml', entry: 'mascot' });
    assert.deepEqual(origin('hero-2.png'), { file: 'art/site.images.yaml', entry: 'hero' });

    // Run from a sibling folder: the file is outside the working folder, so only its name is kept.
    const elsewhere = join(box.cwd, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(box.cwd, 'art', 'site.images.yaml'), sixEntries.replace('A round badge', 'A square badge'));
    const again = await runCli(['batch', '../art/site.images.yaml'], { ...box, cwd: elsewhere });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(origin('badge.png'), { file: 'site.images.yaml', entry: 'badge' });
    assert.ok(!readFileSync(join(made, '.gpt-image', 'badge.png.json'), 'utf8').includes(box.cwd), 'no absolute path in the sidecar');
  });

  it('changing one prompt makes only that entry again and keeps the previous copy', async () => {
    const box = withBatch(sixEntries);
    assert.equal((await runCli(['batch', 'site.images.yaml'], box)).code, 0);
    const before = readFileSync(join(out(box), 'banner.png'));
    const requestsBefore = sent().length;
    writeFileSync(join(box.cwd, 'site.images.yaml'), sixEntries.replace('A long banner of waves', 'A long banner of dunes'));
    const result = await runCli(['batch', 'site.images.yaml'], box);
    assert.equal(result.code, 0, result.stderr);
    const again = sent().slice(requestsBefore);
    assert.deepEqual(again.map(promptOf), ['A long banner of dunes']);
    assert.deepEqual(lines(result.stdout), [join(out(box), 'banner.png')]);
    assert.notDeepEqual(readFileSync(join(out(box), 'banner.png')), before);
    const previous = join(out(box), '.gpt-image', 'previous');
    const [stamp] = readdirSync(previous);
    assert.ok(stamp);
    assert.deepEqual(readFileSync(join(previous, stamp, 'banner.png')), before);
    const keptSidecar = JSON.parse(readFileSync(join(previous, stamp, '.gpt-image', 'banner.png.json'), 'utf8')) as { request: { prompt: string } };
    assert.equal(keptSidecar.request.prompt, 'A long banner of waves');
    assert.deepEqual(imagesIn(out(box)), expectedFiles);
  });

  it('--dry-run prints the plan and the estimated cost, and sends 0 requests', async () => {
    const box = withBatch(sixEntries);
    const result = await runCli(['batch', 'site.images.yaml', '--dry-run'], box);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(sent().length, 0);
    assert.equal(existsSync(out(box)), false);
    const plan = lines(result.stdout);
    assert.equal(plan.filter((line) => line.startsWith('make ')).length, 7, result.stdout);
    assert.match(plan.at(-1) ?? '', /^would send 7 jobs for 9 images: estimated cost about \$\d+\.\d+; not counted: Gravitex \(no published price\)\. Nothing was sent\.$/);
  });

  it('reports every invalid entry with its line, exit 2, and sends nothing', async () => {
    const box = withBatch(`images:
  - name: fine
    prompt: A fine entry
  - name: too-many
    prompt: x
    n: 11
  - name: odd-size
    prompt: y
    size: 1000x1000
  - name: typo
    prompt: z
    qualty: high
  - prompt: no name
  - name: missing-ref
    prompt: edit it
    images: [nowhere.png]
`);
    const result = await runCli(['batch', 'site.images.yaml'], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(sent().length, 0);
    // One line per problem, each `file:line:column: …`, then how many.
    const reported = lines(result.stderr).map((line) => /^gpt-image: site\.images\.yaml:(\d+):\d+: /.exec(line)?.[1]);
    assert.deepEqual(reported, ['4', '7', '12', '13', '14', undefined], result.stderr);
    assert.equal(lines(result.stderr).at(-1), 'gpt-image: 5 problems in site.images.yaml; nothing was sent.');
    assert.match(result.stderr, /nowhere\.png does not exist/);
    assert.equal(existsSync(join(box.cwd, 'images')), false);
  });

  it('a file not made by gpt-image is a conflict (exit 1, untouched); --force keeps a copy first', async () => {
    const box = withBatch('images:\n  - name: icon\n    prompt: A paper boat icon\n    out: art\n  - name: other\n    prompt: Another\n    out: art\n');
    const foreign = makePng({ width: 8, height: 8, seed: 42 });
    const dir = join(box.cwd, 'art');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    writeFileSync(join(dir, 'icon.png'), foreign);
    const result = await runCli(['batch', 'site.images.yaml'], box);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /conflict: icon \(icon\.png in art was not made by gpt-image: left untouched/);
    assert.deepEqual(readFileSync(join(dir, 'icon.png')), foreign);
    assert.deepEqual(openai.apiRequests().map(promptOf), ['Another']);

    const forced = await runCli(['batch', 'site.images.yaml', '--force'], box);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(openai.apiRequests().map(promptOf), ['Another', 'A paper boat icon']);
    assert.notDeepEqual(readFileSync(join(dir, 'icon.png')), foreign);
    const previous = join(dir, '.gpt-image', 'previous');
    const [stamp] = readdirSync(previous);
    assert.deepEqual(readFileSync(join(previous, stamp ?? '', 'icon.png')), foreign);
  });

  it('a paid request whose outcome is unknown: exit 3, the entry named; running the batch again does not send it again', async () => {
    const box = withBatch('images:\n  - name: lost\n    prompt: Lost on the way\n  - name: fine\n    prompt: Arrives\n');
    openai.enqueue({ reset: true });
    const first = await runCli(['batch', 'site.images.yaml', '--concurrency', '1'], box);
    assertNoKeyLeak(first);
    assert.equal(first.code, 3, first.stderr);
    assert.match(first.stderr, /outcome unknown: lost .*will not be resent/);
    assert.deepEqual(imagesIn(join(box.cwd, 'images')), ['fine.png']);
    const again = await runCli(['batch', 'site.images.yaml'], box);
    assert.equal(again.code, 3, again.stderr);
    assert.match(again.stderr, /outcome unknown: lost \(job [\w-]+ was being sent when its run ended: the provider may have accepted and charged it, so it is not sent again/);
    assert.deepEqual(openai.apiRequests().map(promptOf), ['Lost on the way', 'Arrives'], 'the unknown request was sent again');
  });
});
