import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** What one measured child process did. */
export interface MeasuredRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From spawn to exit, including Node's own start-up: what a user waits for. */
  readonly wallMs: number;
  /** Peak RSS the child reported for itself (rssProbe); undefined if it died before its exit hook. */
  readonly maxRssKb: number | undefined;
  /** 'VmHWM' (Linux, the child's own address space) or 'maxrss' (getrusage, elsewhere). */
  readonly rssSource: string | undefined;
  readonly cpuMs: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MeasureOptions {
  /** Node arguments before the script (e.g. --require). */
  readonly nodeArgs?: readonly string[];
  readonly script: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Where rssProbe.js is; without it no RSS is measured. */
  readonly rssProbe?: string;
  /** Scratch folder for the RSS report file. */
  readonly scratchDir: string;
  /** Kills the child after this long (a hung run must not hang the whole bench). */
  readonly timeoutMs: number;
}

let counter = 0;

/** Runs `node script args` in a fresh process and measures its wall time and peak RSS. */
export function measureNode(options: MeasureOptions): Promise<MeasuredRun> {
  const rssFile = join(options.scratchDir, `rss-${process.pid}-${counter++}.json`);
  rmSync(rssFile, { force: true });
  const nodeArgs = [...(options.nodeArgs ?? []), ...(options.rssProbe ? ['--require', options.rssProbe] : [])];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, options.script, ...options.args], {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      let maxRssKb: number | undefined;
      let cpuMs: number | undefined;
      let rssSource: string | undefined;
      if (existsSync(rssFile)) {
        const report = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number; rssSource: string; userCpuUs: number; systemCpuUs: number };
        maxRssKb = report.maxRssKb;
        rssSource = report.rssSource;
        cpuMs = (report.userCpuUs + report.systemCpuUs) / 1000;
        rmSync(rssFile, { force: true });
      }
      resolve({
        exitCode,
        signal,
        wallMs,
        maxRssKb,
        rssSource,
        cpuMs,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** A failed child's story for the report, with anything key-shaped removed. */
export function describeFailure(run: MeasuredRun): string {
  const text = `${run.stderr}\n${run.stdout}`.trim().split('\n').slice(-8).join('\n');
  return `exit ${run.exitCode ?? run.signal}: ${text.replace(/sk-[\w-]+/g, 'sk-***')}`;
}
