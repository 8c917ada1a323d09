import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUsd, previewCost } from '../../../src/core/cost';
import { capabilityRow } from './fixtures';

describe('cost preview', () => {
  it('uses APIXO tier prices per image', () => {
    assert.deepEqual(previewCost({ capability: capabilityRow('apixo'), size: '16:9@2k', quality: undefined, images: 3, promptLength: 10 }), {
      kind: 'usd',
      usd: 0.09,
      approximate: false,
      basis: '3 × $0.03 (2k)',
    });
    const auto = previewCost({ capability: capabilityRow('apixo'), size: 'auto@4k', quality: undefined, images: 1, promptLength: 10 });
    assert.equal(auto.kind === 'usd' && auto.usd, 0.04);
  });

  it('estimates OpenAI from token rates, scaled by area and n', () => {
    const medium = previewCost({ capability: capabilityRow('openai'), size: '1024x1024', quality: 'medium', images: 1, promptLength: 0 });
    assert.equal(medium.kind, 'usd');
    assert.ok(medium.kind === 'usd' && Math.abs(medium.usd - 0.053) < 0.001, JSON.stringify(medium));
    const doubled = previewCost({ capability: capabilityRow('openai'), size: '2048x1024', quality: 'medium', images: 2, promptLength: 0 });
    assert.ok(doubled.kind === 'usd' && medium.kind === 'usd' && Math.abs(doubled.usd - 4 * medium.usd) < 0.001);
    const rates = { textInputPerMillion: 0, imageInputPerMillion: 0, imageOutputPerMillion: 60 };
    const custom = previewCost({ capability: capabilityRow('openai'), size: '1024x1024', quality: 'medium', images: 1, promptLength: 0, rates });
    assert.ok(custom.kind === 'usd' && medium.kind === 'usd' && Math.abs(custom.usd - 2 * medium.usd) < 0.001);
    assert.equal(medium.kind === 'usd' && medium.approximate, true);
  });

  it('says unknown where a provider publishes no price', () => {
    for (const provider of ['gravitex', 'modellix'] as const) {
      assert.equal(previewCost({ capability: capabilityRow(provider), size: '1024x1024', quality: 'high', images: 1, promptLength: 5 }).kind, 'unknown');
    }
  });

  it('formats small and larger amounts', () => {
    assert.equal(formatUsd(0.0061), '$0.0061');
    assert.equal(formatUsd(0.211), '$0.211');
  });
});
