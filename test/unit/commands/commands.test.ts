import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandIds, commandTitles } from '../../../src/commands/commands';
import { studioViewType } from '../../../src/webview/studioViewType';
import { defaultBaseUrls, modelIds, providerIds, qualities } from '../../../src/core/ids';
import { defaultJournalRetentionDays } from '../../../src/core/journal';
import { defaultFileNameTemplate } from '../../../src/core/naming';
import { readManifest } from './manifest';

interface ContributedCommand {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

interface SettingSchema {
  readonly default?: unknown;
  readonly enum?: readonly string[];
  readonly scope?: string;
  readonly description?: string;
  readonly markdownDescription?: string;
}

interface Manifest {
  readonly activationEvents: readonly string[];
  readonly main: string;
  readonly capabilities: { readonly untrustedWorkspaces: { readonly restrictedConfigurations: readonly string[] } };
  readonly contributes: {
    readonly commands: readonly ContributedCommand[];
    readonly menus?: Readonly<Record<string, readonly { readonly command: string }[]>>;
    readonly configuration: { readonly properties: Readonly<Record<string, SettingSchema>> };
  };
}

// As VS Code shows it in English: its %key% strings resolved through package.nls.json.
const manifest = readManifest<Manifest>();
const settings = manifest.contributes.configuration.properties;

describe('package.json contributes.commands', () => {
  it('gives every command, resolved through package.nls.json, the title the failure message uses', () => {
    for (const id of commandIds) assert.equal(manifest.contributes.commands.find((command) => command.command === id)?.title, commandTitles[id], id);
  });

  it('declares exactly the commands in commands.ts, in the same order', () => {
    assert.deepEqual(
      manifest.contributes.commands.map((command) => command.command),
      [...commandIds],
    );
  });

  it('gives every command the "GPT Image" category and its agreed title', () => {
    const titles = Object.fromEntries(manifest.contributes.commands.map((command) => [command.command, command.title]));
    assert.deepEqual(titles, {
      'gptImage.generate': 'Generate Image…',
      'gptImage.openStudio': 'Open Studio',
      'gptImage.editImage': 'Edit Image…',
      'gptImage.editInStudio': 'Edit in Studio…',
      'gptImage.showJobs': 'Show Jobs',
      'gptImage.setApiKey': 'Set API Key…',
      'gptImage.clearApiKey': 'Clear API Key…',
      'gptImage.showLog': 'Show Log',
      'gptImage.runBatch': 'Run Image Batch',
      'gptImage.generateHere': 'Generate Image Here…',
      'gptImage.generateFromSelection': 'Generate Image from Selection',
      'gptImage.copyAsMarkdown': 'Copy as Markdown',
      'gptImage.checkSetup': 'Check Setup',
      'gptImage.getStarted': 'Get Started',
      'gptImage.showAgentsGuide': 'Show Agents Guide',
    });
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'GPT Image', command.command);
  });

  it('offers Edit in Studio… wherever Edit Image… is offered, on the same images', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus ?? {})) {
      const edit = entries.find((entry) => entry.command === 'gptImage.editImage') as { when?: string } | undefined;
      if (!edit) continue;
      const studio = entries.find((entry) => entry.command === 'gptImage.editInStudio') as { when?: string } | undefined;
      assert.ok(studio, `${menu} offers Edit in Studio…`);
      assert.equal(studio.when, edit.when, menu);
    }
    assert.ok(['explorer/context', 'editor/title', 'commandPalette'].every((menu) => manifest.contributes.menus?.[menu]?.some((entry) => entry.command === 'gptImage.editInStudio')));
  });

  it('refers only to declared commands from menus', () => {
    const declared = new Set<string>(commandIds);
    for (const [menu, entries] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const entry of entries) assert.ok(declared.has(entry.command), `${menu} names unknown command ${entry.command}`);
    }
  });
});

describe('package.json activation', () => {
  it('activates only for a restored Studio panel and a workspace with batch files (their CodeLenses); commands activate implicitly', () => {
    // Not onLanguage:json or yaml: every settings.json would wake the extension and load its engine to
    // resume jobs. A batch file made later gets its CodeLenses once anything has activated it.
    assert.deepEqual(manifest.activationEvents, [`onWebviewPanel:${studioViewType}`, 'workspaceContains:**/*.images.{yaml,yml,json}']);
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.equal(manifest.main, './dist/extension.js');
  });
});

describe('package.json configuration', () => {
  it('has every setting the host reads, each with a description', () => {
    const expected = [
      'gptImage.defaultProvider',
      'gptImage.model',
      'gptImage.size',
      'gptImage.quality',
      'gptImage.outputFolder',
      'gptImage.fileNameTemplate',
      'gptImage.afterGeneration',
      'gptImage.pollIntervalSeconds',
      'gptImage.requestTimeoutSeconds',
      'gptImage.journalRetentionDays',
      ...providerIds.map((id) => `gptImage.${id}.baseUrl`),
    ];
    for (const key of expected) {
      const schema = settings[key];
      assert.ok(schema, `missing setting ${key}`);
      assert.ok((schema.description ?? schema.markdownDescription ?? '').length > 20, `${key} needs a real description`);
    }
  });

  it('keeps enums and defaults in step with core', () => {
    assert.deepEqual(settings['gptImage.defaultProvider']?.enum, [...providerIds]);
    assert.equal(settings['gptImage.defaultProvider']?.default, 'openai');
    assert.deepEqual(settings['gptImage.model']?.enum, [...modelIds]);
    assert.deepEqual([...(settings['gptImage.quality']?.enum ?? [])].sort(), [...qualities].sort());
    assert.equal(settings['gptImage.size']?.default, '1024x1024');
    assert.equal(settings['gptImage.outputFolder']?.default, 'images');
    assert.equal(settings['gptImage.fileNameTemplate']?.default, defaultFileNameTemplate);
    assert.deepEqual(settings['gptImage.afterGeneration']?.enum, ['open', 'reveal', 'none']);
    assert.equal(settings['gptImage.afterGeneration']?.default, 'open');
    assert.equal(settings['gptImage.requestTimeoutSeconds']?.default, 360);
    assert.equal(settings['gptImage.pollIntervalSeconds']?.default, 0);
    assert.equal(settings['gptImage.journalRetentionDays']?.default, defaultJournalRetentionDays);
  });

  it('makes the spend limit application-scoped, so no workspace or folder can set it', () => {
    assert.equal(settings['gptImage.spendLimit']?.scope, 'application');
    assert.ok((settings['gptImage.spendLimit']?.markdownDescription ?? '').includes('user settings only'));
  });

  it('makes every base URL application-scoped, restricted in untrusted workspaces, defaulting to the documented URL', () => {
    const baseUrlKeys = providerIds.map((id) => `gptImage.${id}.baseUrl`);
    for (const id of providerIds) {
      const schema = settings[`gptImage.${id}.baseUrl`];
      assert.equal(schema?.scope, 'application', id);
      assert.equal(schema?.default, defaultBaseUrls[id]);
    }
    // Where images land and how they are named are restricted too (issue 10 item 15): an untrusted
    // repository's settings cannot aim the writer anywhere.
    const outputKeys = ['gptImage.outputFolder', 'gptImage.fileNameTemplate', 'gptImage.editOutput'];
    // The spend cap too (issue 15): a cloned repository cannot raise or remove it.
    assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), [...baseUrlKeys, ...outputKeys, 'gptImage.spendLimit'].sort());
    const otherUrlSettings = Object.keys(settings).filter((key) => /url/i.test(key) && !baseUrlKeys.includes(key));
    assert.deepEqual(otherUrlSettings, []);
  });
});
