import * as vscode from 'vscode';
import { earlierJobAction, unfinishedJobFor } from '../core/batch/batchPlan';
import type { PlannedTarget } from '../core/batch/batchPlan';
import { targetLabel, targetOutput } from '../core/batch/batchTargets';
import { mapBounded } from '../core/concurrency';
import { isProviderError } from '../core/errors';
import { cancelJob } from '../core/jobHandle';
import type { JobHandle, KeepOrStopAnswer } from '../core/jobHandle';
import type { JobOwner } from '../core/jobOwner';
import type { JobRecord } from '../core/journal';
import type { Logger } from '../core/logger';
import { keepPreviousInWorkspace } from './batchDocument';
import { askKeepOrStop } from './jobViews';

/** How a batch run in the editor ended, for the closing message and the tests. */
export interface BatchRunSummary {
  readonly files: readonly string[];
  readonly made: number;
  readonly failed: readonly string[];
  readonly unknown: readonly string[];
  /** Cancelled before it started, or stopped. */
  readonly notMade: number;
}

export interface BatchRunOptions {
  readonly owner: JobOwner;
  readonly log: Logger;
  readonly title: string;
  readonly targets: readonly PlannedTarget[];
  /** Up to date or in conflict: counted in the progress, never sent. */
  readonly skipped: number;
  readonly resolveOut: (out: string) => vscode.Uri;
  /** The journal now: an earlier run's unfinished job of a target is finished, never sent again. */
  readonly journaled: readonly JobRecord[];
  readonly concurrency: number;
  /** Called as each entry ends (its files changed): the CodeLenses show the new state. */
  readonly changed?: (() => void) | undefined;
  /** The batch file, workspace-relative: recorded in each image's provenance. */
  readonly batchFile: string;
}

/**
 * Runs a batch's targets through the window's JobOwner under one cancellable notification
 * (done / running / failed / up to date). Cancel stops starting entries; for those already out it
 * is cancelJob's rule, asked once for all: nothing paid out is cancelled at once, anything paid
 * asks keep-or-stop (keep: they finish in the background and announce themselves).
 */
export async function runBatchWithProgress(options: BatchRunOptions): Promise<BatchRunSummary> {
  const total = options.targets.length + options.skipped;
  let done = 0;
  let running = 0;
  const failed: string[] = [];
  const unknown: string[] = [];
  const files: string[] = [];
  let cancelled = false;
  const handles = new Set<JobHandle>();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: options.title, cancellable: true }, async (progress, token) => {
    const report = (increment?: number): void =>
      progress.report({ increment, message: `${done} of ${options.targets.length} made, ${running} running, ${failed.length + unknown.length} failed, ${options.skipped} up to date` });
    report();
    token.onCancellationRequested(() => {
      cancelled = true;
      void cancelAll([...handles]);
    });
    const one = async (target: PlannedTarget): Promise<void> => {
      if (cancelled) return;
      const label = targetLabel(target.target);
      const dir = options.resolveOut(target.target.out);
      const earlier = unfinishedJobFor(target, dir.toString(), options.journaled);
      let handle: JobHandle;
      if (earlier) {
        if (earlierJobAction(target, earlier) !== 'resume') {
          unknown.push(`${label} (job ${earlier.id} of an earlier run is unfinished or its outcome unknown: see Show Jobs; it is not sent again)`);
          report(100 / total);
          return;
        }
        handle = options.owner.resume(earlier.id, earlier.provider);
      } else {
        try {
          await keepPreviousInWorkspace(dir, target.existing.filter((file) => file !== undefined), new Date());
        } catch (error) {
          failed.push(`${label} (the previous file could not be set aside, so nothing was sent: ${String(error)})`);
          report(100 / total);
          return;
        }
        handle = options.owner.run({ request: target.request, output: targetOutput(target.target, dir.toString(), options.batchFile) });
      }
      // Watched: the background view announces only jobs nobody follows (a kept cancel lets go).
      let watching = handle.watch();
      handles.add(handle);
      running++;
      report();
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            const result = await handle.done;
            files.push(...result.files);
            done++;
            break;
          } catch (error) {
            // Refused with 429s alone (the provider's own retries used up): nothing was made or
            // charged, so a new job for the entry cannot pay twice (as gpt-image batch does).
            if (earlier || cancelled || attempt >= rateLimitRequeues || !(await endedOnRateLimit(error, handle, options.owner))) throw error;
            handles.delete(handle);
            watching.dispose();
            handle = options.owner.run({ request: target.request, output: targetOutput(target.target, dir.toString(), options.batchFile) });
            watching = handle.watch();
            handles.add(handle);
          }
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.log.warn(`Image batch: ${label}: ${message}`);
        if (!cancelled) (isProviderError(error) && error.kind === 'unknownOutcome' ? unknown : failed).push(`${label} (${message})`);
      } finally {
        running--;
        handles.delete(handle);
        watching.dispose();
        report(100 / total);
        options.changed?.();
      }
    };
    for (let index = 0; index < options.skipped; index++) report(100 / total);
    await mapBounded(options.targets, options.concurrency, one);
    return { files, made: done, failed, unknown, notMade: options.targets.length - done - failed.length - unknown.length };
  });
}

/** New jobs for an entry whose job ended on 429s alone (as the CLI's rateLimitRequeues). */
const rateLimitRequeues = 5;

async function endedOnRateLimit(error: unknown, handle: JobHandle, owner: JobOwner): Promise<boolean> {
  if (!isProviderError(error) || error.kind !== 'rateLimit' || handle.jobId === undefined) return false;
  return (await owner.load(handle.jobId))?.state === 'failed';
}

/** One question for every paid job out (keep or stop), then cancelJob's rule per job. */
async function cancelAll(handles: readonly JobHandle[]): Promise<void> {
  const paid = handles.find((handle) => handle.paidOut);
  let answer: Promise<KeepOrStopAnswer> | undefined;
  const ask = (handle: JobHandle): Promise<KeepOrStopAnswer> => (answer ??= askKeepOrStop(paid ?? handle));
  await Promise.all(handles.map((handle) => cancelJob(handle, ask)));
}
