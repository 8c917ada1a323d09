import { earlierJobAction, targetsToMake, unfinishedJobFor } from '../core/batch/batchPlan';
import type { PlannedTarget } from '../core/batch/batchPlan';
import { targetLabel, targetOutput } from '../core/batch/batchTargets';
import { requestWarnings } from '../core/batch/batchRequests';
import { mapBounded } from '../core/concurrency';
import { batchApiPriceFactor } from '../core/cost';
import { isProviderError } from '../core/errors';
import { providerLabels } from '../core/ids';
import type { ProviderId } from '../core/ids';
import { JobOwner } from '../core/jobOwner';
import type { JobHandle } from '../core/jobHandle';
import type { JobRecord } from '../core/journal';
import type { JobRunner } from '../core/runner';
import type { SpendItem } from '../core/spendGuard';
import { createHttpClient } from '../providers/http';
import type { BatchCommand } from './args';
import { batchApiHolderOf, batchApiHolders, runViaBatchApi } from './batchApiCommand';
import { createCliBatchRunner } from './batchApiRuntime';
import { keepPrevious } from './batchFiles';
import { loadBatch } from './batchLoad';
import type { LoadedBatch } from './batchLoad';
import { printPlan } from './batchPlanText';
import { BatchProgress } from './batchProgress';
import type { TargetEnd } from './batchProgress';
import { errorLine, exitCodeFor, exitCodes } from './failure';
import { createFileJournalStore, gptImageHome } from './fileJournalStore';
import type { CliInterrupt } from './interrupt';
import { createCliLogger, oneLine } from './io';
import type { CliIo } from './io';
import { createLimitedHttp } from '../providers/limitedHttp';
import { requireApiKey, resolveBaseUrl } from './providerSetup';
import { createCliRunner } from './runtime';
import { requireSpendTotal } from './spendCommand';

/** Requests each provider starts with; its adaptive limit grows from there up to --concurrency. */
const initialPerProvider = 4;
/**
 * New jobs after a job that ended on 429s alone (the provider's own retries used up): a 429 proves
 * nothing was made or charged, so making the entry again cannot pay twice.
 */
const rateLimitRequeues = 5;

/**
 * `gpt-image batch <file>`: validate everything (exit 2, nothing sent), then make every target that
 * is missing or changed, each as one job in the journal, under adaptive per-provider limits.
 * Exit: 0 all made or up to date; 1 a failure or conflict; 3 a paid outcome unknown; 130 Ctrl-C.
 */
export async function runBatchCommand(command: BatchCommand, io: CliIo, interrupt: Pick<CliInterrupt, 'follow' | 'followRun' | 'interrupted'>): Promise<number> {
  const batch = await loadBatch(command, io.cwd);
  const warnings = batch.plan.targets.flatMap(requestWarnings);
  if (command.dryRun) {
    printPlan(batch, command.force, io, command.via === 'batch-api' ? batchApiPriceFactor : 1);
    return exitCodes.ok;
  }
  const toMake = targetsToMake(batch.plan, command.force);
  // The whole batch against --max-cost and GPT_IMAGE_SPEND_LIMIT, once, before anything is sent
  // (each job is checked again against the limits as it starts).
  await requireSpendTotal(io.env, spendItems(toMake, command.via === 'batch-api' ? batchApiPriceFactor : 1), command.maxCostUsd);
  if (command.via === 'batch-api') return runBatchViaBatchApi(command, batch, toMake, io, interrupt);
  // Keys and base URLs of every provider that will be asked, before the first request (exit 2).
  const providers = [...new Set(toMake.map((target) => target.target.provider))];
  for (const provider of providers) requireApiKey(provider, io.env);
  const baseUrls = new Map<ProviderId, string>(providers.map((provider) => [provider, resolveBaseUrl(provider, undefined, io.env)]));

  const progress = new BatchProgress(io, batch.plan.targets.length, command.quiet);
  const log = createCliLogger(progress.io, command.quiet);
  if (!command.quiet) for (const warning of warnings) progress.io.stderr(`gpt-image: warning: ${warning}`);
  const limited = createLimitedHttp(createHttpClient({ useEnvironmentProxy: true, log }), { max: command.concurrency, initial: Math.min(initialPerProvider, command.concurrency) });
  const journal = createFileJournalStore(gptImageHome(io.env), (file) => log.warn(`ignoring unreadable journal entry ${file}`));
  const runner = createCliRunner({ journal, http: limited.http, log, env: io.env, baseUrlFor: (id) => baseUrls.get(id) ?? resolveBaseUrl(id, undefined, io.env), pollIntervalMs: command.pollIntervalMs });
  const owner = new JobOwner(runner, log);
  const ends: TargetEnd[] = [];
  try {
    for (const target of batch.plan.targets) {
      if (target.status === 'upToDate') {
        progress.skipped(targetLabel(target.target));
        ends.push('upToDate');
      } else if (target.status === 'conflict' && !command.force) {
        const files = target.existing.flatMap((file) => (file && !file.sidecar ? [file.fileName] : []));
        progress.ended(targetLabel(target.target), 'conflict', `(${files.join(', ')} in ${target.target.out} was not made by gpt-image: left untouched; --force keeps a copy under .gpt-image/previous/ and makes it)`);
        ends.push('conflict');
      }
    }
    // Through the runner: a submission whose sender died long ago reads as unknown (never resent).
    const journaled = toMake.length > 0 ? await runner.list() : [];
    // An entry a Batch API job (--via batch-api) is still making is that job's: never paid twice.
    const batchApiJobs = toMake.length > 0 ? await batchApiHolders(createCliBatchRunner({ http: limited.http, log, env: io.env, pollIntervalMs: undefined })) : new Map<string, string>();
    const free = toMake.filter((target) => {
      const holder = batchApiHolderOf(batchApiJobs, batch.resolveOut(target.target.out), target.target.template);
      if (holder === undefined) return true;
      progress.ended(targetLabel(target.target), 'failed', `(it is in Batch API job ${holder}: not sent again; "gpt-image resume" finishes it)`);
      ends.push('failed');
      return false;
    });
    const context: TargetContext = { batch, owner, runner, journaled, io: progress.io, progress, interrupt, quiet: command.quiet };
    ends.push(...(await mapBounded(free, command.concurrency, (target) => makeTarget(target, context))));
  } finally {
    progress.finish();
    await limited.http.close().catch(() => undefined);
  }
  return worst(ends);
}

