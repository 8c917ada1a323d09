// `npm run package`: the production build packaged with vsce (no node_modules: the bundles carry
// their dependencies), then the sizes that matter: the .vsix and the activation bundle.
// Usage: node scripts/package.mjs [--out file.vsix] [--no-build]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 ? process.argv[outIndex + 1] : join(root, `${name}-${version}.vsix`);

function run(command, args) {
  // stdin closed: vsce asks y/N questions (missing repository, LICENSE) that must fail, not hang.
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`package: ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const started = Date.now();
if (!process.argv.includes('--no-build')) run(process.execPath, ['esbuild.mjs', '--production']);
mkdirSync(dirname(out), { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// No repository URL exists to rewrite the README's image paths (media/readme/…) against, and vsce
// refuses relative ones otherwise: they stay as they are, for the repository's README. They are not
// packaged (.vscodeignore): the editor's extension page blanks relative image paths anyway.
run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`package: ${relative(process.cwd(), out) || out} ${kb(statSync(out).size)}`);
console.log(`package: activation bundle dist/extension.js ${kb(statSync(join(root, 'dist', 'extension.js')).size)}`);
console.log(`package: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
