// The README's test command runs this (after `npm ci`): every check and test suite, ending with
// one summary line `N passed, M failed` that CI reads. `--unit` runs only the fast plain-Node tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const unitOnly = process.argv.includes('--unit');
const results = [];

function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false, ...options });
  return { ok: result.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

/** A check that counts as one test: lint, type-check, build. */
function check(name, command, args) {
  console.log(`\n=== ${name} ===`);
  const outcome = run(command, args);
  results.push({ name, passed: outcome.ok ? 1 : 0, failed: outcome.ok ? 0 : 1, seconds: outcome.seconds });
  return outcome.ok;
}

function listTests(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listTests(path));
    else if (entry.endsWith('.test.js')) files.push(path);
  }
  return files.sort();
}

/** Runs node's test runner on compiled tests and counts from its TAP summary. */
function nodeTests(name, dir) {
  console.log(`\n=== ${name} ===`);
  const files = listTests(dir);
  if (files.length === 0) {
    console.log(`no test files under ${dir}`);
    results.push({ name, passed: 0, failed: 1, seconds: '0.0' });
    return;
  }
  mkdirSync('test-results', { recursive: true });
  const tap = join('test-results', `${name.replace(/\W+/g, '-')}.tap`);
  rmSync(tap, { force: true });
  // The tests make their journals, homes and workspaces under the system temp folder; give each
  // suite a folder of its own and remove it after, so runs do not pile up thousands of folders.
  const scratch = mkdtempSync(join(tmpdir(), 'gpt-image-tests-'));
  const outcome = run(process.execPath, [
    '--enable-source-maps',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ], { env: { ...process.env, TMPDIR: scratch } });
  rmSync(scratch, { recursive: true, force: true });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (label) => Number(new RegExp(`^# ${label} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  const passed = count('pass');
  let failed = count('fail') + count('cancelled');
  if (!outcome.ok && failed === 0) failed = 1;
  results.push({ name, passed, failed, seconds: outcome.seconds });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!unitOnly) {
  // ESLint, the one-way import check and the doc-citation check (package.json's lint script).
  check('lint', npm, ['run', '--silent', 'lint']);
  check('type-check', npm, ['run', '--silent', 'typecheck']);
}
const built = check('build', process.execPath, ['esbuild.mjs']) && check('build tests', process.execPath, ['scripts/buildTests.mjs']);
if (built) {
  nodeTests('unit', 'out/test/unit');
  if (!unitOnly) nodeTests('cli', 'out/test/cli');
}
if (!unitOnly && built && existsSync('scripts/e2e.mjs')) {
  console.log('\n=== real editor (code-server) ===');
  const outcome = run(process.execPath, ['scripts/e2e.mjs', '--summary', 'test-results/e2e-summary.json']);
  const summaryPath = 'test-results/e2e-summary.json';
  if (existsSync(summaryPath)) {
    for (const suite of JSON.parse(readFileSync(summaryPath, 'utf8'))) results.push(suite);
  }
  if (!outcome.ok && !results.some((suite) => suite.name.startsWith('e2e') && suite.failed > 0)) {
    results.push({ name: 'e2e harness', passed: 0, failed: 1, seconds: outcome.seconds });
  }
}

console.log('\n=== summary ===');
for (const suite of results) {
  console.log(`${suite.name.padEnd(28)} ${String(suite.passed).padStart(4)} passed ${String(suite.failed).padStart(3)} failed  ${suite.seconds} s`);
}
const passed = results.reduce((sum, suite) => sum + suite.passed, 0);
const failed = results.reduce((sum, suite) => sum + suite.failed, 0);
const ok = failed === 0 && passed > 0;
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
