import type { ProviderId } from '../ids';
import type { JobOutput } from '../journal';
import type { BatchEntry, BatchFile, BatchProblem } from './batchFile';

/** The output folder when neither an entry nor `defaults` names one (the CLI's --out default). */
export const defaultBatchOut = 'images';

/** One entry made by one provider: the unit that becomes one job in the journal. */
export interface BatchTarget {
  readonly entry: BatchEntry;
  readonly provider: ProviderId;
  /** The output folder as written in the file (relative to the batch file's folder). */
  readonly out: string;
  /**
   * The file names without extension, in image order (the extension comes from the image's bytes):
   * `<name>`, `<name>-<provider>` with several providers, then `-<k>` (1-based) when n > 1.
   */
  readonly stems: readonly string[];
  /** The job's file-name template (core/naming.ts) that renders exactly `stems`. */
  readonly template: string;
}

/** `mascot-openai` for display and progress lines; the entry's name alone with one provider. */
export function targetLabel(target: BatchTarget): string {
  return target.entry.providers.length > 1 ? `${target.entry.name}-${target.provider}` : target.entry.name;
}

/**
 * The job output of a target written into `dir`: its template, and where it came from (`file`, the
 * batch file as BatchOrigin names it), so every image's provenance names its batch file and entry.
 */
export function targetOutput(target: BatchTarget, dir: string, file: string): JobOutput {
  return { dir, template: target.template, batch: { file, entry: target.entry.name } };
}

/**
 * Every entry × provider, in file order. Two targets that would write the same file name in the
 * same folder (an entry named `mascot-openai` beside `mascot` with several providers, `hero-1`
 * beside `hero` with n: 2) are problems: one would always look like the other's file.
 */
export function batchTargets(file: BatchFile): { readonly targets: readonly BatchTarget[]; readonly problems: readonly BatchProblem[] } {
  const targets: BatchTarget[] = [];
  const problems: BatchProblem[] = [];
  const owners = new Map<string, BatchEntry>();
  for (const entry of file.entries) {
    for (const provider of entry.providers) {
      const base = entry.providers.length > 1 ? `${entry.name}-${provider}` : entry.name;
      const stems = entry.n > 1 ? Array.from({ length: entry.n }, (_, index) => `${base}-${index + 1}`) : [base];
      const out = normalizeFolder(entry.out ?? defaultBatchOut);
      const clash = stems.map((stem) => owners.get(`${out}\u0000${stem.toLowerCase()}`)).find((owner) => owner !== undefined && owner !== entry);
      if (clash) {
        problems.push({
          line: entry.line,
          column: 1,
          entry: entry.name,
          message: `${entry.name}: its file ${stems[0]} would have the same name as a file of "${clash.name}" (line ${clash.line}) in ${out}; rename one of them.`,
        });
        continue;
      }
      for (const stem of stems) owners.set(`${out}\u0000${stem.toLowerCase()}`, entry);
      // `{index}` is the image's 1-based number within the job, so the job writes exactly `stems`.
      targets.push({ entry, provider, out, stems, template: entry.n > 1 ? `${base}-{index}` : base });
    }
  }
  return { targets, problems };
}

/** `./assets//generated/` and `assets/generated` are the same folder. */
function normalizeFolder(path: string): string {
  const parts = path.split(/[/\\]+/).filter((part) => part !== '' && part !== '.');
  return parts.length === 0 ? '.' : parts.join('/');
}
