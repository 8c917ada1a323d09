import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freeSizeProblem, parseSizeIntent, pixelsForAspect, resolveSize } from '../../../src/core/size';
import type { SizeRule } from '../../../src/core/capabilities';
import { capabilityRow } from './fixtures';

function rule(provider: 'openai' | 'modellix' | 'apixo'): SizeRule {
  return capabilityRow(provider).size;
}

describe('size intent', () => {
  it('parses WxH, auto and aspect@tier', () => {
    assert.deepEqual(parseSizeIntent('1536x1024'), { kind: 'pixels', width: 1536, height: 1024 });
    assert.deepEqual(parseSizeIntent(' AUTO '), { kind: 'auto' });
    assert.deepEqual(parseSizeIntent('16:9@4k'), { kind: 'aspect', aspect: '16:9', tier: '4k' });
    assert.equal(typeof parseSizeIntent('big'), 'string');
    assert.match(parseSizeIntent('5:4') as string, /not one of/);
  });

  it('applies every one of OpenAI free-size rules', () => {
    assert.equal(freeSizeProblem(1024, 1024), undefined);
    assert.equal(freeSizeProblem(3840, 2160), undefined);
    assert.match(freeSizeProblem(1000, 1000) ?? '', /multiples of 16/);
    assert.match(freeSizeProblem(3856, 1024) ?? '', /longest edge/);
    assert.match(freeSizeProblem(3072, 1008) ?? '', /3 times/);
    assert.match(freeSizeProblem(800, 800) ?? '', /too small/);
    assert.match(freeSizeProblem(3840, 3840) ?? '', /too large/);
  });

  it('passes a valid WxH straight through for OpenAI and refuses an invalid one', () => {
    assert.deepEqual(resolveSize({ kind: 'pixels', width: 2048, height: 1152 }, rule('openai'), 'OpenAI'), {
      ok: true,
      size: { kind: 'wxh', value: '2048x1152' },
      warnings: [],
    });
    const refused = resolveSize({ kind: 'pixels', width: 1000, height: 1000 }, rule('openai'), 'OpenAI');
    assert.equal(refused.ok, false);
  });

  it('snaps to the nearest Modellix preset with a warning', () => {
    const result = resolveSize({ kind: 'pixels', width: 1920, height: 1080 }, rule('modellix'), 'Modellix');
    assert.ok(result.ok);
    assert.deepEqual(result.size, { kind: 'wxh', value: '2048x1152' });
    assert.match(result.warnings[0] ?? '', /nearest size it has, 2048x1152/);
  });

  it('maps 3840x2160 to APIXO 16:9 at 4k without a warning, and warns when the shape changes', () => {
    const exact = resolveSize({ kind: 'pixels', width: 3840, height: 2160 }, rule('apixo'), 'APIXO');
    assert.deepEqual(exact, { ok: true, size: { kind: 'aspectTier', aspect: '16:9', tier: '4k' }, warnings: [] });
    const changed = resolveSize({ kind: 'pixels', width: 1536, height: 1024 }, rule('apixo'), 'APIXO');
    assert.ok(changed.ok);
    assert.deepEqual(changed.size, { kind: 'aspectTier', aspect: '4:3', tier: '2k' });
    assert.equal(changed.warnings.length, 1);
  });

  it('grows 16:9 and 9:16 at 1k to the pixel minimum, and every aspect × tier is a valid OpenAI size', () => {
    // 1024x576 is 589,824 px, below 655,360: the long edge grows in steps of 16 until it fits
    // (1088x608 = 661,504 px is the first; the short edge is rounded to a multiple of 16).
    assert.deepEqual(pixelsForAspect('16:9', '1k'), { width: 1088, height: 608 });
    assert.deepEqual(pixelsForAspect('9:16', '1k'), { width: 608, height: 1088 });
    assert.deepEqual(pixelsForAspect('1:1', '1k'), { width: 1024, height: 1024 });
    assert.deepEqual(pixelsForAspect('16:9', '4k'), { width: 3840, height: 2160 });
    for (const aspect of ['1:1', '4:3', '3:4', '16:9', '9:16'] as const) {
      for (const tier of ['1k', '2k', '4k'] as const) {
        const { width, height } = pixelsForAspect(aspect, tier);
        assert.equal(freeSizeProblem(width, height), undefined, `${aspect}@${tier} → ${width}x${height}`);
      }
    }
    const resolved = resolveSize({ kind: 'aspect', aspect: '16:9', tier: '1k' }, rule('openai'), 'OpenAI');
    assert.deepEqual(resolved, { ok: true, size: { kind: 'wxh', value: '1088x608' }, warnings: [] });
  });
});
