import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Provenance } from '../../../src/core/provenance';
import { provenanceFileName, provenanceFolderName } from '../../../src/core/provenance';
import { startFakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import { describeFailure, measureNode } from '../shared/childProcess';
import type { MeasuredRun } from '../shared/childProcess';
import { formatMs } from '../shared/report';
import type { SectionResult } from '../shared/report';
import { round, roundSummary, summarize } from '../shared/stats';

export interface PollingOptions {
  readonly cliScript: string;
  readonly rssProbe: string;
  readonly scratchDir: string;
  readonly tasks: number;
  /** Modellix allows 4 images per request (one paid task each), so tasks / 4 CLI processes run at once. */
  readonly tasksPerProcess: number;
  readonly pollIntervalMs: number;
  /** Each task finishes at a random time in this window after its submit (seeded, so runs compare). */
  readonly completeWithinMs: readonly [number, number];
  readonly seed: number;
}

const apiKey = 'sk-test-modellix-key';

/** A small seeded generator (mulberry32): the same schedule every run, different per task. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** One task's story, as the fake and the file system tell it. */
interface TaskStory {
  readonly taskId: string;
  readonly completedAt: number;
  readonly polls: readonly number[];
  readonly downloads: number;
  readonly appearedAt: number | undefined;
  readonly mtimeMs: number | undefined;
}

/**
 * N Modellix tasks, each finishing at a random time, fetched by our CLI (`--poll-interval`) in
 * parallel processes of 4 images. From the fake's records: requests per task and polls after a task
 * was already finished; from the file system: the lag between a task's completion at the fake and
 * its image appearing under its final name (watched with inotify in this process, which is also
 * the fake's clock); from each CLI process: its peak RSS.
 */
export async function benchPolling(options: PollingOptions): Promise<Omit<SectionResult, 'name' | 'seconds'>> {
  const cdn = await startFakeCdn();
  const fake = await startFakeModellix({ cdn, apiKey });
  const random = seededRandom(options.seed);
  const [earliest, latest] = options.completeWithinMs;
  // The fake copies its knobs into each task's plan when the task is created (taskStore.ts), so a
  // getter draws a fresh completion time per task without changing the fake.
  Object.defineProperty(fake.knobs, 'completeAfterMs', {
    configurable: true,
    enumerable: true,
    get: () => Math.round(earliest + random() * (latest - earliest)),
  });

  const processes = Math.ceil(options.tasks / options.tasksPerProcess);
  const appeared = new Map<string, number>();
  const watchers: FSWatcher[] = [];
  const dirs: string[] = [];
  for (let index = 0; index < processes; index++) {
    const dir = join(options.scratchDir, `out-${index + 1}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    dirs.push(dir);
    watchers.push(
      watch(dir, (_event, fileName) => {
        const name = fileName?.toString();
        // Temporary files are hidden (.gpt-image-<pid>-<hex>.tmp); the final name appears with link().
        if (name && !name.startsWith('.') && name.endsWith('.png') && !appeared.has(join(dir, name))) appeared.set(join(dir, name), Date.now());
      }),
    );
  }
  const home = join(options.scratchDir, 'home');
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GPT_IMAGE_HOME: home, MODELLIX_API_KEY: apiKey, NO_COLOR: '1' };

  let runs: MeasuredRun[];
  const started = Date.now();
  try {
    runs = await Promise.all(
      dirs.map((dir, index) =>
        measureNode({
          script: options.cliScript,
          args: [
            'generate', '--provider', 'modellix', '--model', 'gpt-image-2', '--size', '1024x1024',
            '--prompt', `A paper boat on a pond, variation ${index + 1}`,
            '--n', String(Math.min(options.tasksPerProcess, options.tasks - index * options.tasksPerProcess)),
            '--out', dir, '--base-url', fake.baseUrl, '--poll-interval', String(options.pollIntervalMs / 1000), '--quiet',
          ],
          env,
          rssProbe: options.rssProbe,
          scratchDir: options.scratchDir,
          timeoutMs: 120_000,
        }),
      ),
    );
  } finally {
    for (const watcher of watchers) watcher.close();
  }
  const wallMs = Date.now() - started;
  const requests = fake.requests();
  const downloads = cdn.requests();
  await fake.close();
  await cdn.close();
  for (const run of runs) if (run.exitCode !== 0) throw new Error(`our CLI failed: ${describeFailure(run)}`);

  // Which file belongs to which task: the provenance sidecar says.
  const fileOfTask = new Map<string, string>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((entry) => entry.endsWith('.png'))) {
      const sidecar = JSON.parse(readFileSync(join(dir, provenanceFolderName, provenanceFileName(name)), 'utf8')) as Provenance;
      if (sidecar.taskId) fileOfTask.set(sidecar.taskId, join(dir, name));
    }
  }
  const submits = requests.filter((request) => request.method === 'POST' && request.url.startsWith('/api/v1/openai/'));
  const stories: TaskStory[] = fake.tasks.all().map((task) => {
    const completedAt = task.createdAt + (task.plan.completeAfterMs ?? Number.NaN);
    const paths = new Set((task.resultUrls ?? []).map((url) => new URL(url).pathname));
    const file = fileOfTask.get(task.id);
    return {
      taskId: task.id,
      completedAt,
      polls: requests.filter((request) => request.method === 'GET' && request.url === `/api/v1/tasks/${task.id}`).map((request) => request.receivedAt),
      downloads: downloads.filter((request) => paths.has(new URL(request.url, cdn.origin).pathname)).length,
      appearedAt: file ? appeared.get(file) : undefined,
      mtimeMs: file ? statSync(file).mtimeMs : undefined,
    };
  });

  // A poll recorded at or after the completion time was answered "success" (the fake decides at
  // answer time, which is no earlier); every poll after the first such one was unnecessary.
  const pollsAfterTerminal = stories.reduce((sum, story) => {
    const first = story.polls.findIndex((at) => at >= story.completedAt);
    return sum + (first < 0 ? 0 : story.polls.length - first - 1);
  }, 0);
  const lags = stories.filter((story) => story.appearedAt !== undefined).map((story) => (story.appearedAt as number) - story.completedAt);
  const mtimeLags = stories.filter((story) => story.mtimeMs !== undefined).map((story) => (story.mtimeMs as number) - story.completedAt);
  // The lag in two parts: waiting for the next poll, then download + write + rename.
  const terminalPollAt = (story: TaskStory): number | undefined => story.polls.find((at) => at >= story.completedAt);
  const explained = stories.filter((story) => story.appearedAt !== undefined && terminalPollAt(story) !== undefined);
  const pollWait = roundSummary(summarize(explained.map((story) => (terminalPollAt(story) as number) - story.completedAt)), 1);
  const fetchAndWrite = roundSummary(summarize(explained.map((story) => (story.appearedAt as number) - (terminalPollAt(story) as number))), 1);
  const lag = roundSummary(summarize(lags), 1);
  const mtimeLag = roundSummary(summarize(mtimeLags), 1);
  const pollsPerTask = roundSummary(summarize(stories.map((story) => story.polls.length)), 2);
  const requestsPerTask = (submits.length + requests.filter((request) => request.method === 'GET').length + downloads.length) / Math.max(1, stories.length);
  const rss = roundSummary(summarize(runs.map((run) => (run.maxRssKb ?? Number.NaN) / 1024)), 1);
  const lagMet = lag.p95 <= options.pollIntervalMs;

  return {
    ok: true,
    figures: {
      tasks: stories.length,
      processes,
      pollIntervalMs: options.pollIntervalMs,
      completeWithinMs: options.completeWithinMs,
      seed: options.seed,
      wallMs,
      requestsPerTask: round(requestsPerTask, 2),
      submitsPerTask: round(submits.length / Math.max(1, stories.length), 2),
      pollsPerTask,
      downloadsPerTask: round(stories.reduce((sum, story) => sum + story.downloads, 0) / Math.max(1, stories.length), 2),
      pollsAfterTerminal,
      lagMs: lag,
      lagByMtimeMs: mtimeLag,
      lagPartsMs: { completionToSuccessPoll: pollWait, successPollToFile: fetchAndWrite },
      lagDefinition: 'file under its final name (inotify, fake clock) minus the time the fake started answering success',
      peakRssMbPerProcess: rss,
      peakRssSource: runs[0]?.rssSource,
      targets: { noPollAfterTerminal: pollsAfterTerminal === 0, lagP95MaxMs: options.pollIntervalMs, lagMet },
    },
    rows: [
      { figure: `${stories.length} tasks in ${processes} CLI processes, poll ${options.pollIntervalMs} ms`, value: `${formatMs(wallMs)} total` },
      { figure: 'requests per task (submit + polls + download)', value: requestsPerTask.toFixed(2) },
      { figure: 'polls per task, median (max)', value: `${pollsPerTask.median} (${pollsPerTask.max})` },
      { figure: 'polls after a task was finished', value: String(pollsAfterTerminal), target: '0', met: pollsAfterTerminal === 0 },
      { figure: 'lag completion → file, median', value: formatMs(lag.median), target: `≤ ${options.pollIntervalMs} ms`, met: lag.median <= options.pollIntervalMs },
      { figure: 'lag completion → file, p95 (max)', value: `${formatMs(lag.p95)} (${formatMs(lag.max)})`, target: `≤ ${options.pollIntervalMs} ms`, met: lagMet },
      { figure: 'lag = wait for next poll + fetch & write, medians', value: `${formatMs(pollWait.median)} + ${formatMs(fetchAndWrite.median)}` },
      { figure: 'peak RSS per CLI process, median (max)', value: `${rss.median.toFixed(0)} MB (${rss.max.toFixed(0)} MB)` },
    ],
    checks: {
      [`every task (${options.tasks}) was submitted once and written`]:
        stories.length === options.tasks && submits.length === options.tasks && fileOfTask.size === options.tasks && lags.length === options.tasks,
      'every result downloaded once': stories.every((story) => story.downloads === 1),
      'the API key never reached the result host': !cdn.sawAuthorization(),
    },
  };
}
