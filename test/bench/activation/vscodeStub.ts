import Module from 'node:module';
import { join } from 'node:path';

/** One call the extension made into the stand-in `vscode` API. */
export interface RecordedCall {
  /** Dotted path, e.g. `commands.registerCommand` or `new EventEmitter`. */
  readonly path: string;
  /** The first argument when it is a string (a command id, a view type, a setting section). */
  readonly firstArg?: string | undefined;
}

/**
 * A stand-in for any part of the `vscode` API: every property is another stand-in, every call is
 * recorded and returns a stand-in (which has a no-op `dispose`). It is deliberately generic so the
 * benchmark keeps working when activate() starts using another API, and it never is a thenable, so
 * awaiting one does not hang. Values assigned to it (`item.text = …`) read back as assigned.
 */
function stand(path: string, calls: RecordedCall[]): unknown {
  const children = new Map<string, unknown>();
  const assigned = new Map<PropertyKey, unknown>();
  const target = function standIn(): void {
    // Only a callable, constructible target for the proxy.
  };
  return new Proxy(target, {
    get(_target, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then' || typeof key === 'symbol') {
        return key === Symbol.toPrimitive ? () => `[vscode stand-in ${path}]` : undefined;
      }
      if (key === 'dispose') return () => undefined;
      let child = children.get(key);
      if (child === undefined) {
        child = stand(`${path}.${key}`, calls);
        children.set(key, child);
      }
      return child;
    },
    set(_target, key, value: unknown) {
      assigned.set(key, value);
      return true;
    },
    apply(_target, _this, args: unknown[]) {
      calls.push({ path, firstArg: typeof args[0] === 'string' ? args[0] : undefined });
      return stand(`${path}()`, calls);
    },
    construct(_target, args: unknown[]) {
      calls.push({ path: `new ${path}`, firstArg: typeof args[0] === 'string' ? args[0] : undefined });
      return stand(`new ${path}`, calls) as object;
    },
  });
}

/** What the stand-in recorded, for the report and as a check that activation really registered things. */
export interface VscodeStub {
  readonly calls: RecordedCall[];
}

/** Top-level names of the `vscode` API an extension may touch during activation. */
const vscodeNamespaces = [
  'commands', 'window', 'workspace', 'env', 'extensions', 'languages', 'l10n', 'authentication', 'tasks', 'debug',
  'scm', 'tests', 'notebooks', 'chat', 'lm', 'Uri', 'EventEmitter', 'Disposable', 'ThemeIcon', 'ThemeColor',
  'ViewColumn', 'StatusBarAlignment', 'ProgressLocation', 'ConfigurationTarget', 'Range', 'Position', 'Selection',
  'TreeItem', 'TreeItemCollapsibleState', 'RelativePattern', 'FileType', 'FileSystemError', 'CancellationTokenSource',
  'CancellationError', 'MarkdownString', 'ExtensionMode', 'QuickPickItemKind', 'QuickInputButtons', 'LogLevel',
  'UIKind', 'version',
];

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options: unknown): string;
}

/**
 * Makes `require('vscode')` return the stand-in, the way the extension host injects the real API:
 * a resolved file name that points into require.cache. Node has no public hook for this in CJS.
 */
export function installVscodeStub(): VscodeStub {
  const calls: RecordedCall[] = [];
  const fileName = join(__dirname, '__vscode_stand_in__.js');
  const stub = new Module(fileName);
  stub.filename = fileName;
  stub.loaded = true;
  // A plain object with the API's namespaces as own keys: esbuild's `import * as vscode` interop
  // copies own property names only, so a bare proxy would come out empty.
  stub.exports = Object.fromEntries(vscodeNamespaces.map((name) => [name, stand(name, calls)]));
  const internals = Module as unknown as ModuleInternals;
  const resolve = internals._resolveFilename.bind(Module);
  internals._resolveFilename = (request, parent, isMain, options) =>
    request === 'vscode' ? fileName : resolve(request, parent, isMain, options);
  require.cache[fileName] = stub;
  return { calls };
}

/** A minimal ExtensionContext: real `subscriptions` and paths, stand-ins for everything else. */
export function makeExtensionContext(extensionPath: string, storagePath: string, calls: RecordedCall[]): { subscriptions: { dispose(): unknown }[] } {
  const uri = (fsPath: string): object => ({ fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}` });
  const fields: Record<string, unknown> = {
    subscriptions: [],
    extensionPath,
    extensionUri: uri(extensionPath),
    globalStorageUri: uri(storagePath),
    globalStoragePath: storagePath,
    storageUri: uri(join(storagePath, 'workspace')),
    logUri: uri(join(storagePath, 'logs')),
    extensionMode: 1,
  };
  const fallback = stand('context', calls) as Record<string, unknown>;
  return new Proxy(fields, {
    get: (target, key) => (typeof key === 'string' && !(key in target) ? fallback[key] : Reflect.get(target, key)),
  }) as { subscriptions: { dispose(): unknown }[] };
}
