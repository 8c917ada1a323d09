import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkSize,
  customSizeValue,
  describeShape,
  modelForProvider,
  preselectedQuality,
  preselectedSize,
  qualityChoices,
  sizeChoices,
  validatePrompt,
} from '../../../src/host/generateChoices';
import { capabilityRow } from '../core/fixtures';

describe('Generate Image… choices', () => {
  it('offers auto, the popular presets and a custom size where sizes are free (OpenAI, Gravitex)', () => {
    const values = sizeChoices(capabilityRow('openai'), undefined).map((choice) => choice.value);
    assert.deepEqual(values, ['auto', '1024x1024', '1536x1024', '1024x1536', '2048x2048', '2048x1152', '3840x2160', '2160x3840', customSizeValue]);
    assert.equal(sizeChoices(capabilityRow('gravitex'), undefined).at(-1)?.value, customSizeValue);
  });

  it('keeps a valid custom size used last time, and drops an invalid one', () => {
    const values = sizeChoices(capabilityRow('openai'), '1920x1088').map((choice) => choice.value);
    assert.deepEqual(values.slice(-2), ['1920x1088', customSizeValue]);
    assert.ok(!sizeChoices(capabilityRow('openai'), '1000x1000').some((choice) => choice.value === '1000x1000'));
  });

  it('offers only the documented presets, without a custom size, for Modellix and gpt-image-1.5', () => {
    const modellix = sizeChoices(capabilityRow('modellix'), '1920x1088');
    assert.equal(modellix.length, 7);
    assert.ok(!modellix.some((choice) => choice.value === customSizeValue || choice.value === '1920x1088'));
    assert.deepEqual(sizeChoices(capabilityRow('openai', 'gpt-image-1.5'), undefined).map((choice) => choice.value), ['1024x1024', '1536x1024', '1024x1536']);
  });

  it('offers APIXO aspect ratios × tiers with the per-image price', () => {
    const choices = sizeChoices(capabilityRow('apixo'), undefined);
    assert.equal(choices.length, 18);
    const wide4k = choices.find((choice) => choice.value === '16:9@4k');
    assert.deepEqual(wide4k, { label: '16:9 · 4k', description: '$0.04 per image', value: '16:9@4k' });
  });

  it('preselects the last size, else the setting, else the first', () => {
    const choices = sizeChoices(capabilityRow('openai'), undefined);
    assert.equal(preselectedSize(choices, '1536x1024', '1024x1024'), '1536x1024');
    assert.equal(preselectedSize(choices, '9999x9999', '2048x2048'), '2048x2048');
    assert.equal(preselectedSize(sizeChoices(capabilityRow('apixo'), undefined), undefined, '1024x1024'), 'auto@1k');
  });

  it('validates a typed size as the user types, with the provider\'s rules', () => {
    assert.deepEqual(checkSize('1920x1088', capabilityRow('openai')), { warning: undefined, normalized: '1920x1088' });
    assert.match(checkSize('1000x1000', capabilityRow('openai')).error ?? '', /multiples of 16/);
    assert.match(checkSize('big', capabilityRow('openai')).error ?? '', /is not a size/);
    assert.match(checkSize('', capabilityRow('openai')).error ?? '', /Type a size/);
    assert.match(checkSize('1920x1080', capabilityRow('modellix')).warning ?? '', /nearest size/);
    assert.equal(checkSize('3840 × 2160', capabilityRow('openai')).normalized, '3840x2160');
  });

  it('offers the row\'s qualities and skips none silently', () => {
    assert.deepEqual(qualityChoices(capabilityRow('openai')).map((choice) => choice.value), ['auto', 'low', 'medium', 'high']);
    assert.deepEqual(qualityChoices(capabilityRow('apixo')), []);
    assert.equal(preselectedQuality(capabilityRow('gravitex'), undefined, 'auto'), 'medium');
    assert.equal(preselectedQuality(capabilityRow('gravitex'), 'high', 'auto'), 'high');
    assert.equal(preselectedQuality(capabilityRow('apixo'), 'high', 'high'), undefined);
  });

  it('uses the configured model where the provider has it', () => {
    assert.equal(modelForProvider('openai', 'gpt-image-1.5'), 'gpt-image-1.5');
    assert.equal(modelForProvider('gravitex', 'gpt-image-1.5'), 'gpt-image-2');
    assert.equal(modelForProvider('apixo', 'gpt-image-1.5'), 'gpt-image-2');
  });

  it('describes shapes and checks prompts', () => {
    assert.equal(describeShape(1024, 1024), 'square');
    assert.equal(describeShape(1536, 1024), 'landscape 3:2');
    assert.equal(describeShape(2160, 3840), 'portrait 9:16');
    assert.equal(validatePrompt('   ', undefined), 'Describe the image you want.');
    assert.equal(validatePrompt('a cat', capabilityRow('apixo')), undefined);
    assert.match(validatePrompt('x'.repeat(20_001), capabilityRow('apixo')) ?? '', /at most 20000/);
  });
});
