import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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
import type { RecordedRequest } from '../fake-providers/server';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox } from './cliHarness';
import type { Sandbox } from './cliHarness';

const apixoSubmits = (requests: readonly RecordedRequest[]): RecordedRequest[] =>
  requests.filter((request) => request.method === 'POST' && /\/generateTask\//.test(request.url));
const modellixSubmits = (requests: readonly RecordedRequest[]): RecordedRequest[] =>
  requests.filter((request) => request.method === 'POST' && /\/openai\//.test(request.url));

/** USD for one usage object the OpenAI fake sent, at the default token rates (docs/providers.md §2.8). */
function openAiCharge(usage: Record<string, unknown>): number {
  const input = usage.input_tokens_details as { text_tokens: number; image_tokens: number };
  const output = (usage.output_tokens_details as { image_tokens: number }).image_tokens;
  return (input.text_tokens * 5 + input.image_tokens * 8 + output * 30) / 1_000_000;
}

/** APIXO's published price per image and tier (docs/providers.md §6.8), for what its fake accepted. */
function apixoCharge(request: RecordedRequest): number {
  const body = JSON.parse(request.body.toString('utf8')) as { input: { resolution: string } };
  const price: Record<string, number> = { '1k': 0.02, '2k': 0.03, '4k': 0.04 };
  return price[body.input.resolution.toLowerCase()] ?? Number.NaN;
}

interface SpendJson {
  readonly rows: { day: string; provider: string; jobs: number; usd: number; unpriced: number; pending: number; bases: string[] }[];
  readonly totalUsd: number;
  readonly unpricedJobs: number;
  readonly pendingJobs: number;
}

async function spendJson(box: Sandbox): Promise<SpendJson> {
  const result = await runCli(['spend', '--json'], box);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as SpendJson;
}

function journalFiles(box: Sandbox): string[] {
  const dir = join(box.home, 'jobs');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
}

describe('the spend guard and ledger (built CLI against the fakes)', () => {
  let openai: FakeOpenAi;
  let cdn: FakeCdn;
  let apixo: FakeApixo;
  let modellix: FakeModellix;
  const poll = ['--poll-interval', '0.05'];

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
    cdn = await startFakeCdn();
    apixo = await startFakeApixo({ cdn, apiKey: 'sk-test-apixo-key' });
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
  });
  after(async () => {
    await openai.close();
    await apixo.close();
    await modellix.close();
    await cdn.close();
  });
  beforeEach(() => {
    openai.reset();
    apixo.reset();
    modellix.reset();
    cdn.reset();
  });

  it('--max-cost below the estimate sends 0 requests, names both figures and exits 2', async () => {
    const box = sandbox();
    const result = await runCli(
      ['generate', '--provider', 'openai', '--prompt', 'A paper boat', '--size', '1024x1024', '--quality', 'high', '--max-cost', '0.05', '--base-url', openai.baseUrl],
      box,
    );
    assertNoKeyLeak(result);
    assert.equal(result.code, 2, result.stderr);
    // gpt-image-2 high at 1024x1024: ≈7033 output tokens at $30/M, plus the prompt's few text tokens.
    assert.match(result.stderr, /This run would cost about \$0\.211, more than --max-cost \$0\.050; nothing was sent \(\$0\.0000 spent today\)/);
    assert.equal(openai.apiRequests().length, 0);
    assert.deepEqual(journalFiles(box), [], 'a refused run is never journaled');
    assert.equal(result.stdout, '');
    assert.deepEqual((await spendJson(box)).rows, [], 'a refused run spends nothing');
  });

  it('--max-cost at or above the estimate lets the run through', async () => {
    const box = sandbox();
    const result = await runCli(['generate', '--provider', 'apixo', '--prompt', 'Two kites', '--n', '2', '--max-cost', '0.04', '--base-url', apixo.baseUrl, ...poll], box);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(apixoSubmits(apixo.requests()).length, 2);
  });

  it('the ledger after runs on two providers adds up what the fakes charged, by day and provider', async () => {
    const box = sandbox();
    const first = await runCli(['generate', '--provider', 'openai', '--prompt', 'A lighthouse at dusk', '--size', '1536x1024', '--quality', 'medium', '--base-url', openai.baseUrl], box);
    assert.equal(first.code, 0, first.stderr);
    const second = await runCli(['generate', '--provider', 'openai', '--prompt', 'Three owls', '--n', '2', '--quality', 'low', '--base-url', openai.baseUrl], box);
    assert.equal(second.code, 0, second.stderr);
    const third = await runCli(['generate', '--provider', 'apixo', '--prompt', 'A wide valley', '--size', '16:9@2k', '--n', '3', '--base-url', apixo.baseUrl, ...poll], box);
    assert.equal(third.code, 0, third.stderr);

    const openAiCharged = openai.usageSent.reduce((sum, usage) => sum + openAiCharge(usage), 0);
    const apixoCharged = apixoSubmits(apixo.requests()).reduce((sum, request) => sum + apixoCharge(request), 0);
    assert.equal(openai.usageSent.length, 2);
    assert.equal(apixoSubmits(apixo.requests()).length, 3);
    const report = await spendJson(box);
    const row = (provider: string): SpendJson['rows'][number] => {
      const found = report.rows.find((candidate) => candidate.provider === provider);
      assert.ok(found, `a row for ${provider}`);
      return found;
    };
    assert.equal(row('openai').jobs, 2);
    assert.ok(Math.abs(row('openai').usd - openAiCharged) < 1e-6, `${row('openai').usd} vs ${openAiCharged}`);
    assert.deepEqual(row('openai').bases, ['usage']);
    assert.equal(row('apixo').jobs, 1);
    assert.ok(Math.abs(row('apixo').usd - apixoCharged) < 1e-6, `${row('apixo').usd} vs ${apixoCharged}`);
    assert.deepEqual(row('apixo').bases, ['price']);
    assert.ok(Math.abs(report.totalUsd - (openAiCharged + apixoCharged)) < 1e-6);
    assert.equal(report.pendingJobs, 0);

    const text = await runCli(['spend'], box);
    assert.equal(text.code, 0, text.stderr);
    const printed = lines(text.stdout);
    assert.match(printed[0] ?? '', /^day\s+provider\s+jobs\s+spent/);
    assert.match(printed.find((line) => line.includes('OpenAI')) ?? '', /^\d{4}-\d{2}-\d{2}\s+OpenAI\s+2\s+\$\d\.\d{3,4}\s+reported usage$/);
    assert.match(printed.find((line) => line.includes('APIXO')) ?? '', /^\d{4}-\d{2}-\d{2}\s+APIXO\s+1\s+\$0\.090\s+published price$/);
    assert.equal(printed.at(-1), `total: $${(openAiCharged + apixoCharged).toFixed(3)}`);
  });

  it('a daily limit counts what was spent: the run that would pass it sends nothing and names both figures', async () => {
    const box = sandbox({ GPT_IMAGE_SPEND_LIMIT: JSON.stringify({ day: 0.1 }) });
    const args = ['generate', '--provider', 'apixo', '--prompt', 'Kites', '--n', '2', '--size', '1:1@4k', '--base-url', apixo.baseUrl, ...poll];
    const first = await runCli(args, box);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(apixoSubmits(apixo.requests()).length, 2);
    const second = await runCli(args, box);
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, /This run would cost \$0\.080, but \$0\.080 was already spent today and the daily limit \(GPT_IMAGE_SPEND_LIMIT\.day\) is \$0\.100; nothing was sent\./);
    assert.equal(apixoSubmits(apixo.requests()).length, 2, 'the refused run sent nothing');
    assert.equal(imagesIn(join(box.cwd, 'images')).length, 2);
    assert.equal((await spendJson(box)).totalUsd, 0.08);
  });

  it('two processes started at once under a limit that fits one: never both sent (each sees the other\'s reservation)', async () => {
    for (let round = 0; round < 3; round++) {
      // A fresh journal and ledger each round: nothing spent yet, room for one $0.006 run under $0.010.
      const box = sandbox({ GPT_IMAGE_SPEND_LIMIT: JSON.stringify({ day: 0.01 }) });
      const before = openai.apiRequests().length;
      const runs = await Promise.all(
        ['First', 'Second'].map((prompt) => runCli(['generate', '--provider', 'openai', '--prompt', prompt, '--size', '1024x1024', '--quality', 'low', '--base-url', openai.baseUrl, '--quiet'], box)),
      );
      assert.ok(runs.every((run) => run.code === 0 || run.code === 2), runs.map((run) => run.stderr).join('\n'));
      const sent = runs.filter((run) => run.code === 0).length;
      assert.ok(sent <= 1, `both runs were sent in round ${round}`);
      assert.equal(openai.apiRequests().length - before, sent);
      for (const refused of runs.filter((run) => run.code === 2)) assert.match(refused.stderr, /the daily limit \(GPT_IMAGE_SPEND_LIMIT\.day\) is \$0\.010; nothing was sent/);
      assert.equal((await spendJson(box)).rows.reduce((sum, row) => sum + row.jobs, 0), sent);
    }
  });

  it('a provider that publishes no price is refused under a cap that covers it, and runs where none does', async () => {
    const capped = sandbox({ GPT_IMAGE_SPEND_LIMIT: JSON.stringify({ month: 20 }) });
    const refused = await runCli(['generate', '--provider', 'modellix', '--prompt', 'An otter', '--base-url', modellix.baseUrl, ...poll], capped);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /Modellix publishes no price, so it cannot be counted against the monthly limit \(GPT_IMAGE_SPEND_LIMIT\.month\); nothing was sent\. To use Modellix, keep the limit to priced providers \(GPT_IMAGE_SPEND_LIMIT\.providers\) or remove it\./);
    assert.equal(modellixSubmits(modellix.requests()).length, 0);
    const maxCost = await runCli(['generate', '--provider', 'modellix', '--prompt', 'An otter', '--max-cost', '5', '--base-url', modellix.baseUrl, ...poll], sandbox());
    assert.equal(maxCost.code, 2, maxCost.stderr);
    assert.match(maxCost.stderr, /Modellix publishes no price, so it cannot be counted against --max-cost; nothing was sent\. Run it without --max-cost\./);
    assert.equal(modellixSubmits(modellix.requests()).length, 0);

    const elsewhere = sandbox({ GPT_IMAGE_SPEND_LIMIT: JSON.stringify({ providers: { openai: { day: 1 } } }) });
    const allowed = await runCli(['generate', '--provider', 'modellix', '--prompt', 'An otter', '--base-url', modellix.baseUrl, ...poll], elsewhere);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(modellixSubmits(modellix.requests()).length, 1);
    const report = await spendJson(elsewhere);
    assert.equal(report.unpricedJobs, 1);
    assert.equal(report.totalUsd, 0);
    const text = await runCli(['spend'], elsewhere);
    assert.match(text.stdout, /Modellix\s+1\s+unknown\s+no published price/);
    assert.match(text.stdout, /total: \$0\.0000 \(1 job with no published price not counted\)/);
  });

  it('a malformed GPT_IMAGE_SPEND_LIMIT refuses the run (exit 2, nothing sent) instead of dropping the cap', async () => {
    const box = sandbox({ GPT_IMAGE_SPEND_LIMIT: '{"day": "five"}' });
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A paper boat', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /GPT_IMAGE_SPEND_LIMIT\.day must be a number of US dollars, 0 or more \(got "five"\)\. Nothing was sent\./);
    assert.equal(openai.apiRequests().length, 0);
  });

  it('--max-cost must be an amount', async () => {
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'x', '--max-cost', 'lots'], sandbox());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--max-cost is an amount in US dollars, 0 or more, such as 0\.50 \(got "lots"\)/);
  });

  it('the ledger is plain JSON lines beside the journal', async () => {
    const box = sandbox();
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A kite', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 0, result.stderr);
    const dir = join(box.home, 'spend');
    const [file, ...others] = readdirSync(dir);
    assert.deepEqual(others, []);
    assert.match(file ?? '', /^\d{4}-\d{2}\.jsonl$/);
    const entries = readFileSync(join(dir, file ?? ''), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { kind: string; basis: string; usd: number });
    assert.deepEqual(
      entries.map((entry) => [entry.kind, entry.basis]),
      [
        ['estimate', 'estimate'],
        ['actual', 'usage'],
      ],
    );
  });
});
