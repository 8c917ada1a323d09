/**
 * Runs in a fresh Node process per sample (require caches would otherwise make every run after the
 * first look free). Usage: `node activationProbe.js activate|engine <dist dir> <scratch dir>`.
 * Prints one JSON line with the timings and what activation registered.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { installVscodeStub, makeExtensionContext } from './vscodeStub';

/** One sample, as the parent reads it. */
export interface ProbeReport {
  readonly mode: 'activate' | 'engine';
  readonly requireMs: number;
  /** activate() (activate mode) or createEngine() (engine mode, when exported). */
  readonly callMs: number | undefined;
  readonly registeredCommands: readonly string[];
  readonly serializers: readonly string[];
  readonly subscriptions: number;
  readonly otherCalls: number;
}

interface ActivationModule {
  activate(context: unknown): unknown;
}

interface EngineModule {
  createEngine?: (context: unknown) => unknown;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

async function main(): Promise<void> {
  const [mode, distDir, scratchDir] = process.argv.slice(2);
  if ((mode !== 'activate' && mode !== 'engine') || !distDir || !scratchDir) {
    throw new Error('usage: activationProbe.js activate|engine <dist dir> <scratch dir>');
  }
  const stub = installVscodeStub();
  const context = makeExtensionContext(join(distDir, '..'), scratchDir, stub.calls);
  let requireMs: number;
  let callMs: number | undefined;
  if (mode === 'activate') {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(join(distDir, 'extension.js')) as ActivationModule;
    const required = performance.now();
    const result = extension.activate(context);
    if (isThenable(result)) await result;
    const activated = performance.now();
    requireMs = required - started;
    callMs = activated - required;
  } else {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const engine = require(join(distDir, 'engine.js')) as EngineModule;
    const required = performance.now();
    requireMs = required - started;
    if (typeof engine.createEngine === 'function') {
      const result = engine.createEngine(context);
      if (isThenable(result)) await result;
      callMs = performance.now() - required;
    }
  }
  const report: ProbeReport = {
    mode,
    requireMs,
    callMs,
    registeredCommands: stub.calls.filter((call) => call.path === 'commands.registerCommand').map((call) => call.firstArg ?? '?'),
    serializers: stub.calls.filter((call) => call.path === 'window.registerWebviewPanelSerializer').map((call) => call.firstArg ?? '?'),
    subscriptions: context.subscriptions.length,
    otherCalls: stub.calls.filter((call) => !['commands.registerCommand', 'window.registerWebviewPanelSerializer'].includes(call.path)).length,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  // Exit now: activate() defers the engine load (job resumption) to a timer, which is not part of
  // what activation costs and would only slow the sample process down.
  for (const subscription of context.subscriptions) subscription.dispose();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
