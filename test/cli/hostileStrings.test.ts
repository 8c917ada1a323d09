import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeApixo } from '../fake-providers/apixo';
import type { FakeApixo } from '../fake-providers/apixo';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { makePng } from '../fake-providers/png';
import { assertNoKeyLeak, fakeKeys, imagesIn, lines, runCli, sandbox, startCli, waitFor } from './cliHarness';

/** An OSC 8 hyperlink (ESC ] 8 ; ; url BEL), a one-character C1 CSI, a CR that rewrites the line, a bidi override. */
const hostile = 'Bad size \u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007 \u009b31m red \r\u202eevil';
// eslint-disable-next-line no-control-regex -- what must never reach a terminal
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Every file under `dir` (journal records, sidecars), as path and text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, text: readFileSync(path, 'latin1') }];
  });
}

/** No fake key in any file the CLI wrote: the journal (`home`) and the output folders with their sidecars (`cwd`). */
function assertNoKeyOnDisk(...dirs: string[]): void {
  for (const { path, text } of dirs.flatMap(filesUnder)) {
    for (const key of Object.values(fakeKeys)) assert.ok(!text.includes(key), `the API key ${key.slice(0, 8)}… was written to ${path}`);
  }
}

const signatureWords = /X-Amz-Signature|X-Amz-Credential|AKIAFAKE/;

function assertNoSignatureOnDisk(...dirs: string[]): void {
  for (const { path, text } of dirs.flatMap(filesUnder)) assert.doesNotMatch(text, signatureWords, `a signed URL was written to ${path}`);
}

function journalRecords(home: string): { tasks: { state: string; resultUrls?: string[]; resultUrlsRedacted?: boolean }[]; uploads: { url: string }[]; request: { inputImages: { url?: string; redacted?: boolean }[] } }[] {
  return filesUnder(join(home, 'jobs')).map(({ text }) => JSON.parse(text) as ReturnType<typeof journalRecords>[number]);
}

function assertTerminalSafe(text: string, where: string): void {
  const match = rawControl.exec(text);
  assert.equal(match, null, `${where} holds a raw U+${match?.[0].charCodeAt(0).toString(16).padStart(4, '0') ?? ''}: ${JSON.stringify(text)}`);
}

