import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// scripts/test.mjs builds dist/ before the unit tests run.
const dist = join(__dirname, '..', '..', '..', '..', 'dist');

describe('activation bundle', () => {
  it('keeps undici, zod and the providers out of dist/extension.js and loads dist/engine.js lazily', () => {
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    // Unminified here (the production bundle is about half): activation registers the commands, the
    // Studio serializer, the agent tools, the MCP definition provider and the batch CodeLenses.
    assert.ok(statSync(join(dist, 'extension.js')).size < 20 * 1024, 'the activation bundle should stay a few KB');
    assert.doesNotMatch(extension, /undici|ZodError|zod\/v4/);
    assert.match(extension, /require\(["']\.\/engine\.js["']\)/);
    assert.ok(existsSync(join(dist, 'engine.js')));
  });

  it('puts the host services and the command handlers in dist/engine.js', () => {
    const engine = readFileSync(join(dist, 'engine.js'), 'utf8');
    for (const marker of ['gptImage.apiKey.', 'GPT Image Studio', 'Keep in background', 'gptImage.lastGenerate']) {
      assert.ok(engine.includes(marker), `engine.js should contain ${marker}`);
    }
  });
});
