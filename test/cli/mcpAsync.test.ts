import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { imagesIn, sandbox, waitFor } from './cliHarness';
import { assertNoBase64, connectMcp, textOf } from './mcpHarness';
import type { McpConnection } from './mcpHarness';

const submits = (fake: FakeModellix) => fake.requests().filter((request) => request.method === 'POST' && /\/openai\//.test(request.url));

describe('gpt-image mcp with Modellix (progress, the time limit, resume_jobs)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  const connections: McpConnection[] = [];

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
  });
  after(async () => {
    await Promise.all(connections.map((connection) => connection.close().catch(() => undefined)));
    await modellix.close();
    await cdn.close();
  });
  beforeEach(() => {
    modellix.reset();
    cdn.reset();
  });

  it('a Modellix task sends strictly increasing progress to a client with a progress token', async () => {
    const box = sandbox();
    modellix.setKnobs({ completeAfterPolls: 4 });
    const mcp = await connectMcp(box, { env: { GPT_IMAGE_MODELLIX_BASE_URL: modellix.baseUrl, GPT_IMAGE_PROVIDER: 'modellix' }, args: ['--poll-interval', '0.05'] });
    connections.push(mcp);
    const seen: Progress[] = [];
    const result = await mcp.call('generate_image', { prompt: 'Two owls', size: '1024x1024' }, { onprogress: (progress) => seen.push(progress) });
    assert.equal(result.isError, undefined, textOf(result));
    assertNoBase64(result);
    assert.equal(submits(modellix).length, 1, 'GPT_IMAGE_PROVIDER chose Modellix');
    assert.equal(imagesIn(join(box.cwd, 'images')).length, 1);
    assert.ok(seen.length >= 2, `progress notifications arrived (${seen.length})`);
    for (let index = 1; index < seen.length; index++) assert.ok((seen[index]?.progress ?? 0) > (seen[index - 1]?.progress ?? 0), 'progress strictly increases');
    assert.ok(seen.every((progress) => typeof progress.message === 'string' && progress.message.length > 0));
  });

  it('past the time limit the call returns the job id; resume_jobs finishes it without sending again', async () => {
    const box = sandbox();
    modellix.setKnobs({ hold: true });
    const mcp = await connectMcp(box, {
      env: { GPT_IMAGE_MODELLIX_BASE_URL: modellix.baseUrl, GPT_IMAGE_MCP_WAIT_SECONDS: '1' },
      args: ['--poll-interval', '0.05'],
      roots: [box.cwd],
    });
    connections.push(mcp);
    const first = await mcp.call('generate_image', { prompt: 'A slow comet', provider: 'modellix' });
    assert.equal(first.isError, undefined, textOf(first));
    const jobId = /Job (\S+) is still polling/.exec(textOf(first))?.[1];
    assert.ok(jobId, textOf(first));
    assert.match(textOf(first), /resume_jobs/);
    assert.deepEqual(imagesIn(join(box.cwd, 'images')), []);
    const listed = await mcp.call('list_jobs', {});
    assert.ok(textOf(listed).includes(jobId as string), textOf(listed));
    assert.match(textOf(listed), /polling/);
    modellix.release();
    const resumed = await mcp.call('resume_jobs', {});
    assert.equal(resumed.isError, undefined, textOf(resumed));
    assertNoBase64(resumed);
    const links = resumed.content.filter((part) => part.type === 'resource_link');
    assert.equal(links.length, 1);
    const file = links[0]?.type === 'resource_link' ? fileURLToPath(links[0].uri) : '';
    assert.ok(existsSync(file));
    assert.equal(submits(modellix).length, 1, 'nothing was sent twice');
    await waitFor(() => imagesIn(join(box.cwd, 'images')).length === 1);
    const again = await mcp.call('resume_jobs', {});
    assert.match(textOf(again), /Nothing to resume/);
  });

  it('a call the client cancels after the task was accepted keeps the paid job; resume_jobs saves its image', async () => {
    const box = sandbox();
    modellix.setKnobs({ hold: true });
    const mcp = await connectMcp(box, { env: { GPT_IMAGE_MODELLIX_BASE_URL: modellix.baseUrl }, args: ['--poll-interval', '0.05'] });
    connections.push(mcp);
    const controller = new AbortController();
    const call = mcp.client.callTool({ name: 'generate_image', arguments: { prompt: 'A held owl', provider: 'modellix' } }, undefined, { signal: controller.signal });
    await waitFor(() => submits(modellix).length === 1 && modellix.requests().some((request) => request.method === 'GET'));
    controller.abort('the agent gave up');
    await assert.rejects(call);
    modellix.release();
    const resumed = await mcp.call('resume_jobs', {});
    assert.equal(resumed.isError, undefined, textOf(resumed));
    assert.equal(imagesIn(join(box.cwd, 'images')).length, 1, 'the paid image was saved');
    assert.equal(submits(modellix).length, 1, 'nothing was sent twice');
  });
});
