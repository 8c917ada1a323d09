import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allCapabilities } from '../../../src/core/capabilities';
import { maskEditChoices, planMaskEdit, preferredChoice } from '../../../src/webview/maskEdit';
import { parseToHost } from '../../../src/webview/protocol';
import { maskOutgoing } from '../../../src/webview/maskMessages';

const rows = allCapabilities();
const image = { width: 1024, height: 768 };

describe('mask painter: which edits may be sent', () => {
  it('offers every row, marking those without masks and those that cannot take a workspace file', () => {
    const choices = maskEditChoices(rows);
    assert.equal(choices.length, rows.length);
    const modellix = choices.find((choice) => choice.provider === 'modellix');
    assert.equal(modellix?.mask, false);
    const apixo = choices.find((choice) => choice.provider === 'apixo');
    assert.match(apixo?.unusable ?? '', /public https image URL/);
    const openai = choices.find((choice) => choice.provider === 'openai' && choice.model === 'gpt-image-2');
    assert.deepEqual(openai, { provider: 'openai', model: 'gpt-image-2', label: 'OpenAI · gpt-image-2', mask: true, unusable: undefined });
  });

  it('preselects the settings row when it takes a mask, else the first row that does', () => {
    const choices = maskEditChoices(rows);
    const gravitex = preferredChoice(choices, 'gravitex', 'gpt-image-2');
    assert.equal(choices[gravitex]?.provider, 'gravitex');
    const fallback = choices[preferredChoice(choices, 'modellix', 'gpt-image-2')];
    assert.ok(fallback?.mask && fallback.unusable === undefined, 'a Modellix default falls back to a row with masks');
  });

  it('refuses a provider whose edit takes no mask, before anything is sent, naming who can', () => {
    const plan = planMaskEdit({ provider: 'modellix', model: 'gpt-image-2', prompt: 'a boat' }, image, 500, rows);
    assert.deepEqual(plan, { ok: false, error: 'Modellix edits with gpt-image-2 take no mask. Choose OpenAI or Gravitex to edit with the painted mask.' });
  });

  it('refuses APIXO (no workspace files), an empty mask and an empty prompt', () => {
    assert.match(planMaskEdit({ provider: 'apixo', model: 'gpt-image-2', prompt: 'x' }, image, 5, rows).ok ? '' : 'refused', /refused/);
    const empty = planMaskEdit({ provider: 'openai', model: 'gpt-image-2', prompt: 'a boat' }, image, 0, rows);
    assert.deepEqual(empty, { ok: false, error: 'Nothing is painted: paint where the image may change, then save.' });
    const blank = planMaskEdit({ provider: 'openai', model: 'gpt-image-2', prompt: '   ' }, image, 10, rows);
    assert.equal(blank.ok, false);
  });

  it('edits at the image\'s own size where the row allows it, so mask and result line up', () => {
    const plan = planMaskEdit({ provider: 'openai', model: 'gpt-image-2', prompt: 'a boat' }, image, 10, rows);
    assert.ok(plan.ok);
    assert.equal(plan.size, '1024x768');
    assert.equal(plan.quality, 'auto');
  });
});

describe('mask painter messages: malformed ones are rejected', () => {
  const good = maskOutgoing.save('r1', 'mask-1', [{ kind: 'stroke', tool: 'brush', size: 20, points: [{ x: 3, y: 4 }] }]);
  const stroke = (change: Record<string, unknown>): unknown => ({ ...good, operations: [{ kind: 'stroke', tool: 'brush', size: 20, points: [{ x: 3, y: 4 }], ...change }] });
  const rejected = (message: unknown, reason: RegExp): void => {
    const parsed = parseToHost(message);
    assert.equal(parsed.ok, false, JSON.stringify(message).slice(0, 120));
    if (!parsed.ok) assert.match(parsed.reason, reason);
  };

  it('accepts a good save', () => {
    assert.ok(parseToHost(good).ok);
  });

  it('rejects bad strokes: unknown tool, brush size out of range, no points, coordinates far outside, NaN', () => {
    rejected(stroke({ tool: 'spray' }), /operations\.0\.tool/);
    rejected(stroke({ size: 0 }), /operations\.0\.size/);
    rejected(stroke({ size: 513 }), /operations\.0\.size/);
    rejected(stroke({ points: [] }), /operations\.0\.points/);
    rejected(stroke({ points: [{ x: 1e9, y: 0 }] }), /operations\.0\.points\.0\.x/);
    rejected(stroke({ points: [{ x: Number.NaN, y: 0 }] }), /operations\.0\.points\.0\.x/);
    rejected({ ...good, operations: [{ kind: 'fill' }] }, /operations\.0/);
  });

  it('rejects too much: more points in all than a mask may carry', () => {
    const points = Array.from({ length: 100_001 }, (_, index) => ({ x: index % 100, y: 1 }));
    const heavy = { ...good, operations: [0, 1].map(() => ({ kind: 'stroke', tool: 'brush', size: 4, points })) };
    rejected(heavy, /at most 200000 stroke points/);
  });

  it('rejects a save without a session, or an edit without a prompt', () => {
    rejected({ ...good, session: '' }, /session/);
    rejected({ ...good, edit: { provider: 'openai', model: 'gpt-image-2', prompt: '' } }, /edit\.prompt/);
    rejected({ ...good, edit: { provider: 'midjourney', model: 'gpt-image-2', prompt: 'x' } }, /edit\.provider/);
  });
});
