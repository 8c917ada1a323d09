// Transpiles src/ and test/ to out/ file by file (no bundling) so `node --test` can run the
// TypeScript tests in plain Node 20, which cannot strip types itself.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function listTs(dir) {
  const files = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'app' || !dir.endsWith('webview')) files.push(...listTs(path));
    } else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

rmSync('out', { recursive: true, force: true });
await esbuild.build({
  entryPoints: [...listTs('src'), ...listTs('test')],
  outdir: 'out',
  outbase: '.',
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
