/** One line of the printed table. */
export interface Row {
  readonly figure: string;
  readonly value: string;
  /** The goal from issue 7, when there is one. */
  readonly target?: string | undefined;
  readonly met?: boolean | undefined;
}

/** What a benchmark section hands back: every figure named (for results.json) and the table rows. */
export interface SectionResult {
  readonly name: string;
  /** False when the section could not measure (a missing build, a crashed child), not when a target is missed. */
  readonly ok: boolean;
  readonly error?: string | undefined;
  readonly seconds: number;
  readonly figures: Record<string, unknown>;
  readonly rows: readonly Row[];
  /** Sanity checks the section made (identical bytes, no poll after terminal, …). */
  readonly checks: Record<string, boolean>;
}

export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function formatBytes(value: number): string {
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MB`;
  return `${(value / 1024).toFixed(1)} KB`;
}

export function formatRatio(value: number): string {
  // Three decimals: at two, 1.004 would print as 1.00× next to a "missed" verdict.
  return Number.isFinite(value) ? `${value.toFixed(3)}×` : 'n/a';
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The table `npm run bench` prints: section, figure, value, target, and whether it was met. */
export function renderTable(sections: readonly SectionResult[]): string {
  const lines: string[][] = [['section', 'figure', 'value', 'target', 'result']];
  for (const section of sections) {
    if (!section.ok) lines.push([section.name, 'FAILED', section.error?.split('\n')[0] ?? 'unknown error', '', '']);
    for (const row of section.rows) {
      const verdict = row.met === undefined ? '' : row.met ? 'met' : 'MISSED';
      lines.push([section.name, row.figure, row.value, row.target ?? '', verdict]);
    }
    for (const [name, passed] of Object.entries(section.checks)) {
      lines.push([section.name, `check: ${name}`, passed ? 'yes' : 'NO', '', passed ? '' : 'FAILED']);
    }
  }
  const widths = [0, 1, 2, 3, 4].map((column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  const rendered = lines.map((line) => line.map((cell, column) => pad(cell, widths[column] ?? 0)).join(' | ').trimEnd());
  return [rendered[0], rule, ...rendered.slice(1)].join('\n');
}
