import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { sandbox } from './cliHarness';
import { connectMcp, textOf } from './mcpHarness';
import type { McpConnection } from './mcpHarness';

/**
 * `gpt-image mcp` as VS Code starts it (host/mcpEnvironment.ts): GPT_IMAGE_SPEND_LEDGER names the
 * window's ledger folder (global storage `spend/`, one file per entry), so the caps count both.
 */
describe("gpt-image mcp started by VS Code counts against the window's ledger", () => {
  let openai: FakeOpenAi;
  const connections: McpConnection[] = [];

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(async () => {
    await Promise.all(connections.map((connection) => connection.close().catch(() => undefined)));
    await openai.close();
  });
  beforeEach(() => openai.reset());

  /** A window's ledger holding one job it already paid today, as host/spendLedgerStore.ts files it. */
  function windowLedger(usd: number): string {
    const folder = join(mkdtempSync(join(tmpdir(), 'gpt-image-global-storage-')), 'spend');
    const at = Date.now() - 1000;
    const month = join(folder, new Date(at).toISOString().slice(0, 7));
    mkdirSync(month, { recursive: true });
    const paid = { version: 1, jobId: 'window-job', at, provider: 'openai', model: 'gpt-image-2', kind: 'actual', usd, basis: 'usage' };
    writeFileSync(join(month, `${at}-window-job-actual-1a2b3c4d.json`), JSON.stringify(paid));
    return folder;
  }

  const connect = async (env: NodeJS.ProcessEnv): Promise<{ mcp: McpConnection; box: ReturnType<typeof sandbox> }> => {
    const box = sandbox();
    const mcp = await connectMcp(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl, GPT_IMAGE_SPEND_LIMIT: JSON.stringify({ day: 0.1 }), ...env }, roots: [box.cwd] });
    connections.push(mcp);
    return { mcp, box };
  };

  const call = { prompt: 'A lighthouse', size: '1024x1024', quality: 'low' };

  it("spend the window already made refuses a call that would pass the daily cap: 0 requests at the fake", async () => {
    const { mcp, box } = await connect({ GPT_IMAGE_SPEND_LEDGER: windowLedger(0.099) });
    const result = await mcp.call('generate_image', call);
    assert.equal(result.isError, true, textOf(result));
    assert.match(textOf(result), /This run would cost about \$0\.\d+, but \$0\.099 was already spent today and the daily limit \(GPT_IMAGE_SPEND_LIMIT\.day\) is \$0\.100; nothing was sent/);
    assert.deepEqual(openai.apiRequests(), []);
    assert.ok(!existsSync(join(box.home, 'spend')), 'no second ledger beside the CLI journal');
  });

  it("without GPT_IMAGE_SPEND_LEDGER the same call passes (the server's own ledger is empty)", async () => {
    windowLedger(0.099);
    const { mcp } = await connect({});
    const result = await mcp.call('generate_image', call);
    assert.equal(result.isError, undefined, textOf(result));
    assert.equal(openai.apiRequests().length, 1);
  });

  it("the server's own jobs go into the window's ledger, as files the window reads", async () => {
    const folder = windowLedger(0.01);
    const { mcp, box } = await connect({ GPT_IMAGE_SPEND_LEDGER: folder });
    const result = await mcp.call('generate_image', call);
    assert.equal(result.isError, undefined, textOf(result));
    const month = join(folder, new Date().toISOString().slice(0, 7));
    const entries = readdirSync(month)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(month, name), 'utf8')) as { jobId: string; kind: string });
    assert.deepEqual(entries.map((found) => found.kind).sort(), ['actual', 'actual', 'estimate'], JSON.stringify(entries));
    assert.ok(!existsSync(join(box.home, 'spend')));
  });
});
