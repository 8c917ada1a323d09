import Module from 'node:module';
import { join } from 'node:path';

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options: unknown): string;
}

/**
 * Makes `require('vscode')` return `api` in this test process (node:test runs each file in its own
 * process), the way the extension host injects the real API. Only for host code whose vscode use is
 * a few calls; everything else stays real. Call it before importing the code under test.
 */
function englishT(message: string, ...args: Array<string | number | boolean>): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => (args[Number(index)] === undefined ? whole : String(args[Number(index)])));
}

export function installFakeVscode(api: Record<string, unknown>): void {
  const fileName = join(__dirname, '__fake_vscode__.js');
  const stub = new Module(fileName);
  stub.filename = fileName;
  stub.loaded = true;
  // vscode.l10n.t in English (no bundle), unless the test brings its own.
  stub.exports = { l10n: { t: englishT, bundle: undefined }, ...api };
  const internals = Module as unknown as ModuleInternals;
  const resolve = internals._resolveFilename.bind(Module);
  internals._resolveFilename = (request, parent, isMain, options) =>
    request === 'vscode' ? fileName : resolve(request, parent, isMain, options);
  require.cache[fileName] = stub;
}
