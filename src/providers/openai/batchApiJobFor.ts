import type { BatchEndpoint, BatchJobEntry, BatchLine } from '../../core/batch/batchApiJob';
import type { NewBatchJob } from '../../core/batch/batchApiRunner';
import type { PlannedTarget } from '../../core/batch/batchPlan';
import { targetLabel, targetOutput } from '../../core/batch/batchTargets';
import { InputError } from '../../core/errors';
import { providerLabels } from '../../core/ids';
import { batchInputLine, batchLineBody } from './batchLines';

/**
 * The targets of a batch file as Batch API parts: one JSONL line per entry and paid call (an entry's
 * `n` inside its body; more than a call's maximum becomes several lines), one part per endpoint and
 * model (a batch takes one of each, docs/providers.md §7.3). Everything that cannot go is refused
 * here, all at once with line numbers, before anything is sent.
 */
/** `resolveOut` turns an entry's `out` (relative to the batch file) into the folder the writer is given. */
export function batchApiJobFor(targets: readonly PlannedTarget[], source: string, baseUrl: string, resolveOut: (out: string) => string, originFile: string): NewBatchJob {
  const problems: string[] = [];
  for (const target of targets) {
    if (target.target.provider !== 'openai') {
      problems.push(
        `line ${target.target.entry.line}: ${targetLabel(target.target)} is for ${providerLabels[target.target.provider]}; --via batch-api sends only OpenAI entries (run it without --via, or drop ${target.target.provider} from the entry).`,
      );
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  const entries: BatchJobEntry[] = [];
  const parts = new Map<string, { endpoint: BatchEndpoint; model: string; lines: BatchLine[]; jsonl: string[] }>();
  const warnings: string[] = [];
  for (const target of targets) {
    const entry = entries.length;
    entries.push({
      name: targetLabel(target.target),
      model: target.validated.capability.model,
      request: target.journalRequest,
      output: targetOutput(target.target, resolveOut(target.target.out), originFile),
    });
    warnings.push(...target.validated.warnings.map((warning) => `${targetLabel(target.target)}: ${warning}`));
    let firstImage = 1;
    for (const [index, call] of target.validated.calls.entries()) {
      const built = batchLineBody(call);
      if ('problem' in built) {
        problems.push(`line ${target.target.entry.line}: ${targetLabel(target.target)}: ${built.problem}`);
        break;
      }
      const model = call.customModel ?? call.model;
      const key = `${built.endpoint} ${model}`;
      const part = parts.get(key) ?? { endpoint: built.endpoint, model, lines: [], jsonl: [] };
      parts.set(key, part);
      // custom_id is unique in the file: entry names are unique, and a second call of one entry is numbered.
      const customId = target.validated.calls.length === 1 ? targetLabel(target.target) : `${targetLabel(target.target)}#${index + 1}`;
      part.lines.push({ customId, entry, firstImage, n: call.n, state: 'waiting', files: [] });
      part.jsonl.push(batchInputLine(customId, built.endpoint, built.body));
      firstImage += call.n;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    source,
    baseUrl,
    entries,
    parts: [...parts.values()].map((part) => ({ endpoint: part.endpoint, model: part.model, lines: part.lines, jsonl: `${part.jsonl.join('\n')}\n` })),
    warnings,
  };
}
