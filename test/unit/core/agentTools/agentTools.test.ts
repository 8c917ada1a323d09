import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageToolCall } from '../../../../src/core/agentTools/toolArgs';
import type { ImageToolCall } from '../../../../src/core/agentTools/toolArgs';
import { safeNameStem } from '../../../../src/core/agentTools/toolNaming';
import { mcpProviderId } from '../../../../src/core/agentTools/toolNames';
import { toolRequest, toolTemplate } from '../../../../src/core/agentTools/toolRequest';
import { copilotTools, toolSpecs } from '../../../../src/core/agentTools/toolSpec';
import { resultText, summarizeToolCall } from '../../../../src/core/agentTools/toolSummary';
import { isInputError } from '../../../../src/core/errors';
import { readManifest } from '../../commands/manifest';

interface ContributedTool {
  readonly name: string;
  readonly toolReferenceName?: string;
  readonly displayName?: string;
  readonly userDescription?: string;
  readonly modelDescription?: string;
  readonly canBeReferencedInPrompt?: boolean;
  readonly inputSchema?: unknown;
}

// As VS Code shows it in English (%key% strings resolved through package.nls.json).
const manifest = readManifest<{
  contributes: { languageModelTools?: ContributedTool[]; mcpServerDefinitionProviders?: { id: string; label: string }[] };
}>();

const defaults = { provider: 'openai' } as const;

function parsed(kind: 'generate' | 'edit', args: unknown): ImageToolCall {
  const result = parseImageToolCall(kind, args, defaults);
  if (!result.ok) throw new Error(result.issues.join(' '));
  return result.call;
}

describe('agent tools: one spec for MCP and Copilot', () => {
  it('package.json languageModelTools carries the same names, descriptions and schemas as core/agentTools', () => {
    const contributed = manifest.contributes.languageModelTools ?? [];
    assert.deepEqual(
      contributed.map((tool) => tool.name),
      copilotTools.map((tool) => tool.name),
    );
    for (const tool of copilotTools) {
      const entry = contributed.find((candidate) => candidate.name === tool.name);
      assert.equal(entry?.toolReferenceName, tool.toolReferenceName);
      assert.equal(entry?.canBeReferencedInPrompt, true, 'toolReferenceName needs canBeReferencedInPrompt');
      assert.equal(entry?.modelDescription, tool.spec.description);
      assert.match(entry?.displayName ?? '', / \(GPT Image Studio\)$/);
      assert.match(entry?.userDescription ?? '', /\(paid; asks first, with the cost estimate\)/);
      assert.deepEqual(entry?.inputSchema, JSON.parse(JSON.stringify(tool.spec.inputSchema)));
      assert.match(tool.name, /^(?!copilot_|vscode_)[\w-]+$/);
    }
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: mcpProviderId, label: 'GPT Image Studio' }]);
  });

  it('every description says what costs money; the image tools say which sizes each provider takes', () => {
    for (const spec of toolSpecs) assert.ok(spec.description.length > 40);
    for (const spec of toolSpecs.slice(0, 2)) {
      assert.match(spec.description, /Costs money/);
      for (const provider of ['OpenAI', 'Gravitex', 'Modellix', 'APIXO']) assert.ok(spec.description.includes(provider), `${spec.mcpName} names ${provider}`);
      assert.match(spec.description, /never image data/);
    }
  });
});

