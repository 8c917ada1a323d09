import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultBaseUrls } from '../../../src/core/ids';
import {
  customModelFor,
  parseCustomModels,
  parseAfterGeneration,
  parseFileNameTemplate,
  parseModel,
  parseNoProxy,
  parseProvider,
  parseQuality,
  parseSizeSetting,
  partialImagesSetting,
  journalRetentionMs,
  pollIntervalOverrideMs,
  requestTimeoutMs,
  trustedBaseUrl,
  trustedSpendLimits,
} from '../../../src/host/settingsRules';
import { readManifest } from '../commands/manifest';

describe('trustedBaseUrl', () => {
  it('uses the user (global) value, without a trailing slash', () => {
    const result = trustedBaseUrl('openai', { defaultValue: defaultBaseUrls.openai, globalValue: 'https://gateway.example.com/openai/v1/' });
    assert.deepEqual(result, { ok: true, url: 'https://gateway.example.com/openai/v1', ignoredWorkspaceValue: false });
  });

  it('falls back to the default, and to the documented URL when there is none', () => {
    assert.deepEqual(trustedBaseUrl('apixo', { defaultValue: defaultBaseUrls.apixo }), {
      ok: true,
      url: 'https://api.apixo.ai/api/v1',
      ignoredWorkspaceValue: false,
    });
    assert.deepEqual(trustedBaseUrl('modellix', undefined), { ok: true, url: defaultBaseUrls.modellix, ignoredWorkspaceValue: false });
    assert.deepEqual(trustedBaseUrl('gravitex', { globalValue: '   ' }), { ok: true, url: defaultBaseUrls.gravitex, ignoredWorkspaceValue: false });
  });

  it('never takes a workspace or folder value, and says it ignored one', () => {
    const fromRepository = trustedBaseUrl('openai', {
      defaultValue: defaultBaseUrls.openai,
      workspaceValue: 'https://attacker.example.net/v1',
      workspaceFolderValue: 'http://127.0.0.1:9/v1',
    });
    assert.deepEqual(fromRepository, { ok: true, url: defaultBaseUrls.openai, ignoredWorkspaceValue: true });
    const both = trustedBaseUrl('modellix', { globalValue: 'http://localhost:8080/api/v1', workspaceValue: 'https://elsewhere.example/api' });
    assert.deepEqual(both, { ok: true, url: 'http://localhost:8080/api/v1', ignoredWorkspaceValue: true });
  });

  it('accepts plain http only for loopback', () => {
    assert.equal(trustedBaseUrl('openai', { globalValue: 'http://127.0.0.1:4010/v1' }).ok, true);
    assert.equal(trustedBaseUrl('openai', { globalValue: 'http://[::1]:4010/v1' }).ok, true);
    const remote = trustedBaseUrl('gravitex', { globalValue: 'http://api.gravitex.ai/v1' });
    assert.equal(remote.ok, false);
    assert.match(!remote.ok ? remote.error : '', /gptImage\.gravitex\.baseUrl.*plain http to api\.gravitex\.ai/);
  });

  it('refuses invalid URLs, credentials and other schemes with the setting name', () => {
    for (const value of ['not a url', 'https://user:pw@api.openai.com/v1', 'ftp://api.openai.com/v1', 'https://api.openai.com/v1?x=1']) {
      const result = trustedBaseUrl('openai', { globalValue: value });
      assert.equal(result.ok, false, value);
      assert.match(!result.ok ? result.error : '', /OpenAI base URL in your settings \(gptImage\.openai\.baseUrl\)/);
    }
  });
});

describe('setting values', () => {
  it('parses enums with safe fallbacks', () => {
    assert.equal(parseProvider('apixo'), 'apixo');
    assert.equal(parseProvider('midjourney'), 'openai');
    assert.equal(parseModel('gpt-image-1.5'), 'gpt-image-1.5');
    assert.equal(parseModel(42), 'gpt-image-2');
    assert.equal(parseQuality('high'), 'high');
    assert.equal(parseQuality('ultra'), undefined);
    assert.equal(parseAfterGeneration('reveal'), 'reveal');
    assert.equal(parseAfterGeneration('none'), 'none');
    assert.equal(parseAfterGeneration('explode'), 'open');
    assert.equal(parseSizeSetting(' 1536x1024 '), '1536x1024');
    assert.equal(parseSizeSetting(''), '1024x1024');
    assert.equal(parseFileNameTemplate('  '), '{date}-{slug}-{index}');
    assert.equal(parseFileNameTemplate('{provider}-{index}'), '{provider}-{index}');
  });

  it('defaults the request timeout to 360 s and keeps it within 5 s to 1 h', () => {
    assert.equal(requestTimeoutMs(undefined), 360_000);
    assert.equal(requestTimeoutMs('600'), 360_000);
    assert.equal(requestTimeoutMs(600), 600_000);
    assert.equal(requestTimeoutMs(1), 5_000);
    assert.equal(requestTimeoutMs(99_999), 3_600_000);
  });

  it('keeps finished jobs 30 days unless told otherwise, and never less than a day', () => {
    assert.equal(journalRetentionMs(undefined), 30 * 86_400_000);
    assert.equal(journalRetentionMs(7), 7 * 86_400_000);
    assert.equal(journalRetentionMs(0), 30 * 86_400_000);
    assert.equal(journalRetentionMs('7'), 30 * 86_400_000);
  });

  it('treats a poll interval of 0 as the provider schedule and allows 0.05 s for tests', () => {
    assert.equal(pollIntervalOverrideMs(0), undefined);
    assert.equal(pollIntervalOverrideMs(undefined), undefined);
    assert.equal(pollIntervalOverrideMs(-3), undefined);
    assert.equal(pollIntervalOverrideMs(0.05), 50);
    assert.equal(pollIntervalOverrideMs(0.001), 50);
    assert.equal(pollIntervalOverrideMs(7), 7_000);
  });

  it('reads http.noProxy as a list or a comma-separated string', () => {
    assert.deepEqual(parseNoProxy(['internal.example', ' ', 'localhost']), ['internal.example', 'localhost']);
    assert.deepEqual(parseNoProxy('a.example, b.example'), ['a.example', 'b.example']);
    assert.deepEqual(parseNoProxy(undefined), []);
  });
});

