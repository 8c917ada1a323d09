// The real-editor tests (issue 6): set up (cached), build, package the .vsix, then run
// out/test/e2e/main.js — the extension-host mocha suite and the UI scenarios in code-server.
// Usage: node scripts/e2e.mjs [--summary test-results/e2e-summary.json] [--only scenario,...] [--skip-host] [--skip-ui]
// Writes the summary JSON (an array of {name, passed, failed, seconds}) and exits non-zero on any failure.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const summaryIndex = process.argv.indexOf('--summary');
const summaryPath = summaryIndex >= 0 ? process.argv[summaryIndex + 1] : undefined;
const passThrough = process.argv.slice(2).filter((_, index) => summaryIndex < 0 || (index !== summaryIndex - 2 && index !== summaryIndex - 1));
const started = Date.now();
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

// A stale summary must never be read as this run's result.
if (summaryPath) rmSync(summaryPath, { force: true });
rmSync('test-results/e2e', { recursive: true, force: true });
// Each run's profiles are kept for inspection until the next run (a running `npm start` keeps its own).
for (const entry of existsSync('.vscode-test/runs') ? readdirSync('.vscode-test/runs') : []) {
  if (!entry.startsWith('start-')) rmSync(join('.vscode-test/runs', entry), { recursive: true, force: true });
}

function fail(step) {
  console.error(`e2e: ${step} failed`);
  if (summaryPath) {
    mkdirSync(dirname(summaryPath), { recursive: true });
    writeFileSync(summaryPath, JSON.stringify([{ name: `e2e ${step}`, passed: 0, failed: 1, seconds: seconds(started) }], null, 2));
  }
  process.exit(1);
}

function step(name, command, args) {
  const since = Date.now();
  console.log(`e2e: ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) fail(name);
  console.log(`e2e: ${name} took ${seconds(since)} s`);
}

/** Sums the resident memory of this process's whole tree (code-server, extension hosts, chromium). */
function treeRssKb() {
  const parents = new Map();
  const rss = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * 4);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  for (const [pid, kb] of rss) {
    for (let current = pid; current > 1; current = parents.get(current) ?? 0) {
      if (current === process.pid) {
        total += kb;
        break;
      }
    }
  }
  return total;
}

step('setup (scripts/setupE2e.sh)', 'bash', ['scripts/setupE2e.sh']);
step('package (production build + vsce)', process.execPath, ['scripts/package.mjs', '--out', '.vscode-test/gpt-image-studio.vsix']);
step('build tests', process.execPath, ['scripts/buildTests.mjs']);
if (!existsSync('out/test/e2e/main.js')) fail('build tests');

let peakKb = 0;
const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb())), 1000);
const suiteStarted = Date.now();
const child = spawn(process.execPath, ['--enable-source-maps', 'out/test/e2e/main.js', ...(summaryPath ? ['--summary', summaryPath] : []), ...passThrough], { stdio: 'inherit' });
const stop = (signal) => child.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code, signal) => {
  clearInterval(sampler);
  console.log(`e2e: suites took ${seconds(suiteStarted)} s, whole run ${seconds(started)} s, peak memory of the process tree ${(peakKb / 1024).toFixed(0)} MB`);
  if (summaryPath && !existsSync(summaryPath)) fail(`harness (exit ${code ?? signal})`);
  process.exit(code === 0 ? 0 : 1);
});
