import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, percentile, summarize } from '../../bench/shared/stats';
import { renderTable } from '../../bench/shared/report';

test('median of odd and even counts, unsorted input', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('percentile uses the nearest rank, so p95 of 20 samples is the 19th smallest', () => {
  const samples = Array.from({ length: 20 }, (_, index) => 20 - index);
  assert.equal(percentile(samples, 0.95), 19);
  assert.equal(percentile(samples, 1), 20);
  assert.equal(percentile([7], 0.95), 7);
});

test('summarize reports every figure the results file names', () => {
  assert.deepEqual(summarize([2, 4, 6, 8]), { runs: 4, min: 2, median: 5, p95: 8, max: 8, mean: 5 });
});

test('the table marks missed targets and failed checks so they cannot be overlooked', () => {
  const table = renderTable([
    {
      name: 'demo',
      ok: true,
      seconds: 1,
      figures: {},
      rows: [
        { figure: 'fast enough', value: '5 ms', target: '≤ 10 ms', met: true },
        { figure: 'small enough', value: '90 KB', target: '≤ 60 KB', met: false },
      ],
      checks: { 'same bytes': false },
    },
  ]);
  const lines = table.split('\n');
  assert.match(lines.find((line) => line.includes('fast enough')) ?? '', /\| met$/);
  assert.match(lines.find((line) => line.includes('small enough')) ?? '', /\| MISSED$/);
  assert.match(lines.find((line) => line.includes('check: same bytes')) ?? '', /NO .*FAILED$/);
});
