import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capabilityFor } from '../../../src/core/capabilities';
import { estimateCost, perImageUsd } from '../../../src/core/cost';

describe('cost estimate', () => {
  it('prices APIXO per image and tier', () => {
    const estimate = estimateCost({ capability: capabilityFor('apixo', 'gpt-image-2'), size: '16:9@4k', quality: undefined, images: 2, promptLength: 10 });
    assert.deepEqual(estimate, { kind: 'estimate', usd: 0.08, basis: '2 × $0.04 per 4k image' });
    assert.equal(perImageUsd(estimate, 2), 0.04);
  });

  it('prices OpenAI from usage tokens at the default rates', () => {
    const estimate = estimateCost({
      capability: capabilityFor('openai', 'gpt-image-2'),
      size: '1024x1024',
      quality: 'high',
      images: 1,
      promptLength: 10,
      usage: { inputTextTokens: 100, inputImageTokens: 1000, outputTokens: 4000 },
    });
    // 100 × $5 + 1000 × $8 + 4000 × $30, per million tokens.
    assert.equal(estimate.kind === 'estimate' ? estimate.usd : undefined, 0.1285);
  });

  it('says unknown where nothing is published', () => {
    for (const provider of ['modellix', 'gravitex'] as const) {
      const estimate = estimateCost({ capability: capabilityFor(provider, 'gpt-image-2'), size: '1024x1024', quality: 'low', images: 1, promptLength: 10, usage: { outputTokens: 10 } });
      assert.deepEqual(estimate, { kind: 'unknown' });
    }
  });
});
