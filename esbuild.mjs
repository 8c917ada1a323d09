// Four bundles (docs/architecture.md, "Layers"): the activation bundle stays tiny and lazily requires the engine,
// which carries undici, zod and the providers; the CLI and the webview are separate entries.
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Keep ProviderError & co. recognisable in stack traces even when minified.
  keepNames: true,
};

const contexts = [
  {
    ...node,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    // engine.js is required lazily at first use, so it must stay a separate file.
    external: ['vscode', './engine.js'],
  },
  { ...node, entryPoints: { engine: 'src/engine.ts' }, outdir: 'dist', external: ['vscode'] },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: { webview: 'src/webview/app/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (watch) {
  for (const options of contexts) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(contexts.map((options) => esbuild.build(options)));
  for (const name of ['extension', 'engine', 'cli', 'webview']) {
    const size = statSync(`dist/${name}.js`).size;
    console.log(`dist/${name}.js ${(size / 1024).toFixed(1)} KB`);
  }
}