describe('agent tools: arguments', () => {
  it('defaults: the given default provider, gpt-image-2, size auto, n 1', () => {
    const call = parsed('generate', { prompt: 'A fox' });
    assert.deepEqual(
      { provider: call.provider, model: call.model, size: call.size, n: call.n, quality: call.quality, outDir: call.outDir, name: call.name },
      { provider: 'openai', model: 'gpt-image-2', size: 'auto', n: 1, quality: undefined, outDir: undefined, name: undefined },
    );
    assert.equal(parsed('generate', { prompt: 'A fox' }).provider, 'openai');
    assert.equal(parseImageToolCall('generate', { prompt: 'x' }, { provider: 'apixo' }).ok && (parseImageToolCall('generate', { prompt: 'x' }, { provider: 'apixo' }) as { call: ImageToolCall }).call.provider, 'apixo');
  });

  it('refuses with the CLI\'s sentences, naming every problem at once', () => {
    const result = parseImageToolCall('generate', { prompt: ' ', provider: 'dall-e', quality: 'ultra', background: 'green', format: 'gif', n: 0, colour: 'red' }, defaults);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.issues, [
      'Unknown argument "colour" for generate_image: use prompt, provider, model, size, quality, n, out_dir, background, format, name.',
      'The prompt is empty: describe the image you want.',
      'Unknown provider "dall-e": use one of openai, gravitex, modellix, apixo.',
      'Unknown quality "ultra": use low, medium, high, auto, xhigh, max.',
      'Unknown background "green": use auto, opaque, transparent.',
      'Unknown format "gif": use png, jpeg, webp.',
      'n must be a whole number of images, at least 1 (got 0).',
    ]);
  });

  it('edit needs 1 to 16 images; a model the provider lacks is named with the ones it has', () => {
    const none = parseImageToolCall('edit', { prompt: 'x', images: [] }, defaults);
    assert.ok(!none.ok && none.issues[0]?.startsWith('edit_image needs at least one image'));
    const many = parseImageToolCall('edit', { prompt: 'x', images: Array.from({ length: 17 }, (_, index) => `a${index}.png`) }, defaults);
    assert.ok(!many.ok && many.issues.includes('images takes at most 16 paths or URLs; you gave 17.'));
    const model = parseImageToolCall('generate', { prompt: 'x', provider: 'apixo', model: 'gpt-image-1.5' }, defaults);
    assert.ok(!model.ok && model.issues[0] === 'Unknown model "gpt-image-1.5": the models of apixo are gpt-image-2.');
  });

  it('name is made safe: no template fields, separators, dots or extension; unusable names are refused', () => {
    assert.deepEqual(safeNameStem('../{slug}/hero.png'), { stem: 'slug-hero' });
    assert.deepEqual(safeNameStem('.hidden'), { stem: 'hidden' });
    assert.deepEqual(safeNameStem('a\u0000b:c'), { stem: 'a-b-c' });
    assert.ok('issue' in safeNameStem('...'));
    assert.ok('issue' in safeNameStem('CON'));
    assert.equal(toolTemplate(parsed('generate', { prompt: 'x', name: 'hero' }), [], undefined), 'hero');
    assert.equal(toolTemplate(parsed('generate', { prompt: 'x', name: 'hero', n: 3 }), [], undefined), 'hero-{index}');
    assert.equal(toolTemplate(parsed('generate', { prompt: 'x' }), [], undefined), '{date}-{slug}-{index}');
  });

  it('toolRequest builds the CLI\'s GenerationRequest; URLs are not read, unreadable files are named', async () => {
    const call = parsed('edit', { prompt: 'Night', images: ['a.png', 'https://example.test/b.png'], mask: 'm.png', size: '1024x1024', quality: 'high', n: 2 });
    const read: string[] = [];
    const request = await toolRequest(call, async (reference) => {
      read.push(reference);
      return { kind: 'file', source: `/root/${reference}`, fileName: reference, bytes: new Uint8Array([1]) };
    });
    assert.deepEqual(read, ['a.png', 'm.png']);
    assert.deepEqual(
      { ...request, inputImages: request.inputImages?.map((image) => (image.kind === 'url' ? image.url : image.source)), mask: request.mask?.kind },
      { provider: 'openai', model: 'gpt-image-2', prompt: 'Night', size: '1024x1024', quality: 'high', background: undefined, outputFormat: undefined, n: 2, inputImages: ['/root/a.png', 'https://example.test/b.png'], mask: 'file' },
    );
    await assert.rejects(
      toolRequest(call, async (reference) => `${reference} is outside the root`),
      (error: unknown) => isInputError(error) && error.issues.join(' ') === 'a.png is outside the root m.png is outside the root',
    );
  });
});

describe('agent tools: confirmation and results', () => {
  it('the confirmation shows provider, model, size, quality, n and the cost estimate', () => {
    const apixo = summarizeToolCall(parsed('generate', { prompt: 'x', provider: 'apixo', size: '16:9@2k', n: 2 }));
    assert.match(apixo.title, /2 images with APIXO \(paid\)/);
    const text = apixo.lines.join('\n');
    for (const fact of ['**Provider:** APIXO', '**Model:** gpt-image-2', '**Size:** 16:9@2k', '**Quality:** none (not offered)', '**Images (n):** 2']) assert.ok(text.includes(fact), fact);
    assert.match(text, /\*\*Estimated cost:\*\* \$0\.\d+ \(2 × \$/);
    const openai = summarizeToolCall(parsed('generate', { prompt: 'x', size: '1024x1024', quality: 'high' })).lines.join('\n');
    assert.match(openai, /\*\*Estimated cost:\*\* about \$0\.2/);
    const modellix = summarizeToolCall(parsed('generate', { prompt: 'x', provider: 'modellix' })).lines.join('\n');
    assert.match(modellix, /\*\*Estimated cost:\*\* unknown \(this provider publishes no price\)/);
  });

  it('results list paths (and Markdown image links for Copilot), then warnings', () => {
    assert.equal(resultText([{ shown: '/w/images/a.png' }], ['mapped'], false), 'Wrote 1 image:\n/w/images/a.png\nWarning: mapped');
    assert.equal(resultText([{ shown: 'images/a b.png', link: 'images/a%20b.png' }], [], true), 'Wrote 1 image:\n- images/a b.png\n  ![images/a b.png](images/a%20b.png)');
  });
});
