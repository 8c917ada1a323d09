import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allCapabilities } from '../../../src/core/capabilities';
import { planCompare } from '../../../src/webview/comparePlan';
import { initialState } from '../../../src/webview/formModel';
import { toHostSchema } from '../../../src/webview/protocol';

const capabilities = allCapabilities();
const allKeys = { openai: true, gravitex: true, modellix: true, apixo: true };

function state(): ReturnType<typeof initialState> {
  const value = initialState('openai', 'gpt-image-2');
  value.prompt = 'a red kite over the sea';
  value.sizeChoice = '1536x1024';
  value.quality = 'low';
  value.n = 3;
  return value;
}

describe('compare planning', () => {
  it('one Generate form per row, each fitted to its row, one image each', () => {
    const plan = planCompare(state(), ['openai/gpt-image-2', 'gravitex/gpt-image-2'], capabilities, allKeys);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.runs.map((run) => [run.target, run.form.provider, run.form.model]), [
      ['openai/gpt-image-2', 'openai', 'gpt-image-2'],
      ['gravitex/gpt-image-2', 'gravitex', 'gpt-image-2'],
    ]);
    for (const run of plan.runs) {
      assert.equal(run.form.prompt, 'a red kite over the sea');
      assert.equal(run.form.n, 1, 'one image per row: the compare is about the rows');
      assert.equal(run.form.size, '1536x1024');
      assert.ok(toHostSchema.safeParse({ type: 'generate', requestId: 'r1', form: run.form }).success, `${run.target} sends a valid message`);
    }
  });

  it('carries a pixel size into an aspect × tier row as the nearest aspect', () => {
    const plan = planCompare(state(), ['openai/gpt-image-2', 'apixo/gpt-image-2'], capabilities, allKeys);
    assert.deepEqual(plan.problems, []);
    const apixo = plan.runs.find((run) => run.form.provider === 'apixo');
    assert.equal(apixo?.form.size, '4:3@2k', '3:2 is nearest 4:3 of APIXO\'s aspects, and a 1536 px long side is the 2k tier');
    assert.equal(apixo?.form.quality, undefined, 'APIXO has no quality: none is sent');
  });

  it('sends nothing when fewer than two rows, a missing key or an empty prompt', () => {
    assert.match(planCompare(state(), ['openai/gpt-image-2'], capabilities, allKeys).problems.join(' '), /at least two/);
    const noKey = planCompare(state(), ['openai/gpt-image-2', 'gravitex/gpt-image-2'], capabilities, { ...allKeys, gravitex: false });
    assert.deepEqual(noKey.runs, [], 'no run at all: a compare never pays for half of what was asked');
    assert.match(noKey.problems.join(' '), /No Gravitex key is set/);
    const empty = state();
    empty.prompt = ' ';
    assert.match(planCompare(empty, ['openai/gpt-image-2', 'gravitex/gpt-image-2'], capabilities, allKeys).problems.join(' '), /Describe the image/);
  });

  it('counts a row ticked twice once, and refuses more than four paid jobs at once', () => {
    const twice = planCompare(state(), ['openai/gpt-image-2', 'openai/gpt-image-2', 'gravitex/gpt-image-2'], capabilities, allKeys);
    assert.equal(twice.runs.length, 2);
    const rows = capabilities.slice(0, 5).map((row) => `${row.provider}/${row.model}`);
    assert.match(planCompare(state(), rows, capabilities, allKeys).problems.join(' '), /at most 4/);
  });
});
