import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchProgress } from '../../../src/cli/batchProgress';
import type { CliIo } from '../../../src/cli/io';

function sinks(terminal: boolean): { io: CliIo; stderr: string[]; status: string[] } {
  const stderr: string[] = [];
  const status: string[] = [];
  const io: CliIo = { env: {}, cwd: '/', stdout: () => undefined, stderr: (line) => stderr.push(line), status: terminal ? (line) => status.push(line) : undefined };
  return { io, stderr, status };
}

describe('batch progress on stderr', () => {
  it('on a terminal: one line redrawn with done, running, failed, up to date, elapsed and ETA', () => {
    let now = 0;
    const { io, stderr, status } = sinks(true);
    const progress = new BatchProgress(io, 4, false, () => now);
    progress.skipped('icon');
    progress.began();
    progress.began();
    now = 10_000;
    progress.ended('hero', 'made', '(2 files)');
    assert.deepEqual(stderr, [], 'a terminal gets no line per entry');
    assert.equal(status.at(-1), 'gpt-image: batch 2/4: 1 made, 1 running, 0 failed, 1 up to date, 0:10 elapsed, ETA 0:20');
    progress.io.stderr('gpt-image: warning: something');
    assert.deepEqual(stderr, ['gpt-image: warning: something']);
    assert.equal(status.at(-2), '', 'the status line is cleared before another line');
    assert.match(status.at(-1) ?? '', /^gpt-image: batch 2\/4/);
  });

  it('elsewhere: one line per finished entry, nothing redrawn', () => {
    const { io, stderr, status } = sinks(false);
    const progress = new BatchProgress(io, 3, false);
    progress.skipped('icon');
    progress.began();
    progress.ended('hero', 'made', '(2 files)');
    progress.began();
    progress.ended('logo', 'failed', '— refused');
    assert.deepEqual(stderr, ['gpt-image: [1/3] up to date: icon', 'gpt-image: [2/3] made: hero (2 files)', 'gpt-image: [3/3] failed: logo — refused']);
    assert.deepEqual(status, []);
  });
});
