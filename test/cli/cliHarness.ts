import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The BUILT CLI, as a user runs it (scripts/test.mjs builds dist/ before the CLI tests). */
export const cliPath = resolve(__dirname, '../../../dist/cli.js');

/** Obviously fake keys: tests assert they never show up in any output. */
export const fakeKeys = {
  OPENAI_API_KEY: 'sk-test-openai-key',
  GRAVITEX_API_KEY: 'sk-test-gravitex-key',
  MODELLIX_API_KEY: 'sk-test-modellix-key',
  APIXO_API_KEY: 'sk-test-apixo-key',
} as const;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Sandbox {
  /** The working directory the CLI runs in. */
  readonly cwd: string;
  /** $GPT_IMAGE_HOME: the journal. */
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

/** A fresh cwd and journal, the fake keys, and no proxy or base-URL variables from the machine. */
export function sandbox(extraEnv: NodeJS.ProcessEnv = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'gpt-image-cli-'));
  const cwd = join(root, 'work');
  const home = join(root, 'home');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: root, GPT_IMAGE_HOME: home, ...fakeKeys, ...extraEnv };
  mkdirSync(cwd, { recursive: true });
  return { cwd, home, env };
}

export function startCli(args: readonly string[], box: Sandbox, env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  // Async spawn: the fakes live in this process and must keep answering while the CLI runs.
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: box.cwd, env: { ...box.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[], box: Sandbox, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, box, env).done;
}

export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** Image files in a folder (sidecars and temporaries left out). */
export function imagesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => /\.(png|jpg|webp)$/.test(name) && !name.startsWith('.')).sort();
  } catch {
    return [];
  }
}

export function assertNoKeyLeak(result: CliResult): void {
  for (const key of Object.values(fakeKeys)) {
    if (result.stdout.includes(key) || result.stderr.includes(key)) throw new Error(`The API key ${key.slice(0, 8)}… leaked into the CLI output.`);
  }
}

/** Waits until `check` holds, polling; for states the CLI reaches at its own pace (bounded generously). */
export async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('Timed out waiting for a condition.');
    await new Promise((resolveWait) => setTimeout(resolveWait, 25));
  }
}
