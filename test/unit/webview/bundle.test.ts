import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';

describe('webview bundle', () => {
  it('stays under 150 KB minified and carries no zod', async () => {
    const result = await esbuild.build({
      entryPoints: ['src/webview/app/main.ts'],
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const output = result.outputFiles[0];
    assert.ok(output);
    assert.ok(output.contents.byteLength < 150 * 1024, `${output.contents.byteLength} bytes`);
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(!inputs.some((path) => path.includes('node_modules/zod')), 'zod stays on the host');
    assert.ok(!inputs.some((path) => path.includes('node:') || path.endsWith('src/webview/html.ts')), 'no Node modules in the page');
    console.log(`webview bundle: ${(output.contents.byteLength / 1024).toFixed(1)} KB minified, ${inputs.length} inputs`);
  });
});