describe('gpt-image output with hostile provider strings (issue 10, items 9 and 10)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let apixo: FakeApixo;
  let openai: FakeOpenAi;
  const poll = ['--poll-interval', '0.05'];

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
    apixo = await startFakeApixo({ cdn, apiKey: 'sk-test-apixo-key' });
  });
  after(async () => {
    await openai.close();
    await modellix.close();
    await apixo.close();
    await cdn.close();
  });
  beforeEach(() => {
    openai.reset();
    modellix.reset();
    apixo.reset();
    cdn.reset();
  });

  it('control characters in a refusal, a task failure and `gpt-image jobs` are shown escaped, never raw', async () => {
    const box = sandbox();
    modellix.fault({ on: 'submit', kind: 'status', status: 400, message: hostile });
    const refused = await runCli(['generate', '--provider', 'modellix', '--prompt', 'x', '--base-url', modellix.baseUrl, ...poll], box);
    assert.equal(refused.code, 1, refused.stderr);
    assertTerminalSafe(refused.stderr, 'stderr of a refused submit');
    assert.match(refused.stderr, /\\u001b\]8;;http:\/\/evil\.example\\u0007click/, 'escaped, still readable');
    assert.match(refused.stderr, /\\u009b31m red \\u202eevil/);

    apixo.setKnobs({ outcome: 'failed', failCode: 'UPSTREAM_ERROR', failMsg: hostile });
    const failed = await runCli(['generate', '--provider', 'apixo', '--prompt', 'y', '--base-url', apixo.baseUrl, ...poll], box);
    assert.equal(failed.code, 1, failed.stderr);
    assertTerminalSafe(failed.stderr, 'stderr of a failed task');

    const listed = await runCli(['jobs'], box);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /\\u001b\]8;;/, 'the listing shows the failure messages');
    assertTerminalSafe(listed.stdout, '`gpt-image jobs`');
    assertTerminalSafe(listed.stderr, '`gpt-image jobs` stderr');
    for (const result of [refused, failed, listed]) assertNoKeyLeak(result);
  });

  it('a task status word with a newline and ESC forges no line and moves no cursor', async () => {
    const box = sandbox();
    // Progress lines quote the provider's status word as it came.
    modellix.setKnobs({ runningStatus: 'working\n/home/user/forged.png\u001b[2J' });
    const result = await runCli(['generate', '--provider', 'modellix', '--prompt', 'x', '--base-url', modellix.baseUrl, ...poll], box);
    assert.equal(result.code, 0, result.stderr);
    const outLines = result.stdout.split('\n').filter((line) => line !== '');
    assert.equal(outLines.length, 1, result.stdout);
    assert.ok(!result.stderr.split('\n').includes('/home/user/forged.png'), result.stderr);
    assert.match(result.stderr, /working\\u000a\/home\/user\/forged\.png\\u001b\[2j/i);
    assertTerminalSafe(result.stderr, 'progress lines');
  });

  it('no key in the journal, a sidecar or any output, whatever a provider echoes (in a 200 answer too)', async () => {
    const box = sandbox();
    const cases: { provider: string; base: string; arrange: () => void }[] = [
      // Before: an error inside a 200 answer and a parameter name were quoted unscrubbed into the journal.
      { provider: 'openai', base: openai.baseUrl, arrange: () => openai.enqueue({ status: 200, body: JSON.stringify({ created: 1, data: [], error: { message: `upstream refused ${fakeKeys.OPENAI_API_KEY}` } }) }) },
      { provider: 'openai', base: openai.baseUrl, arrange: () => openai.enqueue({ status: 400, message: 'Unknown parameter', param: fakeKeys.OPENAI_API_KEY }) },
      {
        provider: 'modellix',
        base: modellix.baseUrl,
        arrange: () => {
          modellix.setKnobs({ echoAuthorization: true });
          modellix.fault({ on: 'submit', kind: 'envelope', code: 400, message: 'Bad Request: nope' });
        },
      },
      { provider: 'modellix', base: modellix.baseUrl, arrange: () => modellix.setKnobs({ outcome: 'failed', failure: { error: { message: `quota of ${fakeKeys.MODELLIX_API_KEY} spent` } } }) },
      { provider: 'modellix', base: modellix.baseUrl, arrange: () => modellix.setKnobs({ runningStatus: `queued-for-${fakeKeys.MODELLIX_API_KEY}` }) },
      { provider: 'apixo', base: apixo.baseUrl, arrange: () => apixo.setKnobs({ outcome: 'failed', failCode: 'UPSTREAM_ERROR', failMsg: `bad key ${fakeKeys.APIXO_API_KEY}` }) },
    ];
    for (const [index, { provider, base, arrange }] of cases.entries()) {
      modellix.reset();
      apixo.reset();
      openai.reset();
      arrange();
      const result = await runCli(['generate', '--provider', provider, '--prompt', `case ${index}`, '--out', `out-${index}`, '--base-url', base, ...poll], box);
      assertNoKeyLeak(result);
      assertNoKeyOnDisk(box.home, box.cwd);
    }
    const listed = await runCli(['jobs'], box);
    assertNoKeyLeak(listed);
    assert.match(listed.stdout, /\[redacted\]/, 'the provider words are kept, the key taken out');
  });

  it('signed result and upload links are journalled without their query; a job killed mid-download still saves its image', async () => {
    const box = sandbox();
    const source = makePng({ width: 48, height: 48, seed: 4 });
    writeFileSync(join(box.cwd, 'cat.png'), source);
    modellix.setKnobs({ signedResults: true, signedUploads: true });
    cdn.faults.push({ on: 'download', kind: 'stallMidBody' });
    const args = ['edit', '--provider', 'modellix', '--image', 'cat.png', '--prompt', 'Add a hat', '--base-url', modellix.baseUrl, ...poll];
    const { child, done } = startCli(args, box);
    await waitFor(() => cdn.requests().length >= 1);
    const [download] = cdn.requests();
    assert.match(download?.url ?? '', /X-Amz-Signature=[0-9a-f]{64}/, 'the download itself uses the full signed link');
    child.kill('SIGKILL');
    assert.equal((await done).signal, 'SIGKILL');

    const [killed] = journalRecords(box.home);
    assert.ok(killed);
    assert.equal(killed.tasks[0]?.state, 'downloading');
    assert.equal(killed.tasks[0]?.resultUrlsRedacted, true);
    assert.match(killed.tasks[0]?.resultUrls?.[0] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/files\/[\w-]+\.png$/, 'kept without its query');
    assert.doesNotMatch(killed.uploads[0]?.url ?? '?', /\?/);
    assertNoSignatureOnDisk(box.home, box.cwd);

    const pollsBefore = modellix.requests().filter((request) => request.method === 'GET').length;
    const resumed = await runCli(['resume', ...poll], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(lines(resumed.stdout), [join(box.cwd, 'cat-edit-1.png')]);
    assert.ok(modellix.requests().filter((request) => request.method === 'GET').length > pollsBefore, 'the links were asked for again');
    const [url] = modellix.tasks.all()[0]?.resultUrls ?? [];
    assert.ok(url);
    assert.deepEqual(readFileSync(join(box.cwd, 'cat-edit-1.png')), Buffer.from(await (await fetch(url)).arrayBuffer()));
    assert.ok(cdn.requests().every((request) => /X-Amz-Signature=/.test(request.url)), 'never fetched without the signature');
    assert.deepEqual(imagesIn(box.cwd), ['cat-edit-1.png', 'cat.png']);
    assertNoSignatureOnDisk(box.home, box.cwd);
    assert.equal(cdn.sawAuthorization(), false);
  });

  it('a presigned reference URL is sent whole, and kept without its signature in the journal and the sidecar', async () => {
    const box = sandbox();
    const presigned = 'https://bucket.example/refs/cat.png?X-Amz-Credential=AKIAFAKEFAKEFAKE0000%2F20260101&X-Amz-Signature=0123abcd';
    const result = await runCli(['edit', '--provider', 'apixo', '--image', presigned, '--prompt', 'Add a hat', '--out', 'out', '--base-url', apixo.baseUrl, ...poll], box);
    assert.equal(result.code, 0, result.stderr);
    const submit = apixo.requests().find((request) => request.method === 'POST');
    assert.deepEqual((JSON.parse(submit?.body.toString('utf8') ?? '{}') as { input: { image_urls: string[] } }).input.image_urls, [presigned]);
    const [record] = journalRecords(box.home);
    assert.deepEqual(record?.request.inputImages, [{ kind: 'url', url: 'https://bucket.example/refs/cat.png', redacted: true }]);
    const sidecars = filesUnder(join(box.cwd, 'out', '.gpt-image'));
    assert.equal(sidecars.length, 1);
    assert.match(sidecars[0]?.text ?? '', /"url": "https:\/\/bucket\.example\/refs\/cat\.png"/);
    assertNoSignatureOnDisk(box.home, box.cwd);
  });
});
