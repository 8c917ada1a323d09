import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixtures, sha256 } from './fixtures';
import type { Fixture } from './fixtures';
import { startFakeOpenAi } from '../../fake-providers/openai';
import { describeFailure, measureNode } from '../shared/childProcess';
import type { MeasuredRun } from '../shared/childProcess';
import { formatMs, formatRatio } from '../shared/report';
import type { SectionResult } from '../shared/report';
import { round, roundSummary, summarize } from '../shared/stats';

export interface LargeImagesOptions {
  /** The project folder (its node_modules holds the SDK). */
  readonly root: string;
  readonly cliScript: string;
  readonly sdkScript: string;
  readonly rssProbe: string;
  readonly cacheDir: string;
  readonly scratchDir: string;
  /** Measured runs of each client (plus one unmeasured warm-up each). */
  readonly runs: number;
}

const imageCount = 4;
const size = '3840x2160';
const prompt = 'A lighthouse on a cliff at dusk, photorealistic, 4k';
/** Obviously fake; the check below asserts it never shows up in either client's output. */
const apiKey = 'sk-test-openai-key';
const wallTarget = 1.0;
const rssTarget = 0.6;

type Client = 'ours' | 'sdk';

interface Sample {
  readonly client: Client;
  readonly run: MeasuredRun;
  readonly hashes: readonly string[];
}

/** The PNGs a client wrote, as hashes (order-free: the two clients name files differently). */
function writtenHashes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.png'))
    .map((entry) => sha256(readFileSync(join(dir, entry.name))))
    .sort();
}

function sameHashes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((hash, index) => hash === b[index]);
}

/**
 * n=4 4K PNGs as b64_json (~65 MB of JSON) from a fake OpenAI on loopback, fetched by our CLI and by
 * a script on the official SDK, alternating (ours, sdk, ours, …) so machine drift hits both alike.
 * Each run is a fresh process that reports its own peak RSS; each writes into an empty folder and
 * both must write exactly the served bytes.
 */
