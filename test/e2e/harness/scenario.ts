import type { Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import type { Fakes } from './fakes';
import type { Profile } from './profile';

/** What a UI scenario gets: a brand-new user with the .vsix installed and the workbench open. */
export interface ScenarioContext {
  readonly page: Page;
  readonly profile: Profile;
  readonly server: CodeServer;
  readonly fakes: Fakes;
  /** Saves `test-results/e2e/<scenario>-<label>.png`. */
  screenshot(label: string): Promise<string>;
  /** Reloads the window the way a user does (Developer: Reload Window) and waits for the workbench. */
  reload(): Promise<void>;
  log(message: string): void;
}

/** One UI scenario: acts as a new user would and throws (assert) when the feature is broken. */
export interface Scenario {
  readonly name: string;
  /** The display language (e.g. `zh-cn`) through a stand-in language pack (harness/languagePack.ts); English without. */
  readonly locale?: string;
  /** Extra user settings on top of the base ones and the fakes' URLs. */
  readonly userSettings?: Record<string, unknown>;
  /** Changes the fresh workspace copy before code-server starts (e.g. a hostile .vscode/settings.json). */
  prepareWorkspace?(workspace: string, fakes: Fakes): Promise<void> | void;
  run(context: ScenarioContext): Promise<void>;
}
