/** Small statistics for benchmark samples. Percentiles use the nearest-rank method (no interpolation). */

export interface Summary {
  readonly runs: number;
  readonly min: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    runs: samples.length,
    min: samples.length === 0 ? Number.NaN : Math.min(...samples),
    median: median(samples),
    p95: percentile(samples, 0.95),
    max: samples.length === 0 ? Number.NaN : Math.max(...samples),
    mean: samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length,
  };
}

/** Rounds for the JSON report: figures to 3 significant decimals are plenty for noisy timings. */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function roundSummary(summary: Summary, digits = 3): Summary {
  return {
    runs: summary.runs,
    min: round(summary.min, digits),
    median: round(summary.median, digits),
    p95: round(summary.p95, digits),
    max: round(summary.max, digits),
    mean: round(summary.mean, digits),
  };
}