export async function benchLargeImages(options: LargeImagesOptions): Promise<Omit<SectionResult, 'name' | 'seconds'>> {
  const fixtures: Fixture[] = loadFixtures(options.cacheDir, imageCount);
  const expected = fixtures.map((fixture) => fixture.sha256).sort();
  const server = await startFakeOpenAi({ largeImages: fixtures.map((fixture) => fixture.bytes), expectedKey: apiKey });
  const requestCount = (): number => server.apiRequests().length;
  const home = join(options.scratchDir, 'home');
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GPT_IMAGE_HOME: home, OPENAI_API_KEY: apiKey, NO_COLOR: '1' };
  const samples: Sample[] = [];
  let requestsBefore = requestCount();
  let leaked = false;

  const runOnce = async (client: Client, counted: boolean): Promise<void> => {
    const outDir = join(options.scratchDir, `out-${client}`);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const args =
      client === 'ours'
        ? ['generate', '--provider', 'openai', '--model', 'gpt-image-2', '--prompt', prompt, '--n', String(imageCount), '--size', size, '--out', outDir, '--base-url', server.baseUrl]
        : [server.baseUrl, outDir, String(imageCount), size, prompt];
    const run = await measureNode({
      script: client === 'ours' ? options.cliScript : options.sdkScript,
      args,
      env,
      rssProbe: options.rssProbe,
      scratchDir: options.scratchDir,
      timeoutMs: 180_000,
    });
    if (run.exitCode !== 0) throw new Error(`${client === 'ours' ? 'our CLI' : 'the SDK script'} failed: ${describeFailure(run)}`);
    if (`${run.stdout}${run.stderr}`.includes(apiKey)) leaked = true;
    const hashes = writtenHashes(outDir);
    rmSync(outDir, { recursive: true, force: true });
    const requests = requestCount() - requestsBefore;
    requestsBefore = requestCount();
    if (requests !== 1) throw new Error(`${client} sent ${requests} requests for one generation (expected exactly 1)`);
    if (counted) samples.push({ client, run, hashes });
  };

  try {
    await runOnce('ours', false);
    await runOnce('sdk', false);
    for (let index = 0; index < options.runs; index++) {
      await runOnce('ours', true);
      await runOnce('sdk', true);
    }
  } finally {
    await server.close();
  }

  // Start-up alone (load the bundle or the SDK, then exit): the fixed share of each wall time.
  const startup: Record<Client, number[]> = { ours: [], sdk: [] };
  for (let index = 0; index < options.runs; index++) {
    for (const client of ['ours', 'sdk'] as const) {
      const run = await measureNode({
        script: client === 'ours' ? options.cliScript : options.sdkScript,
        args: [client === 'ours' ? '--version' : '--startup'],
        env,
        scratchDir: options.scratchDir,
        timeoutMs: 30_000,
      });
      if (run.exitCode !== 0) throw new Error(`start-up of ${client} failed: ${describeFailure(run)}`);
      startup[client].push(run.wallMs);
    }
  }
  const startupMs = { ours: roundSummary(summarize(startup.ours), 1), sdk: roundSummary(summarize(startup.sdk), 1) };

  const of = (client: Client): Sample[] => samples.filter((sample) => sample.client === client);
  const wall = (client: Client) => roundSummary(summarize(of(client).map((sample) => sample.run.wallMs)), 1);
  const rssMb = (client: Client) => roundSummary(summarize(of(client).map((sample) => (sample.run.maxRssKb ?? Number.NaN) / 1024)), 1);
  const cpu = (client: Client) => roundSummary(summarize(of(client).map((sample) => sample.run.cpuMs ?? Number.NaN)), 1);
  const ours = { wallMs: wall('ours'), peakRssMb: rssMb('ours'), cpuMs: cpu('ours') };
  const sdk = { wallMs: wall('sdk'), peakRssMb: rssMb('sdk'), cpuMs: cpu('sdk') };
  const wallRatio = ours.wallMs.median / sdk.wallMs.median;
  const rssRatio = ours.peakRssMb.median / sdk.peakRssMb.median;
  const responseBytes = fixtures.reduce((sum, fixture) => sum + Math.ceil(fixture.bytes.length / 3) * 4, 0);

  return {
    ok: true,
    figures: {
      images: imageCount,
      size,
      pngBytes: fixtures.map((fixture) => fixture.bytes.length),
      base64PayloadBytes: responseBytes,
      runsEach: options.runs,
      order: 'alternating, ours first; one unmeasured warm-up each',
      ours,
      sdk,
      startupMs,
      peakRssSource: samples[0]?.run.rssSource,
      sdkPackage: `openai@${readSdkVersion(options.root)}`,
      ratios: { wall: round(wallRatio), peakRss: round(rssRatio) },
      targets: { wallMaxRatio: wallTarget, wallMet: wallRatio <= wallTarget, peakRssMaxRatio: rssTarget, peakRssMet: rssRatio <= rssTarget },
    },
    rows: [
      { figure: `payload: ${imageCount} × ${size} PNG as b64_json`, value: `${(responseBytes / 1024 / 1024).toFixed(1)} MB` },
      { figure: `wall, ours / SDK, median of ${options.runs}`, value: `${formatMs(ours.wallMs.median)} / ${formatMs(sdk.wallMs.median)}` },
      { figure: 'wall ratio ours/SDK', value: formatRatio(wallRatio), target: '≤ 1.0×', met: wallRatio <= wallTarget },
      { figure: 'peak RSS, ours / SDK, median', value: `${ours.peakRssMb.median.toFixed(0)} MB / ${sdk.peakRssMb.median.toFixed(0)} MB` },
      { figure: 'peak RSS ratio ours/SDK', value: formatRatio(rssRatio), target: '≤ 0.6×', met: rssRatio <= rssTarget },
      { figure: 'of which start-up (load + exit), ours / SDK', value: `${formatMs(startupMs.ours.median)} / ${formatMs(startupMs.sdk.median)}` },
      { figure: 'CPU time, ours / SDK, median', value: `${formatMs(ours.cpuMs.median)} / ${formatMs(sdk.cpuMs.median)}` },
    ],
    checks: {
      'both wrote exactly the served bytes, every run': samples.length === 2 * options.runs && samples.every((sample) => sameHashes(sample.hashes, expected)),
      'the API key never appeared in any output': !leaked,
    },
  };
}

function readSdkVersion(root: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules', 'openai', 'package.json'), 'utf8')) as { version: string };
    return manifest.version;
  } catch {
    return 'unknown';
  }
}
