// `node out/test/fake-providers/main.js [--ports-file fakes.json] [--port-<name> N]`: starts every fake
// provider on 127.0.0.1 (port 0 = any free port unless given, also via FAKE_<NAME>_PORT) and runs
// until killed. Used by `npm start` and the real-editor tests. These are NOT the real providers:
// they speak each provider's documented API and draw simple synthetic images.
import { writeFileSync } from 'node:fs';
import { startFakeApixo } from './apixo';
import { startFakeCdn } from './cdn';
import type { FakeCdn } from './cdn';
import { startFakeModellix } from './modellix';
import { startFakeOpenAi } from './openai';

/** Where one fake listens, as written to the ports file (see test/e2e/harness/fakes.ts). */
interface Running {
  readonly origin: string;
  readonly baseUrl: string;
  close(): Promise<void>;
}

type Starter = (port: number) => Promise<Running>;

let cdn: FakeCdn | undefined;
const sharedCdn = (): FakeCdn => {
  if (!cdn) throw new Error('the CDN fake must start first');
  return cdn;
};

/**
 * One entry per fake, started in this order; the base URL is what `gptImage.<provider>.baseUrl` must
 * say to reach it. The CDN is the second origin the async providers' result URLs point at.
 */
const starters: Record<string, Starter> = {
  cdn: async (port) => {
    cdn = await startFakeCdn({ port });
    return { origin: cdn.origin, baseUrl: cdn.origin, close: () => sharedCdn().close() };
  },
  openai: (port) => startFakeOpenAi({ port, flavour: 'openai' }),
  gravitex: (port) => startFakeOpenAi({ port, flavour: 'gravitex' }),
  modellix: (port) => startFakeModellix({ port, cdn: sharedCdn() }),
  apixo: (port) => startFakeApixo({ port, cdn: sharedCdn() }),
};

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : process.env[`FAKE_${name.replace(/^port-/, '').toUpperCase()}_PORT`];
}

async function main(): Promise<void> {
  const running: Record<string, Running> = {};
  for (const [name, start] of Object.entries(starters)) {
    running[name] = await start(Number(option(`port-${name}`) ?? 0));
  }
  console.log('Fake providers (NOT the real services: they draw simple synthetic images, any key starting with "sk-" is accepted):');
  for (const [name, fake] of Object.entries(running)) console.log(`  ${name.padEnd(9)} ${fake.baseUrl}`);
  const portsFile = option('ports-file');
  if (portsFile) {
    const fakes = Object.fromEntries(Object.entries(running).map(([name, fake]) => [name, { origin: fake.origin, baseUrl: fake.baseUrl }]));
    writeFileSync(portsFile, JSON.stringify({ fakes }, null, 2));
  }
  const stop = (): void => {
    void Promise.all(Object.values(running).map((fake) => fake.close())).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Stay alive even with no fake listening yet.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
