import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vscodeTestDir, workspaceTemplate } from './paths';

/** A brand-new code-server user: nothing carried over from any other run. */
export interface Profile {
  /** The run folder everything below lives in (kept after the run for inspection). */
  readonly dir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** A fresh copy of test/e2e/workspace-template. */
  readonly workspace: string;
  readonly chromeProfile: string;
  readonly logFile: string;
  /** Short private TMPDIR: unix socket paths must stay under 108 bytes. */
  readonly tmp: string;
  /** Environment for code-server and the browser: XDG dirs and TMPDIR inside the run folder. */
  readonly env: NodeJS.ProcessEnv;
  /** Removes the short TMPDIR (the run folder stays for inspection). */
  dispose(): void;
}

/** What the user settings.json of every test profile says; the fakes' URLs are merged in. */
export function baseUserSettings(pollIntervalSeconds = 0.05): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    // Otherwise code-server starts an agent host and chat services nobody here needs.
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'gptImage.pollIntervalSeconds': pollIntervalSeconds,
  };
}

export function createProfile(name: string, settings: Record<string, unknown>): Profile {
  const runs = join(vscodeTestDir, 'runs');
  mkdirSync(runs, { recursive: true });
  const dir = mkdtempSync(join(runs, `${name.replace(/\W+/g, '-')}-`));
  const userDataDir = join(dir, 'ud');
  const extensionsDir = join(dir, 'ext');
  const workspace = join(dir, 'ws');
  const chromeProfile = join(dir, 'chrome');
  for (const folder of [join(userDataDir, 'User'), extensionsDir, chromeProfile, join(dir, 'xdg', 'config'), join(dir, 'xdg', 'data'), join(dir, 'xdg', 'cache')]) {
    mkdirSync(folder, { recursive: true });
  }
  cpSync(workspaceTemplate, workspace, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const tmp = mkdtempSync(join(process.env.E2E_TMPBASE ?? tmpdir(), 'gis-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: tmp,
    // Keeps code-server's config.yaml, logs and device id, and chromium's crash folder, out of $HOME.
    XDG_CONFIG_HOME: join(dir, 'xdg', 'config'),
    XDG_DATA_HOME: join(dir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(dir, 'xdg', 'cache'),
    // A gpt-image CLI the editor starts (the MCP server) keeps its journal in the run folder too.
    XDG_STATE_HOME: join(dir, 'xdg', 'state'),
  };
  return {
    dir,
    userDataDir,
    extensionsDir,
    workspace,
    chromeProfile,
    logFile: join(dir, 'code-server.log'),
    tmp,
    env,
    dispose: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
