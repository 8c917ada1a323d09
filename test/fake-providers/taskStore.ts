import { randomBytes } from 'node:crypto';
import type { FakeCdn } from './cdn';
import { makePng } from './png';

/** How a new task of an async fake behaves; taken from the fake's knobs when the task is created. */
export interface TaskPlan {
  /** Polls answered "not done yet" (first `pending`, then `processing`) before the final state. */
  readonly completeAfterPolls: number;
  /** If set, the task finishes this long after submit instead (polls then do not matter). */
  readonly completeAfterMs?: number | undefined;
  /** Stays `processing` until released (`release()` / `POST /__release`). */
  readonly hold: boolean;
  readonly outcome: 'success' | 'failed';
  /** Result images per task (both providers make one; more exercises "read every URL"). */
  readonly imagesPerTask: number;
  /** Serve results through a redirect on the CDN (one hop). */
  readonly redirectResults: boolean;
  /** Result links carry an S3-style signature query that the CDN requires (403 without it). */
  readonly signedResults: boolean;
}

/** How tasks behave unless a test says otherwise: two "not done yet" reads, then one image. */
export const defaultTaskPlan: TaskPlan = {
  completeAfterPolls: 2,
  completeAfterMs: undefined,
  hold: false,
  outcome: 'success',
  imagesPerTask: 1,
  redirectResults: false,
  signedResults: false,
};

/** The task-plan part of a fake's knobs, copied when a task is created (later knob changes do not reach it). */
export function planFrom(knobs: TaskPlan): TaskPlan {
  const { completeAfterPolls, completeAfterMs, hold, outcome, imagesPerTask, redirectResults, signedResults } = knobs;
  return { completeAfterPolls, completeAfterMs, hold, outcome, imagesPerTask, redirectResults, signedResults };
}

export type TaskPhase = 'pending' | 'processing' | 'success' | 'failed';

export interface FakeTask<Detail> {
  readonly id: string;
  readonly createdAt: number;
  readonly plan: TaskPlan;
  /** What the provider-specific fake keeps (model, body, size). */
  readonly detail: Detail;
  polls: number;
  held: boolean;
  resultUrls?: string[];
}

/** The life of submitted tasks, shared by the Modellix and APIXO fakes. */
export class FakeTaskStore<Detail> {
  private readonly tasks = new Map<string, FakeTask<Detail>>();

  constructor(private readonly prefix: string) {}

  /** `id` overrides the provider-style random id (numeric ids, for the clients that must read them). */
  create(plan: TaskPlan, detail: Detail, id?: string): FakeTask<Detail> {
    const task: FakeTask<Detail> = {
      id: id ?? `${this.prefix}${randomBytes(8).toString('hex')}`,
      createdAt: Date.now(),
      plan,
      detail,
      polls: 0,
      held: plan.hold,
    };
    this.tasks.set(task.id, task);
    return task;
  }

  get(id: string): FakeTask<Detail> | undefined {
    return this.tasks.get(id);
  }

  all(): FakeTask<Detail>[] {
    return [...this.tasks.values()];
  }

  /** Counts one poll and says where the task is now. */
  poll(task: FakeTask<Detail>): TaskPhase {
    task.polls += 1;
    if (task.held) return task.polls === 1 ? 'pending' : 'processing';
    const done =
      task.plan.completeAfterMs !== undefined
        ? Date.now() - task.createdAt >= task.plan.completeAfterMs
        : task.polls > task.plan.completeAfterPolls;
    if (done) return task.plan.outcome;
    return task.polls === 1 ? 'pending' : 'processing';
  }

  /** Lets held tasks (one, or all when no id is given) finish at their next poll. */
  release(id: string | undefined): number {
    let released = 0;
    for (const task of this.tasks.values()) {
      if (task.held && (id === undefined || task.id === id)) {
        task.held = false;
        // Released means "done now", whatever the poll count says.
        task.polls = Math.max(task.polls, task.plan.completeAfterPolls);
        released += 1;
      }
    }
    return released;
  }

  clear(): void {
    this.tasks.clear();
  }
}

/**
 * The task's result images, drawn once and stored on the CDN (never on the API origin). Images
 * are 1/8 of the nominal size so tests stay fast; the colours follow the task.
 */
export function resultUrlsFor<Detail>(task: FakeTask<Detail>, cdn: FakeCdn, width: number, height: number): string[] {
  if (task.resultUrls) return task.resultUrls;
  const urls: string[] = [];
  for (let index = 0; index < task.plan.imagesPerTask; index++) {
    const png = makePng({ width: Math.max(8, Math.round(width / 8)), height: Math.max(8, Math.round(height / 8)), seed: seedOf(task.id) + index });
    const url = cdn.put(png, { extension: 'png', signed: task.plan.signedResults });
    urls.push(task.plan.redirectResults ? cdn.redirectTo(url) : url);
  }
  task.resultUrls = urls;
  return urls;
}

function seedOf(text: string): number {
  let seed = 7;
  for (const char of text) seed = (seed * 31 + char.charCodeAt(0)) % 997;
  return seed + 1;
}
