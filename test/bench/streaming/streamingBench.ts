import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixtures, sha256 } from '../largeImages/fixtures';
import { startFakeOpenAi } from '../../fake-providers/openai';
import { describeFailure, measureNode } from '../shared/childProcess';
import { formatMs, formatRatio } from '../shared/report';
import type { SectionResult } from '../shared/report';
import { round, roundSummary, summarize } from '../shared/stats';

export interface StreamingOptions {
  readonly cliScript: string;
  readonly rssProbe: string;
  readonly cacheDir: string;
  readonly scratchDir: string;
  /** Measured rounds of each mode (plus one unmeasured warm-up each). */
  readonly runs: number;
}

const imageCount = 4;
const partials = 2;
const size = '3840x2160';
const apiKey = 'sk-test-openai-key';

type Mode = 'streaming' | 'plain';

interface Round {
  readonly mode: Mode;
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly sameBytes: boolean;
}

/**
 * 4 × 3840x2160 PNGs from the fake OpenAI, one image per request (streaming is offered only for one
 * image), each in a fresh CLI process: with `--partial-images 2` (SSE, two full-size partials per
 * image before the completed event) against the plain JSON path of the same CLI, alternating.
 * A round's wall time is the sum over its four processes, its peak RSS the highest of them.
 */
export async function benchStreaming(options: StreamingOptions): Promise<Omit<SectionResult, 'name' | 'seconds'>> {
  const fixtures = loadFixtures(options.cacheDir, imageCount);
  const expected = new Set(fixtures.map((fixture) => fixture.sha256));
  const server = await startFakeOpenAi({ largeImages: fixtures.map((fixture) => fixture.bytes), expectedKey: apiKey });
  const home = join(options.scratchDir, 'home');
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GPT_IMAGE_HOME: home, OPENAI_API_KEY: apiKey, NO_COLOR: '1' };
  const rounds: Round[] = [];
  let onePostEach = true;

  const measureRound = async (mode: Mode, counted: boolean): Promise<void> => {
    let wallMs = 0;
    let peakRssMb = 0;
    let sameBytes = true;
    for (let image = 0; image < imageCount; image++) {
      const outDir = join(options.scratchDir, `out-${mode}`);
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir, { recursive: true });
      const before = server.apiRequests().length;
      const run = await measureNode({
        script: options.cliScript,
        args: [
          'generate', '--provider', 'openai', '--prompt', 'A lighthouse on a cliff at dusk, 4k', '--size', size, '--out', outDir, '--base-url', server.baseUrl, '--quiet',
          ...(mode === 'streaming' ? ['--partial-images', String(partials)] : []),
        ],
        env,
        rssProbe: options.rssProbe,
        scratchDir: options.scratchDir,
        timeoutMs: 180_000,
      });
      if (run.exitCode !== 0) throw new Error(`the ${mode} CLI run failed: ${describeFailure(run)}`);
      if (server.apiRequests().length - before !== 1) onePostEach = false;
      const written = readdirSync(outDir).filter((name) => name.endsWith('.png'));
      sameBytes &&= written.length === 1 && expected.has(sha256(readFileSync(join(outDir, written[0] as string))));
      rmSync(outDir, { recursive: true, force: true });
      wallMs += run.wallMs;
      peakRssMb = Math.max(peakRssMb, (run.maxRssKb ?? Number.NaN) / 1024);
    }
    if (counted) rounds.push({ mode, wallMs, peakRssMb, sameBytes });
  };

  try {
    await measureRound('streaming', false);
    await measureRound('plain', false);
    for (let index = 0; index < options.runs; index++) {
      await measureRound('streaming', true);
      await measureRound('plain', true);
    }
  } finally {
    await server.close();
  }

  const of = (mode: Mode): Round[] => rounds.filter((entry) => entry.mode === mode);
  const wall = (mode: Mode) => roundSummary(summarize(of(mode).map((entry) => entry.wallMs)), 1);
  const rss = (mode: Mode) => roundSummary(summarize(of(mode).map((entry) => entry.peakRssMb)), 1);
  const streaming = { wallMs: wall('streaming'), peakRssMb: rss('streaming') };
  const plain = { wallMs: wall('plain'), peakRssMb: rss('plain') };
  const wallRatio = streaming.wallMs.median / plain.wallMs.median;
  const rssRatio = streaming.peakRssMb.median / plain.peakRssMb.median;
  return {
    ok: true,
    figures: { images: imageCount, size, partialsPerImage: partials, runsEach: options.runs, streaming, plain, ratios: { wall: round(wallRatio), peakRss: round(rssRatio) } },
    rows: [
      { figure: `${imageCount} × ${size}, ${partials} partials each vs plain: wall, median of ${options.runs}`, value: `${formatMs(streaming.wallMs.median)} / ${formatMs(plain.wallMs.median)}` },
      { figure: 'wall ratio streaming/plain', value: formatRatio(wallRatio) },
      { figure: 'peak RSS, streaming / plain, median', value: `${streaming.peakRssMb.median.toFixed(0)} MB / ${plain.peakRssMb.median.toFixed(0)} MB` },
      { figure: 'peak RSS ratio streaming/plain', value: formatRatio(rssRatio) },
    ],
    checks: {
      'every run wrote exactly one served image (never a partial)': rounds.length === 2 * options.runs && rounds.every((entry) => entry.sameBytes),
      'exactly one POST per image': onePostEach,
    },
  };
}
