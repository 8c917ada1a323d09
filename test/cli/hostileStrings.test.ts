import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeApixo } from '../fake-providers/apixo';
import type { FakeApixo } from '../fake-providers/apixo';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { assertNoKeyLeak, runCli, sandbox } from './cliHarness';

/** An OSC 8 hyperlink (ESC ] 8 ; ; url BEL), a one-character C1 CSI, a CR that rewrites the line, a bidi override. */
const hostile = 'Bad size \u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007 \u009b31m red \r\u202eevil';
// eslint-disable-next-line no-control-regex -- what must never reach a terminal
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function assertTerminalSafe(text: string, where: string): void {
  const match = rawControl.exec(text);
  assert.equal(match, null, `${where} holds a raw U+${match?.[0].charCodeAt(0).toString(16).padStart(4, '0') ?? ''}: ${JSON.stringify(text)}`);
}

describe('gpt-image output with hostile provider strings (issue 10, items 9 and 10)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let apixo: FakeApixo;
  const poll = ['--poll-interval', '0.05'];

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
    apixo = await startFakeApixo({ cdn, apiKey: 'sk-test-apixo-key' });
  });
  after(async () => {
    await modellix.close();
    await apixo.close();
    await cdn.close();
  });
  beforeEach(() => {
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
});