describe('partialImagesSetting', () => {
  it('is a whole number from 0 to 3; anything else streams nothing', () => {
    assert.equal(partialImagesSetting(2), 2);
    assert.equal(partialImagesSetting(7), 3);
    assert.equal(partialImagesSetting(-1), 0);
    assert.equal(partialImagesSetting(1.6), 2);
    assert.equal(partialImagesSetting('2'), 0);
    assert.equal(partialImagesSetting(undefined), 0);
  });

  it('is declared in package.json with the output-token cost note', () => {
    const manifest = readManifest<{
      contributes: { configuration: { properties: Record<string, { default: unknown; maximum: number; markdownDescription: string }> } };
    }>();
    const setting = manifest.contributes.configuration.properties['gptImage.partialImages'];
    assert.equal(setting?.default, 0);
    assert.equal(setting?.maximum, 3);
    assert.match(setting?.markdownDescription ?? '', /output tokens \(about 100 each/);
  });
});

describe('gptImage.customModels (issue 12)', () => {
  it('keeps valid entries and names each bad one', () => {
    const { models, problems } = parseCustomModels([
      { id: 'gpt-image-3', provider: 'openai', like: 'gpt-image-2.5-flare' },
      { id: 'gpt-image-2', provider: 'openai', like: 'gpt-image-2' },
      { id: 'gpt-image-3', provider: 'modellix', like: 'gpt-image-2' },
      { id: 'gpt-image-3', provider: 'gravitex', like: 'gpt-image-1.5' },
      { id: '../x', provider: 'openai', like: 'gpt-image-2' },
      'nonsense',
    ]);
    assert.deepEqual(models, [{ id: 'gpt-image-3', provider: 'openai', like: 'gpt-image-2.5-flare' }]);
    assert.deepEqual(problems, [
      'gptImage.customModels: "gpt-image-2" is not a new model id (letters, digits, ".", "_" and "-", not a listed model).',
      'gptImage.customModels: gpt-image-3 needs "provider": "openai" or "gravitex".',
      'gptImage.customModels: gpt-image-3 needs "like": one of gpt-image-2.',
      'gptImage.customModels: "../x" is not a new model id (letters, digits, ".", "_" and "-", not a listed model).',
      'gptImage.customModels: ""nonsense"" is not a new model id (letters, digits, ".", "_" and "-", not a listed model).',
    ]);
    assert.deepEqual(customModelFor(models, 'openai', 'gpt-image-3'), models[0]);
    assert.equal(customModelFor(models, 'gravitex', 'gpt-image-3'), undefined);
    assert.equal(customModelFor(models, 'openai', 'gpt-image-2'), undefined);
    assert.deepEqual(parseCustomModels(undefined), { models: [], problems: [] });
  });
});

describe('trustedSpendLimits', () => {
  it('reads the user value only: a workspace cannot raise or remove the cap', () => {
    const user = trustedSpendLimits({ globalValue: { day: 5 } });
    assert.deepEqual(user, { limits: { day: 5, month: undefined, providers: {}, source: 'gptImage.spendLimit' }, problems: [] });
    const raised = trustedSpendLimits({ globalValue: { day: 5 }, workspaceValue: { day: 500 } });
    assert.equal(raised.limits?.day, 5);
    assert.match(raised.problems[0] ?? '', /Ignoring the workspace value of gptImage\.spendLimit/);
    const removed = trustedSpendLimits({ globalValue: { month: 20 }, workspaceFolderValue: {} });
    assert.equal(removed.limits?.month, 20);
    assert.equal(trustedSpendLimits({ workspaceValue: { day: 1 } }).limits, undefined, 'a workspace cannot set one either');
  });
});
