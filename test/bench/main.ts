/**
 * The benchmark run behind `npm run bench` (scripts/bench.mjs builds and starts it). Runs each
 * section, prints one table and writes bench/results.json. Everything talks to loopback only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchActivation } from './activation/activationBench';
import { benchBatch } from './batch/batchBench';
import { historyPageSize } from '../../src/webview/formModel';
import { benchHistory } from './history/historyBench';
import { benchLargeImages } from './largeImages/largeImagesBench';
import { benchStreaming } from './streaming/streamingBench';
import { benchPolling } from './polling/pollingBench';
import { renderTable } from './shared/report';
import type { SectionResult } from './shared/report';

/** Paths and choices from the command line (scripts/bench.mjs passes the paths). */
export interface BenchArguments {
  readonly root: string;
  readonly distDir: string;
  readonly binDir: string;
  readonly cacheDir: string;
  readonly only: ReadonlySet<string> | undefined;
  readonly quick: boolean;
}

function parseArguments(argv: readonly string[]): BenchArguments {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const required = (flag: string): string => {
    const found = value(flag);
    if (!found) throw new Error(`bench: missing ${flag} (run it through \`npm run bench\`)`);
    return found;
  };
  const only = value('--only');
  return {
    root: required('--root'),
    distDir: required('--dist'),
    binDir: required('--bin'),
    cacheDir: required('--cache'),
    only: only ? new Set(only.split(',')) : undefined,
    quick: argv.includes('--quick'),
  };
}

type SectionRunner = (args: BenchArguments, scratchDir: string) => Promise<Omit<SectionResult, 'name' | 'seconds'>>;

const sections: readonly { readonly name: string; readonly run: SectionRunner }[] = [
  {
    name: 'activation',
    run: (args, scratchDir) =>
      benchActivation({ distDir: args.distDir, probeScript: join(args.binDir, 'activationProbe.js'), scratchDir, runs: args.quick ? 5 : 25 }),
  },
  {
    name: 'largeImages',
    run: (args, scratchDir) =>
      benchLargeImages({
        root: args.root,
        cliScript: join(args.distDir, 'cli.js'),
        sdkScript: join(args.binDir, 'sdkClient.js'),
        rssProbe: join(args.binDir, 'rssProbe.js'),
        cacheDir: args.cacheDir,
        scratchDir,
        runs: args.quick ? 2 : 7,
      }),
  },
  {
    name: 'streaming',
    run: (args, scratchDir) =>
      benchStreaming({
        cliScript: join(args.distDir, 'cli.js'),
        rssProbe: join(args.binDir, 'rssProbe.js'),
        cacheDir: args.cacheDir,
        scratchDir,
        runs: args.quick ? 2 : 5,
      }),
  },
  {
    name: 'polling',
    run: (args, scratchDir) =>
      benchPolling({
        cliScript: join(args.distDir, 'cli.js'),
        rssProbe: join(args.binDir, 'rssProbe.js'),
        scratchDir,
        tasks: 20,
        tasksPerProcess: 4,
        pollIntervalMs: 100,
        completeWithinMs: [200, 2000],
        seed: 7,
      }),
  },
  {
    name: 'batch',
    // 100 entries at 25 requests/s (burst 5), 100 ms per answer: a provider's limit, scaled down in time.
    run: (args, scratchDir) => benchBatch({ cliScript: join(args.distDir, 'cli.js'), scratchDir, entries: 100, perSecond: 25, burst: 5, latencyMs: 100 }),
  },
  {
    name: 'history',
    run: (args, scratchDir) => benchHistory({ scratchDir, images: 500, runs: args.quick ? 5 : 20, pageSize: historyPageSize }),
  },
];

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const startedAt = new Date();
  // Other work on the machine skews wall times; the load average is recorded so a reader can judge.
  const loadAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
  const results: SectionResult[] = [];
  for (const section of sections) {
    if (args.only && !args.only.has(section.name)) continue;
    const scratchDir = join(args.cacheDir, 'scratch', section.name);
    mkdirSync(scratchDir, { recursive: true });
    process.stdout.write(`bench: ${section.name} …\n`);
    const started = performance.now();
    try {
      const result = await section.run(args, scratchDir);
      results.push({ name: section.name, seconds: Math.round(performance.now() - started) / 1000, ...result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stdout.write(`bench: ${section.name} failed: ${message}\n`);
      results.push({ name: section.name, ok: false, error: message, seconds: Math.round(performance.now() - started) / 1000, figures: {}, rows: [], checks: {} });
    }
  }
  const processors = cpus();
  const report = {
    date: startedAt.toISOString(),
    machine: {
      cpus: processors.length,
      cpuModel: processors[0]?.model ?? 'unknown',
      totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
      os: `${osType()} ${release()}`,
      node: process.version,
      loadAverage1mAtStart: loadAtStart[0],
      loadAverage1mAtEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    },
    quick: args.quick,
    sections: Object.fromEntries(results.map((result) => [result.name, { ok: result.ok, error: result.error, seconds: result.seconds, checks: result.checks, ...result.figures }])),
  };
  process.stdout.write(`\n${renderTable(results)}\n\n`);
  process.stdout.write(
    `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.totalMemoryMb} MB, ${report.machine.os}, Node ${report.machine.node}, ` +
      `load ${report.machine.loadAverage1mAtStart} → ${report.machine.loadAverage1mAtEnd}\n`,
  );
  if (Math.max(report.machine.loadAverage1mAtStart ?? 0, report.machine.loadAverage1mAtEnd) > processors.length) {
    process.stdout.write('bench: warning: the machine was busy with other work (load above its CPU count); wall times are inflated.\n');
  }
  // Only a full run may replace the committed figures; a partial or quick one goes to the cache.
  const partial = args.only !== undefined || args.quick;
  const outFile = partial ? join(args.cacheDir, 'results.partial.json') : join(args.root, 'bench', 'results.json');
  mkdirSync(join(outFile, '..'), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`bench: wrote ${outFile}\n`);
  const failed = results.filter((result) => !result.ok || Object.values(result.checks).some((passed) => !passed));
  process.exit(failed.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
