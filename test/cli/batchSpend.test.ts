import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { assertNoKeyLeak, imagesIn, runCli, sandbox } from './cliHarness';
import type { Sandbox } from './cliHarness';

/** Two OpenAI entries, three images: about $0.159 at the default token rates ($0.080 through the Batch API). */
const twoEntries = `defaults: { provider: openai, size: 1024x1024, quality: medium, out: out }
images:
  - name: boat
    prompt: A paper boat
  - name: wave
    prompt: A blue wave
    n: 2
`;

describe('gpt-image batch --max-cost: the whole batch is checked once, before anything is sent', () => {
  let openai: FakeOpenAi;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
    env = { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl };
  });
  after(async () => openai.close());
  beforeEach(() => openai.reset());

  const withBatch = (): Sandbox => {
    const box = sandbox(env);
    writeFileSync(join(box.cwd, 'set.images.yaml'), twoEntries);
    return box;
  };

  it('a batch whose estimate passes --max-cost sends 0 requests and names both figures (exit 2)', async () => {
    const box = withBatch();
    const run = await runCli(['batch', 'set.images.yaml', '--max-cost', '0.10'], box);
    assertNoKeyLeak(run);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /would cost about \$0\.159, more than --max-cost \$0\.100; nothing was sent/);
    assert.equal(openai.apiRequests().length, 0, 'nothing was sent');
    assert.deepEqual(imagesIn(join(box.cwd, 'out')), []);
  });

  it('through the Batch API the discounted estimate is checked (and still nothing is uploaded when it passes the cap)', async () => {
    const box = withBatch();
    const run = await runCli(['batch', 'set.images.yaml', '--via', 'batch-api', '--max-cost', '0.05'], box);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /would cost about \$0\.080, more than --max-cost \$0\.050/);
    assert.equal(openai.apiRequests().length, 0, 'no upload, no batch');
  });

  it('a batch within --max-cost runs, and the ledger counts what it cost', async () => {
    const box = withBatch();
    const run = await runCli(['batch', 'set.images.yaml', '--max-cost', '0.50'], box);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(imagesIn(join(box.cwd, 'out')), ['boat.png', 'wave-1.png', 'wave-2.png']);
    assert.equal(openai.apiRequests().length, 2);
    const spend = await runCli(['spend', '--json'], box);
    assert.equal(spend.code, 0, spend.stderr);
    const report = JSON.parse(spend.stdout) as { rows: { provider: string; jobs: number }[] };
    assert.deepEqual(
      report.rows.map((row) => [row.provider, row.jobs]),
      [['openai', 2]],
    );
  });

  it('--max-cost that is not an amount is refused before the file is even planned', async () => {
    const box = withBatch();
    const run = await runCli(['batch', 'set.images.yaml', '--max-cost', 'lots'], box);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--max-cost is an amount in US dollars/);
    assert.equal(openai.apiRequests().length, 0);
  });
});