interface TargetContext {
  readonly batch: LoadedBatch;
  readonly owner: JobOwner;
  readonly runner: JobRunner;
  readonly journaled: readonly JobRecord[];
  readonly io: CliIo;
  readonly progress: BatchProgress;
  readonly interrupt: Pick<CliInterrupt, 'follow' | 'interrupted'>;
  readonly quiet: boolean;
}

/** One target: resume the job an earlier run left, or keep the previous files and make it anew. */
async function makeTarget(target: PlannedTarget, context: TargetContext): Promise<TargetEnd> {
  const { batch, owner, io, progress } = context;
  const label = targetLabel(target.target);
  if (context.interrupt.interrupted) return 'interrupted';
  const dir = batch.resolveOut(target.target.out);
  progress.began();
  const earlier = unfinishedJobFor(target, dir, context.journaled);
  if (earlier) return finishEarlier(target, earlier, context);
  try {
    const moved = target.existing.filter((file) => file !== undefined);
    const kept = await keepPrevious(dir, moved, new Date());
    for (const location of kept) if (!context.quiet) io.stderr(`gpt-image: ${label}: the previous file is kept as ${location}`);
  } catch (error) {
    progress.ended(label, 'failed', `(the previous file could not be set aside, so nothing was sent: ${oneLine(String(error))})`);
    return 'failed';
  }
  for (let attempt = 0; ; attempt++) {
    const handle = owner.run({ request: target.request, output: targetOutput(target.target, dir, batch.originFile) });
    const end = await follow(handle, label, context);
    if (end !== 'rateLimited' || attempt >= rateLimitRequeues || context.interrupt.interrupted) return end === 'rateLimited' ? 'failed' : end;
  }
}

/** A job of this target that a killed or interrupted run left: finished here, never sent again. */
async function finishEarlier(target: PlannedTarget, job: JobRecord, context: TargetContext): Promise<TargetEnd> {
  const label = targetLabel(target.target);
  const { progress } = context;
  const action = earlierJobAction(target, job);
  if (action === 'differs') {
    progress.ended(label, 'failed', `(job ${job.id} for this entry, with its earlier request, is unfinished: run "gpt-image resume" to finish it, then run the batch again)`);
    return 'failed';
  }
  if (action === 'unknown') {
    progress.ended(label, 'unknown', `(job ${job.id} was being sent when its run ended: the provider may have accepted and charged it, so it is not sent again; "gpt-image jobs" shows it)`);
    return 'unknown';
  }
  if (context.runner.heldElsewhere(job)) {
    progress.ended(label, 'failed', `(job ${job.id} is being finished by another process; run the batch again once it is done)`);
    return 'failed';
  }
  if (!context.quiet) context.io.stderr(`gpt-image: ${label}: finishing job ${job.id} from an earlier run (not sent again)`);
  const end = await follow(context.owner.resume(job.id, job.provider), label, context);
  return end === 'rateLimited' ? 'failed' : end;
}

