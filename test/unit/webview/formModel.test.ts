import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freeSizeProblem } from '../../../src/core/size';
import {
  applyPreset,
  fitStateToCapability,
  formProblems,
  generateForm,
  initialState,
  parseUriList,
  referenceUrlProblem,
  restoreState,
  sizeChoices,
  sizeProblem,
} from '../../../src/webview/formModel';
import { capabilityRow } from '../core/fixtures';

describe('form model: size as you type', () => {
  it('uses core/size.ts rules for a custom OpenAI size', () => {
    const capability = capabilityRow('openai');
    const state = initialState('openai', 'gpt-image-2');
    state.sizeChoice = 'custom';
    for (const [text, expected] of [
      ['1536x1024', undefined],
      ['3840x2160', undefined],
      ['1000x1000', freeSizeProblem(1000, 1000)],
      ['3840x1024', freeSizeProblem(3840, 1024)],
      ['512x512', freeSizeProblem(512, 512)],
    ] as const) {
      state.customSize = text;
      assert.equal(sizeProblem(state, capability), expected, text);
    }
    state.customSize = '';
    assert.match(sizeProblem(state, capability) ?? '', /Type a size/);
    state.customSize = '16:9';
    assert.match(sizeProblem(state, capability) ?? '', /WIDTHxHEIGHT/);
  });

  it('offers auto and custom only where free sizes are allowed', () => {
    const openai = sizeChoices(capabilityRow('openai'));
    assert.equal(openai.auto, true);
    assert.equal(openai.custom, true);
    assert.ok(openai.presets.includes('1536x1024'));
    assert.equal(sizeChoices(capabilityRow('modellix')).custom, false);
    assert.equal(sizeChoices(capabilityRow('modellix')).presets.length, 7);
    assert.deepEqual(sizeChoices(capabilityRow('apixo')), { presets: [], auto: false, custom: false });
  });

  it('snaps a choice the new row does not offer', () => {
    const state = initialState('openai', 'gpt-image-2');
    state.sizeChoice = 'custom';
    state.customSize = '1536x1024';
    state.provider = 'modellix';
    fitStateToCapability(state, capabilityRow('modellix'));
    assert.equal(state.sizeChoice, '1024x1024');
    assert.equal(state.quality, 'medium');
  });
});

describe('form model: only what the row allows', () => {
  it('keeps only https URLs for APIXO and sends aspect@tier', () => {
    const state = initialState('apixo', 'gpt-image-2');
    state.prompt = 'poster';
    state.references = [
      { spec: { kind: 'file', uri: 'file:///w/a.png' }, label: 'a.png' },
      { spec: { kind: 'url', url: 'https://cdn.example/a.png' }, label: 'a' },
    ];
    state.aspect = '16:9';
    state.tier = '2k';
    state.quality = 'high';
    fitStateToCapability(state, capabilityRow('apixo'));
    const form = generateForm(state, capabilityRow('apixo'));
    assert.deepEqual(form.references, [{ kind: 'url', url: 'https://cdn.example/a.png' }]);
    assert.equal(form.size, '16:9@2k');
    assert.equal(form.quality, undefined, 'APIXO documents no quality: nothing is sent');
  });

  it('sends compression only with JPEG or WebP where the row has it', () => {
    const state = initialState('openai', 'gpt-image-2');
    state.prompt = 'x';
    state.outputFormat = 'png';
    state.outputCompression = 50;
    assert.equal(generateForm(state, capabilityRow('openai')).outputCompression, undefined);
    state.outputFormat = 'webp';
    assert.equal(generateForm(state, capabilityRow('openai')).outputCompression, 50);
    state.provider = 'gravitex';
    fitStateToCapability(state, capabilityRow('gravitex'));
    const form = generateForm(state, capabilityRow('gravitex'));
    assert.equal(form.outputFormat, undefined);
    assert.equal(form.outputCompression, undefined);
  });

  it('blocks Generate on an empty prompt or a bad size', () => {
    const state = initialState('openai', 'gpt-image-2');
    assert.match(formProblems(state, capabilityRow('openai')).join(' '), /Describe the image/);
    state.prompt = 'ok';
    assert.deepEqual(formProblems(state, capabilityRow('openai')), []);
    state.sizeChoice = 'custom';
    state.customSize = '100x100';
    assert.equal(formProblems(state, capabilityRow('openai')).length, 1);
  });

  it('loads a preset from history', () => {
    const state = initialState('openai', 'gpt-image-2');
    applyPreset(state, {
      provider: 'apixo',
      model: 'gpt-image-2',
      prompt: 'again',
      size: '9:16@4k',
      n: 2,
      references: [],
    });
    assert.equal(state.provider, 'apixo');
    assert.equal(state.aspect, '9:16');
    assert.equal(state.tier, '4k');
    applyPreset(state, { provider: 'openai', model: 'gpt-image-2', prompt: 'p', size: '1536x1024', quality: 'low', n: 1, references: [] });
    assert.equal(generateForm(state, capabilityRow('openai')).size, '1536x1024');
    assert.equal(generateForm(state, capabilityRow('openai')).quality, 'low');
  });
});

describe('form model: helpers', () => {
  it('parses uri lists from a drop, skipping comments and duplicates', () => {
    assert.deepEqual(parseUriList('file:///a.png\r\nfile:///b.png\r\n', '# comment\nfile:///a.png', ''), ['file:///a.png', 'file:///b.png']);
    assert.deepEqual(parseUriList('', ''), []);
  });

  it('accepts only https reference URLs', () => {
    assert.equal(referenceUrlProblem('https://example.com/x.png'), undefined);
    assert.match(referenceUrlProblem('http://example.com/x.png') ?? '', /https/);
    assert.match(referenceUrlProblem('not a url') ?? '', /https/);
  });

  it('restores only a state of the current shape', () => {
    const state = initialState('openai', 'gpt-image-2');
    assert.deepEqual(restoreState(JSON.parse(JSON.stringify(state))), state);
    assert.equal(restoreState({ version: 2 }), undefined);
    assert.equal(restoreState('x'), undefined);
    assert.equal(restoreState({ ...state, references: 'x' }), undefined);
  });
});
