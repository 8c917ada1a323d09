import { openSync, closeSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { codeServerBin, node24Bin } from './paths';
import { runToEnd, spawnGroup, waitFor } from './processes';
import type { GroupProcess } from './processes';
import type { Profile } from './profile';

/** A running code-server on 127.0.0.1 for one profile. */
export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  readonly process: GroupProcess;
  /** The workbench URL with the profile's workspace folder open. */
  readonly workbenchUrl: string;
  stop(): Promise<void>;
}

/** code-server must run under Node 24, and its extension host reuses whatever `node` PATH finds first. */
function withNode24(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: `${node24Bin}${delimiter}${env.PATH ?? ''}` };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Installs the packaged .vsix (not the source folder: that also proves the package is whole). */
export async function installVsix(profile: Profile, vsix: string): Promise<string> {
  await runToEnd(codeServerBin, ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix], {
    env: withNode24(profile.env),
  });
  const installed = readdirSync(profile.extensionsDir).find((entry) => entry.startsWith('gpt-image-studio.gpt-image-studio-'));
  if (installed === undefined) throw new Error(`the .vsix did not install into ${profile.extensionsDir}`);
  return join(profile.extensionsDir, installed);
}

/**
 * Starts code-server bound to loopback with auth, telemetry, update checks and workspace trust off,
 * in its own process group, and waits for /healthz. `extraEnv` reaches the extension host.
 */
export async function startCodeServer(profile: Profile, extraEnv: NodeJS.ProcessEnv = {}, port?: number, extraArgs: readonly string[] = []): Promise<CodeServer> {
  const chosenPort = port ?? (await freePort());
  const log = openSync(profile.logFile, 'a');
  const args = [
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    ...extraArgs,
    profile.workspace,
  ];
  const group = spawnGroup(codeServerBin, args, { env: withNode24({ ...profile.env, ...extraEnv }), stdio: ['ignore', log, log] });
  closeSync(log);
  const origin = `http://127.0.0.1:${chosenPort}`;
  try {
    await waitFor('code-server /healthz', async () => {
      if (group.child.exitCode !== null) throw new Error(`code-server exited with ${group.child.exitCode}; see ${profile.logFile}`);
      const response = await fetch(`${origin}/healthz`);
      return response.ok ? true : undefined;
    }, 60000, 200);
  } catch (error) {
    await group.stop();
    throw error;
  }
  return {
    origin,
    port: chosenPort,
    process: group,
    workbenchUrl: `${origin}/?folder=${encodeURIComponent(profile.workspace)}`,
    stop: () => group.stop(),
  };
}
