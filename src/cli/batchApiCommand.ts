import { batchHolderKey } from '../core/batch/batchApiJob';
import { planCost, unfinishedJobFor } from '../core/batch/batchPlan';
import type { PlannedTarget } from '../core/batch/batchPlan';
import { targetLabel } from '../core/batch/batchTargets';
import { batchApiPriceFactor } from '../core/cost';
import { errorMessage, InputError } from '../core/errors';
import { createHttpClient } from '../providers/http';
import { batchApiJobFor } from '../providers/openai/batchApiJobFor';
import { driveBatchApiJob } from './batchApiRun';
import { reserveBatchApiSpend } from '../core/batch/batchApiSpend';
import { createCliBatchRunner } from './batchApiRuntime';
import type { CliBatchRunner } from './batchApiRuntime';
import { createFileJournalStore, gptImageHome } from './fileJournalStore';
import { createCliRunner } from './runtime';
import { exitCodes } from './failure';
import { createFileImageWriter } from './fileImageWriter';
import type { CliInterrupt } from './interrupt';
import { createCliLogger } from './io';
import type { CliIo } from './io';
import { requireApiKey, resolveBaseUrl } from './providerSetup';
import { cliSpendLedger } from './spendLedgerFile';

/** What `gpt-image batch --via batch-api` hands over once the file is loaded and planned (cli/batchCommand.ts). */
export interface BatchApiInput {
  /** The batch file's absolute path. */
  readonly source: string;
  /** The batch file as the images' provenance names it (LoadedBatch.originFile). */
  readonly originFile: string;
  /** The targets to make (missing, changed, or forced conflicts), in file order. */
  readonly targets: readonly PlannedTarget[];
  /** An entry's `out` as the folder the writer is given. */
  resolveOut(out: string): string;
  /** Sets the files a target replaces aside (a recoverable copy) before it is sent; throws when it cannot. */
  keepPrevious(target: PlannedTarget): Promise<void>;
}

export interface BatchApiOptions {
  readonly io: CliIo;
  readonly quiet: boolean;
  readonly pollIntervalMs: number | undefined;
  readonly interrupt: Pick<CliInterrupt, 'followRun'>;
}

/** Unfinished in the journal: an entry in such a job must not be sent a second time. */
const unfinishedStates = ['submitting', 'polling', 'downloading', 'unknown', 'needsAttention'];

/** Output folder and template of every entry in an unfinished Batch API job → `<job> (<state>)`. */
export async function batchApiHolders(runner: Pick<CliBatchRunner, 'list'>): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  for (const job of await runner.list()) {
    if (!unfinishedStates.includes(job.state)) continue;
    for (const entry of job.entries) holders.set(batchHolderKey(entry.output.dir, entry.output.template), `${job.id} (${job.state})`);
  }
  return holders;
}

/** For `gpt-image batch` without --via: the Batch API job (if any) still making this target. */
export function batchApiHolderOf(holders: ReadonlyMap<string, string>, dir: string, template: string): string | undefined {
  return holders.get(batchHolderKey(dir, template));
}

/**
 * The whole file as OpenAI Batch jobs at half the price (docs/providers.md §7.3): everything is
 * checked and journaled before the upload, the file id before the create, the batch id once known;
 * then it waits (slowly: a batch may take hours) and writes each image under its entry's name.
 */
export async function runViaBatchApi(input: BatchApiInput, options: BatchApiOptions): Promise<number> {
  const { io, quiet } = options;
  const log = createCliLogger(io, quiet);
  requireApiKey('openai', io.env);
  const baseUrl = resolveBaseUrl('openai', undefined, io.env);
  const http = createHttpClient({ useEnvironmentProxy: true, log });
  const runner = createCliBatchRunner({ http, log, env: io.env, pollIntervalMs: options.pollIntervalMs });
  try {
    // Refusals first (non-OpenAI entries, sizes a batch edit cannot take): nothing sent, exit 2.
    batchApiJobFor(input.targets, input.source, baseUrl, input.resolveOut, input.originFile);
    // An entry already in a job that has not finished (a Batch API job, or a job an earlier run without
    // --via left) is that job's: running the file again must not pay for it twice.
    const busy = await batchApiHolders(runner);
    const journal = createFileJournalStore(gptImageHome(io.env), (file) => log.warn(`ignoring unreadable journal entry ${file}`));
    const journaled = await createCliRunner({ journal, http, log, env: io.env, pollIntervalMs: undefined }).list();
    let held = 0;
    const free = input.targets.filter((target) => {
      const dir = input.resolveOut(target.target.out);
      const holder = busy.get(batchHolderKey(dir, target.target.template));
      const earlier = unfinishedJobFor(target, dir, journaled);
      if (holder !== undefined) io.stderr(`gpt-image: ${targetLabel(target.target)} is in Batch API job ${holder}; not sent again ("gpt-image resume" finishes it).`);
      else if (earlier) io.stderr(`gpt-image: ${targetLabel(target.target)} has the unfinished job ${earlier.id} (${earlier.state}) from an earlier run; not sent again ("gpt-image resume" or "gpt-image jobs").`);
      if (holder !== undefined || earlier) held += 1;
      return holder === undefined && !earlier;
    });
    const targets: PlannedTarget[] = [];
    for (const target of free) {
      try {
        await input.keepPrevious(target);
        targets.push(target);
      } catch (error) {
        held += 1;
        io.stderr(`gpt-image: ${targetLabel(target.target)}: the previous file could not be set aside, so it was not sent (${errorMessage(error)}).`);
      }
    }
    if (targets.length === 0) {
      if (!quiet) io.stderr('gpt-image: nothing to send through the Batch API.');
      return held > 0 ? exitCodes.failure : exitCodes.ok;
    }
    const init = batchApiJobFor(targets, input.source, baseUrl, input.resolveOut, input.originFile);
    const writer = createFileImageWriter();
    for (const dir of new Set(init.entries.map((entry) => entry.output.dir))) {
      try {
        await writer.prepare(dir);
      } catch (error) {
        throw new InputError([`${errorMessage(error)} Nothing was sent.`]);
      }
    }
    const job = await runner.create(init);
    // Journaled, nothing created at OpenAI yet: the discounted estimate is reserved in the ledger.
    const cost = planCost(targets, batchApiPriceFactor);
    await reserveBatchApiSpend(cliSpendLedger(io.env), job, cost.uncounted.length > 0 ? undefined : cost.usd, Date.now()).catch((error: unknown) =>
      log.warn(`the spend ledger could not be written (${errorMessage(error)}); this batch is not counted in gpt-image spend`),
    );
    if (!quiet) io.stderr(`gpt-image: Batch API job ${job.id}: ${init.parts.reduce((sum, part) => sum + part.lines.length, 0)} request(s) in ${init.parts.length} batch(es), at half the synchronous price, results within 24 h.`);
    const code = await driveBatchApiJob(job.id, { io, quiet, runner, interrupt: options.interrupt });
    return code === exitCodes.ok && held > 0 ? exitCodes.failure : code;
  } finally {
    await http.close().catch(() => undefined);
  }
}
