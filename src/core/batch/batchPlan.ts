import { previewCost } from '../cost';
import type { CostPreview, TokenRates } from '../cost';
import { toJournalRequest } from '../jobRecords';
import type { JobRecord, JournalRequest } from '../journal';
import type { Provenance } from '../provenance';
import type { BatchRequest } from './batchRequests';

/**
 * What a target needs:
 * - upToDate: every file exists with a sidecar recording this very request (skipped: 0 requests);
 * - missing: some file does not exist yet (made);
 * - changed: a file made under this name records another request (kept under previous/, then made);
 * - conflict: a file under this name was not made by gpt-image (no sidecar): never touched unless --force.
 */
export type BatchStatus = 'upToDate' | 'missing' | 'changed' | 'conflict';

/** A file found under one of a target's stems (any image extension), with its sidecar if it has one. */
export interface ExistingImage {
  /** The file's name in the output folder, e.g. `hero-1.png`. */
  readonly fileName: string;
  /** Undefined when there is no readable sidecar: then the file was not made by gpt-image. */
  readonly sidecar: Provenance | undefined;
}

/** Finds the file of `stem` (`<stem>.png`, `.jpg`, `.webp`) in the output folder `out`. */
export type BatchInspector = (out: string, stem: string) => Promise<ExistingImage | undefined>;

export interface PlannedTarget extends BatchRequest {
  readonly status: BatchStatus;
  /** Per stem, the file found there now (in image order). */
  readonly existing: readonly (ExistingImage | undefined)[];
  /** What the journal and every sidecar record for this request. */
  readonly journalRequest: JournalRequest;
  /** The estimate of making it (before any --via discount); "unknown" where no price is published. */
  readonly cost: CostPreview;
}

export interface BatchPlan {
  readonly targets: readonly PlannedTarget[];
}

/** Statuses for every validated target, from the files in their output folders. */
export async function planBatch(requests: readonly BatchRequest[], inspect: BatchInspector, rates?: TokenRates): Promise<BatchPlan> {
  const targets: PlannedTarget[] = [];
  for (const request of requests) {
    const { target, validated } = request;
    const journalRequest = toJournalRequest(request.request, validated);
    const existing = await Promise.all(target.stems.map((stem) => inspect(target.out, stem)));
    const first = validated.calls[0];
    const cost = previewCost({
      capability: validated.capability,
      size: request.request.size,
      quality: first?.quality,
      images: validated.totalImages,
      promptLength: request.request.prompt.length,
      rates,
    });
    targets.push({ ...request, existing, journalRequest, cost, status: statusOf(request, journalRequest, existing) });
  }
  return { targets };
}

function statusOf(request: BatchRequest, expected: JournalRequest, existing: readonly (ExistingImage | undefined)[]): BatchStatus {
  if (existing.some((file) => file !== undefined && file.sidecar === undefined)) return 'conflict';
  const recordsThis = (file: ExistingImage, index: number): boolean =>
    file.sidecar !== undefined &&
    file.sidecar.provider === request.request.provider &&
    file.sidecar.model === request.validated.capability.model &&
    file.sidecar.index === index + 1 &&
    sameRequest(file.sidecar.request, expected);
  if (existing.some((file, index) => file !== undefined && !recordsThis(file, index))) return 'changed';
  return existing.every((file) => file !== undefined) ? 'upToDate' : 'missing';
}

/**
 * The same request: every recorded option alike, except the wire size (derived from the size asked,
 * so a newer mapping alone does not pay for the image again). Inputs compare by reference.
 */
export function sameRequest(recorded: JournalRequest, expected: JournalRequest): boolean {
  const { wireSize: _recordedWire, ...left } = recorded;
  const { wireSize: _expectedWire, ...right } = expected;
  return canonical(left) === canonical(right);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).filter(([, field]) => field !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)))
      : item,
  );
}

/** Targets that would send a request (missing, changed; conflicts too when forced). */
export function targetsToMake(plan: BatchPlan, force: boolean): PlannedTarget[] {
  return plan.targets.filter((target) => target.status === 'missing' || target.status === 'changed' || (force && target.status === 'conflict'));
}

/** The estimate of everything that would be sent, and what cannot be counted (no published price). */
export interface PlanCost {
  readonly usd: number;
  /** Whether any part of `usd` is OpenAI's token-based approximation. */
  readonly approximate: boolean;
  /** Targets whose provider publishes no price: not in `usd`. */
  readonly uncounted: readonly PlannedTarget[];
}

/**
 * The batch's total estimate: one call for --dry-run, and for the spend guard's --max-cost check
 * (a batch whose estimate passes the limit sends nothing). `discount` is a factor (0.5: Batch API).
 */
export function planCost(targets: readonly PlannedTarget[], discount = 1): PlanCost {
  let usd = 0;
  let approximate = false;
  const uncounted: PlannedTarget[] = [];
  for (const target of targets) {
    if (target.cost.kind === 'unknown') uncounted.push(target);
    else {
      usd += target.cost.usd * discount;
      approximate ||= target.cost.approximate;
    }
  }
  return { usd: Math.round(usd * 10_000) / 10_000, approximate, uncounted };
}

/**
 * A journaled job that belongs to `target` (same folder, file names and provider) and has not
 * finished: a batch run again after a crash resumes it instead of paying for the entry again.
 * `dir` is the target's output folder as the host's writer names it (the job's `output.dir`).
 */
export function unfinishedJobFor(target: PlannedTarget, dir: string, jobs: readonly JobRecord[]): JobRecord | undefined {
  return jobs.find(
    (job) =>
      job.output.dir === dir &&
      job.output.template === target.target.template &&
      job.provider === target.target.provider &&
      (job.state === 'submitting' || job.state === 'polling' || job.state === 'downloading' || job.state === 'unknown' || job.state === 'needsAttention'),
  );
}

/**
 * What a run does with an earlier run's unfinished job of a target (unfinishedJobFor), the same in
 * the CLI and the editor: `resume` it (polling, downloading, kept images: finished, never sent
 * again); `unknown` when it was being sent when its run ended (it may be paid: reported, never
 * resent); `differs` when it was made for another request (left to `gpt-image resume` / Show Jobs).
 */
export function earlierJobAction(target: PlannedTarget, job: JobRecord): 'resume' | 'unknown' | 'differs' {
  if (!sameRequest(job.request, target.journalRequest)) return 'differs';
  if (job.state === 'submitting' || job.state === 'unknown') return 'unknown';
  return 'resume';
}
