import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { describeFailure, measureNode } from '../shared/childProcess';
import { formatMs, formatRatio } from '../shared/report';
import type { SectionResult } from '../shared/report';
import { round } from '../shared/stats';

export interface BatchBenchOptions {
  readonly cliScript: string;
  readonly scratchDir: string;
  readonly entries: number;
  /** The fake's rate limit, scaled down in time: requests refilled per second, and at most at once. */
  readonly perSecond: number;
  readonly burst: number;
  /** The fake's answer time per request. */
  readonly latencyMs: number;
}

const apiKey = 'sk-test-openai-key';

/** What one way of making the 100 images did, as the fake and the disk tell it. */
interface Outcome {
  readonly wallMs: number;
  readonly rateLimited: number;
  /** Requests answered with images for a prompt that already had its images: paid twice. */
  readonly sentTwice: number;
  readonly filesWritten: number;
  readonly failed: number;
}

/**
 * `gpt-image batch` with 100 entries against an OpenAI fake that enforces a rate limit (a token
 * bucket, 429 with Retry-After beyond it), against two scripts on the official `openai` SDK: one
 * request after another, and all at once with the SDK's own retries (maxRetries 2, its default,
 * which honours retry-after-ms). The SDK scripts run in this process (no Node start-up in their
 * wall time); ours is a fresh CLI process, start-up included.
 */
export async function benchBatch(options: BatchBenchOptions): Promise<Omit<SectionResult, 'name' | 'seconds'>> {
  const fake = await startFakeOpenAi({ expectedKey: apiKey, rateLimit: { perSecond: options.perSecond, burst: options.burst }, latencyMs: options.latencyMs });
  const prompts = Array.from({ length: options.entries }, (_, index) => `Bench entry ${index + 1}: a small lighthouse`);
  // The first `burst` go at once; every later one waits for a token.
  const minimumMs = ((options.entries - options.burst) / options.perSecond) * 1000 + options.latencyMs;
  try {
    const ours = await runOurs(fake, prompts, options);
    const sequential = await runSdk(fake, prompts, join(options.scratchDir, 'sdk-sequential'), 'sequential');
    const allAtOnce = await runSdk(fake, prompts, join(options.scratchDir, 'sdk-all'), 'allAtOnce');
    const row = (label: string, outcome: Outcome): { figure: string; value: string } => ({
      figure: `${label}: wall / ×minimum, 429s, sent twice, files`,
      value: `${formatMs(outcome.wallMs)} / ${formatRatio(outcome.wallMs / minimumMs)}, ${outcome.rateLimited}, ${outcome.sentTwice}, ${outcome.filesWritten}${outcome.failed > 0 ? ` (${outcome.failed} failed)` : ''}`,
    });
    return {
      ok: true,
      figures: {
        entries: options.entries,
        rateLimit: { perSecond: options.perSecond, burst: options.burst, latencyMs: options.latencyMs },
        theoreticalMinimumMs: round(minimumMs),
        ours: roundOutcome(ours),
        sdkSequential: roundOutcome(sequential),
        sdkAllAtOnce: roundOutcome(allAtOnce),
      },
      rows: [
        { figure: `${options.entries} entries at ${options.perSecond}/s (burst ${options.burst}, ${options.latencyMs} ms each): theoretical minimum`, value: formatMs(minimumMs) },
        row('gpt-image batch', ours),
        row('SDK, one after another', sequential),
        row('SDK, all at once (its retries)', allAtOnce),
      ],
      checks: {
        'gpt-image batch wrote every file': ours.filesWritten === options.entries,
        'gpt-image batch sent no request twice': ours.sentTwice === 0,
      },
    };
  } finally {
    await fake.close();
  }
}

async function runOurs(fake: FakeOpenAi, prompts: readonly string[], options: BatchBenchOptions): Promise<Outcome> {
  fake.reset();
  const dir = join(options.scratchDir, 'ours');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const text = `defaults: { provider: openai, size: 1024x1024, quality: low, out: out }\nimages:\n${prompts.map((prompt, index) => `  - name: entry-${index + 1}\n    prompt: "${prompt}"\n`).join('')}`;
  writeFileSync(join(dir, 'bench.images.yaml'), text);
  const home = join(dir, 'home');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GPT_IMAGE_HOME: home, OPENAI_API_KEY: apiKey, GPT_IMAGE_OPENAI_BASE_URL: fake.baseUrl, NO_COLOR: '1' };
  const run = await measureNode({ script: options.cliScript, args: ['batch', 'bench.images.yaml', '--quiet'], env, cwd: dir, scratchDir: options.scratchDir, timeoutMs: 300_000 });
  if (run.exitCode !== 0) throw new Error(`gpt-image batch failed: ${describeFailure(run)}`);
  return { wallMs: run.wallMs, ...tally(fake), filesWritten: pngsIn(join(dir, 'out')), failed: 0 };
}

async function runSdk(fake: FakeOpenAi, prompts: readonly string[], dir: string, mode: 'sequential' | 'allAtOnce'): Promise<Outcome> {
  fake.reset();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // What a developer writes with the SDK's README: its defaults, retries included.
  const client = new OpenAI({ baseURL: fake.baseUrl, apiKey, maxRetries: 2 });
  const makeOne = async (prompt: string, index: number): Promise<void> => {
    const response = await client.images.generate({ model: 'gpt-image-2', prompt, size: '1024x1024', quality: 'low' });
    const image = response.data?.[0]?.b64_json;
    if (!image) throw new Error('no image');
    writeFileSync(join(dir, `entry-${index + 1}.png`), Buffer.from(image, 'base64'));
  };
  const started = performance.now();
  let failed = 0;
  if (mode === 'sequential') {
    for (const [index, prompt] of prompts.entries()) await makeOne(prompt, index).catch(() => void failed++);
  } else {
    const settled = await Promise.allSettled(prompts.map(makeOne));
    failed = settled.filter((outcome) => outcome.status === 'rejected').length;
  }
  const wallMs = performance.now() - started;
  return { wallMs, ...tally(fake), filesWritten: pngsIn(dir), failed };
}

function tally(fake: FakeOpenAi): Pick<Outcome, 'rateLimited' | 'sentTwice'> {
  const requests = fake.apiRequests();
  const answered = new Map<string, number>();
  for (const image of fake.served) {
    const prompt = (JSON.parse(requests[image.requestIndex]?.body.toString('utf8') ?? '{}') as { prompt?: string }).prompt ?? '';
    answered.set(prompt, (answered.get(prompt) ?? 0) + 1);
  }
  const sentTwice = [...answered.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
  return { rateLimited: fake.rateLimitedCount(), sentTwice };
}

function pngsIn(dir: string): number {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.png')).length;
  } catch {
    return 0;
  }
}

function roundOutcome(outcome: Outcome): Outcome {
  return { ...outcome, wallMs: round(outcome.wallMs) };
}
