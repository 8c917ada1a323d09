// `npm run bench` (issue 7): builds the production bundles into bench/cache/build (the project's own
// esbuild.mjs, run from a folder that links to src/, so dist/ and out/ of a working tree are never
// touched), bundles the harness in test/bench into bench/cache/bin, then runs it: every figure is
// measured against loopback fake providers, printed as a table and written to bench/results.json.
// Pass `--only activation,largeImages,polling,history` to run some sections, `--quick` for fewer runs.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'bench', 'cache');
const buildDir = join(cache, 'build');
const binDir = join(cache, 'bin');

function step(name) {
  console.log(`bench: ${name}`);
}

step('production build (node esbuild.mjs --production) into bench/cache/build');
rmSync(buildDir, { recursive: true, force: true });
mkdirSync(buildDir, { recursive: true });
for (const entry of ['src', 'media', 'node_modules', 'package.json', 'tsconfig.json']) {
  const source = join(root, entry);
  if (!existsSync(source)) continue;
  // Folders are linked ('junction' lets Windows do it without privileges), files copied.
  if (statSync(source).isDirectory()) symlinkSync(source, join(buildDir, entry), 'junction');
  else copyFileSync(source, join(buildDir, entry));
}
const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: buildDir, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('bench: the production build failed');
  process.exit(1);
}

step('bundling the harness (test/bench) into bench/cache/bin');
rmSync(binDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    main: join(root, 'test/bench/main.ts'),
    activationProbe: join(root, 'test/bench/activation/activationProbe.ts'),
    rssProbe: join(root, 'test/bench/shared/rssProbe.ts'),
    sdkClient: join(root, 'test/bench/largeImages/sdkClient.ts'),
  },
  outdir: binDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The peer is the SDK as its users run it: loaded from node_modules, not bundled by us.
  external: ['openai'],
  logLevel: 'warning',
});

const run = spawnSync(
  process.execPath,
  [join(binDir, 'main.js'), '--root', root, '--dist', join(buildDir, 'dist'), '--bin', binDir, '--cache', cache, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
