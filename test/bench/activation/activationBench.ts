import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeReport } from './activationProbe';
import { describeFailure, measureNode } from '../shared/childProcess';
import { formatBytes, formatMs } from '../shared/report';
import type { Row, SectionResult } from '../shared/report';
import { roundSummary, summarize } from '../shared/stats';

export interface ActivationOptions {
  /** A production build (minified) of the four bundles. */
  readonly distDir: string;
  readonly probeScript: string;
  readonly scratchDir: string;
  readonly runs: number;
}

const activationBundleTargetBytes = 60 * 1024;
const activateTargetMs = 10;

async function probe(options: ActivationOptions, mode: 'activate' | 'engine'): Promise<ProbeReport> {
  const run = await measureNode({
    script: options.probeScript,
    args: [mode, options.distDir, options.scratchDir],
    scratchDir: options.scratchDir,
    timeoutMs: 30_000,
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.exitCode !== 0 || !line.startsWith('{')) throw new Error(`activation probe (${mode}) failed: ${describeFailure(run)}`);
  return JSON.parse(line) as ProbeReport;
}

/**
 * Bundle sizes, then `require` + `activate()` of the activation bundle and `require` of the engine,
 * each sample in a fresh Node process, the two kinds interleaved so drift hits both alike.
 */
export async function benchActivation(options: ActivationOptions): Promise<Omit<SectionResult, 'name' | 'seconds'>> {
  const bytes = Object.fromEntries(
    ['extension', 'engine', 'cli', 'webview'].map((name) => [name, statSync(join(options.distDir, `${name}.js`)).size]),
  ) as Record<'extension' | 'engine' | 'cli' | 'webview', number>;

  const activations: ProbeReport[] = [];
  const engines: ProbeReport[] = [];
  // One warm-up of each (disk cache, lazy OS work) that is not counted.
  await probe(options, 'activate');
  await probe(options, 'engine');
  for (let index = 0; index < options.runs; index++) {
    activations.push(await probe(options, 'activate'));
    engines.push(await probe(options, 'engine'));
  }
  const requireMs = roundSummary(summarize(activations.map((report) => report.requireMs)));
  const activateMs = roundSummary(summarize(activations.map((report) => report.callMs ?? Number.NaN)));
  const totalMs = roundSummary(summarize(activations.map((report) => report.requireMs + (report.callMs ?? 0))));
  const engineRequireMs = roundSummary(summarize(engines.map((report) => report.requireMs)));
  const engineCreated = engines.every((report) => report.callMs !== undefined);
  const createEngineMs = engineCreated ? roundSummary(summarize(engines.map((report) => report.callMs ?? Number.NaN))) : undefined;
  const first = activations[0];

  const rows: Row[] = [
    {
      figure: 'activation bundle (dist/extension.js)',
      value: formatBytes(bytes.extension),
      target: '≤ 60 KB',
      met: bytes.extension <= activationBundleTargetBytes,
    },
    { figure: 'engine bundle (dist/engine.js, first use)', value: formatBytes(bytes.engine) },
    { figure: 'cli bundle / webview bundle', value: `${formatBytes(bytes.cli)} / ${formatBytes(bytes.webview)}` },
    { figure: `require(extension.js), median of ${requireMs.runs}`, value: formatMs(requireMs.median) },
    { figure: `activate(), median of ${activateMs.runs}`, value: formatMs(activateMs.median), target: '≤ 10 ms', met: activateMs.median <= activateTargetMs },
    { figure: 'require + activate, median (p95)', value: `${formatMs(totalMs.median)} (${formatMs(totalMs.p95)})` },
    { figure: `require(engine.js), median of ${engineRequireMs.runs}`, value: formatMs(engineRequireMs.median) },
  ];
  if (createEngineMs) rows.push({ figure: 'createEngine(), median', value: formatMs(createEngineMs.median) });

  return {
    ok: true,
    figures: {
      bundleBytes: bytes,
      runs: options.runs,
      freshProcessPerRun: true,
      requireActivationBundleMs: requireMs,
      activateMs,
      requirePlusActivateMs: totalMs,
      requireEngineMs: engineRequireMs,
      createEngineMs,
      registeredCommands: first?.registeredCommands ?? [],
      registeredSerializers: first?.serializers ?? [],
      subscriptions: first?.subscriptions ?? 0,
      targets: {
        activationBundleMaxBytes: activationBundleTargetBytes,
        activationBundleMet: bytes.extension <= activationBundleTargetBytes,
        activateMedianMaxMs: activateTargetMs,
        activateMedianMet: activateMs.median <= activateTargetMs,
      },
    },
    rows,
    checks: {
      'activate() registered commands and the Studio serializer': (first?.registeredCommands.length ?? 0) > 0 && (first?.serializers.length ?? 0) > 0,
    },
  };
}
