import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { makePng } from '../fake-providers/png';
import { toolSpecs } from '../../src/core/agentTools/toolSpec';
import { imagesIn, runCli, sandbox } from './cliHarness';
import { assertNoBase64, connectMcp, textOf } from './mcpHarness';
import type { McpConnection } from './mcpHarness';

describe('gpt-image mcp (the SDK Client over stdio, against the OpenAI fake)', () => {
  let openai: FakeOpenAi;
  const connections: McpConnection[] = [];
  const connect = async (...args: Parameters<typeof connectMcp>): Promise<McpConnection> => {
    const connection = await connectMcp(...args);
    connections.push(connection);
    return connection;
  };

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(async () => {
    await Promise.all(connections.map((connection) => connection.close().catch(() => undefined)));
    await openai.close();
  });
  beforeEach(() => openai.reset());

  it('gpt-image --help documents mcp and its environment defaults', async () => {
    const help = await runCli(['--help'], sandbox());
    assert.equal(help.code, 0);
    for (const text of ['gpt-image mcp', 'generate_image, edit_image, list_jobs, resume_jobs', 'GPT_IMAGE_PROVIDER', 'GPT_IMAGE_OUT', 'GPT_IMAGE_MCP_WAIT_SECONDS', 'GPT_IMAGE_<PROVIDER>_BASE_URL']) {
      assert.ok(help.stdout.includes(text), `--help mentions ${text}`);
    }
  });

  it('lists the four tools with the schemas and descriptions of core/agentTools', async () => {
    const box = sandbox();
    const mcp = await connect(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl } });
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), ['generate_image', 'edit_image', 'list_jobs', 'resume_jobs']);
    for (const spec of toolSpecs) {
      const tool = tools.find((candidate) => candidate.name === spec.mcpName);
      assert.equal(tool?.description, spec.description);
      assert.deepEqual(tool?.inputSchema, JSON.parse(JSON.stringify(spec.inputSchema)));
    }
    assert.match(tools[0]?.description ?? '', /Costs money/);
    assert.match(tools[0]?.description ?? '', /APIXO takes aspect ratios/);
    assert.deepEqual(openai.apiRequests(), []);
  });

  it('generate_image writes into images/ under the root, names files by absolute path, links them, no base64', async () => {
    const box = sandbox();
    const mcp = await connect(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl }, roots: [box.cwd] });
    const result = await mcp.call('generate_image', { prompt: 'A lighthouse at dusk', size: '1536x1024', quality: 'low', n: 2 });
    assert.equal(result.isError, undefined, textOf(result));
    assertNoBase64(result);
    const written = imagesIn(join(box.cwd, 'images'));
    assert.equal(written.length, 2);
    const links = result.content.filter((part) => part.type === 'resource_link');
    assert.equal(links.length, 2);
    for (const link of links) {
      assert.equal(link.type, 'resource_link');
      if (link.type !== 'resource_link') continue;
      const path = fileURLToPath(link.uri);
      assert.ok(isAbsolute(path));
      assert.ok(textOf(result).includes(path), 'the text names each file by absolute path');
      assert.equal(link.mimeType, 'image/png');
      assert.deepEqual(readFileSync(path), openai.served.find((image) => readFileSync(path).equals(image.bytes))?.bytes);
    }
    const [request] = openai.apiRequests();
    assert.equal(openai.apiRequests().length, 1);
    assert.deepEqual(JSON.parse(request?.body.toString('utf8') ?? '{}'), { model: 'gpt-image-2', prompt: 'A lighthouse at dusk', n: 2, size: '1536x1024', quality: 'low' });
  });

  it('name sets the stem (made safe, never overwriting); out_dir is relative to the root', async () => {
    const box = sandbox();
    const mcp = await connect(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await mcp.call('generate_image', { prompt: 'A logo', name: '../{slug}/hero.png', out_dir: 'assets/art' });
      assert.equal(result.isError, undefined, textOf(result));
    }
    assert.deepEqual(imagesIn(join(box.cwd, 'assets', 'art')), ['slug-hero-2.png', 'slug-hero.png']);
  });

  it('an invalid call is a tool error with the CLI\'s sentence, and nothing is sent', async () => {
    const box = sandbox();
    const mcp = await connect(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl } });
    const result = await mcp.call('generate_image', { prompt: 'A cat', size: '100x100', quality: 'ultra' });
    assert.equal(result.isError, true);
    assert.equal(textOf(result), 'Unknown quality "ultra": use low, medium, high, auto, xhigh, max.');
    const sizeOnly = await mcp.call('generate_image', { prompt: 'A cat', size: '100x100' });
    assert.equal(sizeOnly.isError, true);
    const cli = await runCli(['generate', '--provider', 'openai', '--prompt', 'A cat', '--size', '100x100', '--base-url', openai.baseUrl], box);
    assert.equal(cli.code, 2);
    assert.equal(`gpt-image: ${textOf(sizeOnly)}`, cli.stderr.trim(), 'the same sentence the CLI prints');
    const missing = await mcp.call('edit_image', { prompt: 'x' });
    assert.match(textOf(missing), /edit_image needs at least one image/);
    assert.deepEqual(openai.apiRequests(), []);
  });

  it('edit_image reads a file inside the root and writes <name>-edit beside it', async () => {
    const box = sandbox();
    mkdirSync(join(box.cwd, 'art'));
    writeFileSync(join(box.cwd, 'art', 'photo.png'), makePng({ width: 64, height: 64 }));
    const mcp = await connect(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl }, roots: [box.cwd] });
    const result = await mcp.call('edit_image', { prompt: 'Make it night', images: ['art/photo.png'] });
    assert.equal(result.isError, undefined, textOf(result));
    assertNoBase64(result);
    assert.deepEqual(imagesIn(join(box.cwd, 'art')), ['photo-edit-1.png', 'photo.png']);
    assert.equal(openai.apiRequests().length, 1);
    assert.match(openai.apiRequests()[0]?.url ?? '', /\/images\/edits$/);
  });

  it('paths outside the root are refused before anything is sent: .., absolute, out_dir, and a symlink escaping it', async () => {
    const box = sandbox();
    const root = join(box.cwd, 'project');
    const outside = join(box.cwd, 'secret');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'private.png'), makePng({ width: 32, height: 32 }));
    symlinkSync(outside, join(root, 'linked'));
    const mcp = await connect(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl }, roots: [root] });
    const calls: [string, Record<string, unknown>][] = [
      ['edit_image', { prompt: 'x', images: ['../secret/private.png'] }],
      ['edit_image', { prompt: 'x', images: [join(outside, 'private.png')] }],
      ['edit_image', { prompt: 'x', images: ['linked/private.png'] }],
      ['generate_image', { prompt: 'x', out_dir: '../secret' }],
      ['generate_image', { prompt: 'x', out_dir: 'linked/new' }],
    ];
    for (const [name, args] of calls) {
      const result = await mcp.call(name, args);
      assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} must be refused`);
      assert.match(textOf(result), /is outside the root .*nothing was sent/);
    }
    assert.deepEqual(openai.apiRequests(), []);
    assert.deepEqual(imagesIn(outside), ['private.png']);
    assert.deepEqual(imagesIn(join(outside, 'new')), []);
  });

  it('without roots from the client, the working directory is the root', async () => {
    const box = sandbox();
    const mcp = await connect(box, { env: { GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl, GPT_IMAGE_OUT: 'out' } });
    const inside = await mcp.call('generate_image', { prompt: 'A tree' });
    assert.equal(inside.isError, undefined, textOf(inside));
    assert.equal(imagesIn(join(box.cwd, 'out')).length, 1, 'GPT_IMAGE_OUT is the default out_dir');
    const escaped = await mcp.call('generate_image', { prompt: 'A tree', out_dir: dirname(realpathSync(box.cwd)) });
    assert.equal(escaped.isError, true);
    assert.equal(openai.apiRequests().length, 1);
  });
});
