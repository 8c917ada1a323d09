import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobStatusText } from '../../../src/host/jobStatusText';
import { belowSelection } from '../../../src/host/selectionInsert';
import { sidecarPrompt, sidecarSegments } from '../../../src/host/sidecarPrompt';

describe('the status bar while jobs run', () => {
  it('is hidden when nothing runs (ended jobs do not count)', () => {
    assert.equal(jobStatusText([]), undefined);
    assert.equal(jobStatusText(['saved', 'failed']), undefined);
  });

  it('says the count and the one phase all jobs are in', () => {
    assert.deepEqual(jobStatusText(['sending']), {
      text: '$(sync~spin) GPT Image: 1 job sending',
      tooltip: 'GPT Image Studio is working on 1 job: 1 sending. Click to see them (Show Jobs).',
    });
    assert.equal(jobStatusText(['polling', 'polling'])?.text, '$(sync~spin) GPT Image: 2 jobs waiting for the provider');
  });

  it('breaks mixed phases down in the order a job goes through them', () => {
    assert.equal(jobStatusText(['downloading', 'polling', 'sending', 'polling', 'saved'])?.text, '$(sync~spin) GPT Image: 4 jobs (1 sending, 2 waiting for the provider, 1 downloading)');
  });
});

describe('Generate Image from Selection in Markdown', () => {
  const lines = ['# Title', 'A fox in snow', 'Next paragraph'];
  const at = (line: number): string | undefined => lines[line];

  it('puts the image in a paragraph of its own below the selection, before the next text', () => {
    assert.deepEqual(belowSelection(['![A fox in snow](images/fox.png)'], 1, 13, at), { line: 1, text: '\n\n![A fox in snow](images/fox.png)\n' });
  });

  it('a selection that ends at column 0 ends on the line before', () => {
    assert.equal(belowSelection(['![x](x.png)'], 2, 0, at).line, 1);
  });

  it('at the end of the document nothing follows the image; several images are paragraphs each', () => {
    assert.deepEqual(belowSelection(['![a](a.png)', '![b](b.png)'], 2, 14, at), { line: 2, text: '\n\n![a](a.png)\n\n![b](b.png)' });
  });
});

describe('Copy as Markdown reads the provenance sidecar', () => {
  it('finds the sidecar beside the image', () => {
    assert.deepEqual(sidecarSegments('fox.png'), ['.gpt-image', 'fox.png.json']);
  });

  it('takes the prompt of a version-1 record only', () => {
    assert.equal(sidecarPrompt(JSON.stringify({ version: 1, request: { prompt: 'A fox in snow' } })), 'A fox in snow');
    assert.equal(sidecarPrompt(JSON.stringify({ version: 2, request: { prompt: 'A fox' } })), undefined);
    assert.equal(sidecarPrompt(JSON.stringify({ version: 1, request: { prompt: '  ' } })), undefined);
    assert.equal(sidecarPrompt('{"version":1,"request":{"prompt":"cut'), undefined);
    assert.equal(sidecarPrompt('null'), undefined);
  });
});
