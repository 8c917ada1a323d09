import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadBatch } from '../../../src/cli/batchLoad';
import type * as BatchApiStartModule from '../../../src/host/batchApiStart';
import { installFakeVscode } from '../webview/fakeVscode';

interface Row {
  readonly way: string;
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}
let shown: Row[] = [];
let answer = 1;
installFakeVscode({
  window: {
    showQuickPick: async (items: Row[]) => {
      shown = items;
      return items[answer];
    },
  },
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { askHowToRun } = require('../../../src/host/batchApiStart') as typeof BatchApiStartModule;

async function targets(text: string): Promise<Awaited<ReturnType<typeof loadBatch>>['plan']['targets']> {
  const dir = mkdtempSync(join(tmpdir(), 'gpt-image-choice-'));
  writeFileSync(join(dir, 'site.images.yaml'), text);
  return (await loadBatch({ file: 'site.images.yaml' }, dir)).plan.targets;
}

describe('Run Image Batch: how to run a file with OpenAI entries', () => {
  it('offers now at the normal price and the Batch API at half price, each with its estimate', async () => {
    const all = await targets('defaults: { provider: openai, size: 1024x1024, quality: medium }\nimages:\n  - name: a\n    prompt: One\n  - name: b\n    prompt: Two\n');
    answer = 1;
    assert.equal(await askHowToRun(all, all), 'batchApi');
    assert.deepEqual(shown.map((row) => row.way), ['now', 'batchApi']);
    const usd = (text: string): number => Number(/\$(\d+\.\d+)/.exec(text)?.[1]);
    assert.ok(usd(shown[0]?.description ?? '') > 0);
    assert.ok(Math.abs(usd(shown[1]?.description ?? '') - usd(shown[0]?.description ?? '') / 2) < 0.001, `${shown[0]?.description} vs ${shown[1]?.description}`);
    assert.match(shown[1]?.label ?? '', /OpenAI Batch API: half price, results within 24 h/);
    answer = -1;
    assert.equal(await askHowToRun(all, all), undefined, 'Escape: nothing is run');
  });

  it('says that entries for other providers have no Batch API and run now, with their own price', async () => {
    const all = await targets('defaults: { size: 1024x1024, quality: medium }\nimages:\n  - name: a\n    prompt: One\n    providers: [openai, modellix]\n  - name: b\n    prompt: Two\n    provider: openai\n');
    const openAi = all.filter((target) => target.target.provider === 'openai');
    answer = 0;
    assert.equal(await askHowToRun(all, openAi), 'now');
    assert.match(shown[1]?.detail ?? '', /^2 OpenAI entries in one batch; the entry for Modellix has no Batch API and runs now\.$/);
    assert.match(shown[1]?.description ?? '', / \+ .*\$\d.* now$/);
    assert.match(shown[0]?.detail ?? '', /^3 entries at the normal price/);
  });
});