async function follow(handle: JobHandle, label: string, context: TargetContext): Promise<TargetEnd | 'rateLimited'> {
  const { io, progress } = context;
  context.interrupt.follow(handle);
  handle.onWarnings((warnings) => {
    if (!context.quiet) for (const warning of warnings) io.stderr(`gpt-image: warning: ${label}: ${warning}`);
  });
  try {
    const result = await handle.done;
    for (const file of result.files) io.stdout(file);
    progress.ended(label, 'made', `(${result.files.length} file${result.files.length === 1 ? '' : 's'})`);
    return 'made';
  } catch (error) {
    const latest = handle.jobId === undefined ? undefined : await context.runner.get(handle.jobId).catch(() => undefined);
    for (const file of latest?.tasks.flatMap((task) => task.files) ?? []) io.stdout(file);
    // Refused with 429 after the provider's own retries: nothing was made, so it may go again.
    if (isProviderError(error) && error.kind === 'rateLimit' && latest?.state === 'failed' && !context.interrupt.interrupted) {
      io.stderr(`gpt-image: ${label}: ${providerLabels[latest.provider]} is limiting requests; trying again once the limit allows (nothing was charged).`);
      return 'rateLimited';
    }
    const code = exitCodeFor(error);
    const end: TargetEnd = code === exitCodes.unknownOutcome ? 'unknown' : code === exitCodes.interrupted ? 'interrupted' : 'failed';
    progress.ended(label, end, `— ${errorLine(error, latest).replace(/^gpt-image: /, '')}`);
    return end;
  }
}

/**
 * `--via batch-api`: up-to-date entries and conflicts are reported as without it, previous files are
 * kept before anything is sent, then the targets to make go as OpenAI Batch jobs (cli/batchApiCommand.ts).
 */
async function runBatchViaBatchApi(command: BatchCommand, batch: LoadedBatch, toMake: readonly PlannedTarget[], io: CliIo, interrupt: Pick<CliInterrupt, 'followRun'>): Promise<number> {
  const ends: TargetEnd[] = [];
  for (const target of batch.plan.targets) {
    if (target.status === 'upToDate') {
      if (!command.quiet) io.stderr(`gpt-image: ${targetLabel(target.target)}: up to date`);
      ends.push('upToDate');
    } else if (target.status === 'conflict' && !command.force) {
      const files = target.existing.flatMap((file) => (file && !file.sidecar ? [file.fileName] : []));
      io.stderr(`gpt-image: ${targetLabel(target.target)}: conflict (${files.join(', ')} in ${target.target.out} was not made by gpt-image: left untouched; --force keeps a copy under .gpt-image/previous/ and makes it)`);
      ends.push('conflict');
    }
  }
  if (toMake.length === 0) return worst(ends);
  const code = await runViaBatchApi(
    {
      source: batch.path,
      originFile: batch.originFile,
      targets: toMake,
      resolveOut: batch.resolveOut,
      keepPrevious: async (target) => {
        const kept = await keepPrevious(batch.resolveOut(target.target.out), target.existing.filter((file) => file !== undefined), new Date());
        for (const location of kept) if (!command.quiet) io.stderr(`gpt-image: ${targetLabel(target.target)}: the previous file is kept as ${location}`);
      },
    },
    { io, quiet: command.quiet, pollIntervalMs: command.pollIntervalMs, interrupt },
  );
  const codes = [code, worst(ends)];
  return [exitCodes.interrupted, exitCodes.unknownOutcome, exitCodes.failure, exitCodes.invalidInput].find((candidate) => codes.includes(candidate)) ?? exitCodes.ok;
}

/** 130 (interrupted) and 3 (money may be spent) say more than 1. */
function worst(ends: readonly TargetEnd[]): number {
  if (ends.includes('interrupted')) return exitCodes.interrupted;
  if (ends.includes('unknown')) return exitCodes.unknownOutcome;
  if (ends.includes('failed') || ends.includes('conflict')) return exitCodes.failure;
  return exitCodes.ok;
}

/** What each target to make would cost, as the spend guard counts it (unpriced: undefined). */
function spendItems(targets: readonly PlannedTarget[], priceFactor: number): SpendItem[] {
  return targets.map((target) => ({
    provider: target.target.provider,
    estimate:
      target.cost.kind === 'usd'
        ? { usd: target.cost.usd * priceFactor, approximate: target.cost.approximate, basis: target.cost.basis }
        : { usd: undefined, approximate: false, basis: target.cost.basis },
  }));
}
