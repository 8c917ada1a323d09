import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeBaseUrl } from '../../../src/core/baseUrl';
import { defaultBaseUrls } from '../../../src/core/ids';
import type { ProviderId } from '../../../src/core/ids';
import { parseSpendLimits } from '../../../src/core/spendLimits';
import { mcpServerEnvironment } from '../../../src/host/mcpEnvironment';

const trusted = (url: string) => {
  const checked = normalizeBaseUrl(url);
  if (!checked.ok) throw new Error(checked.error);
  return { ...checked, ignoredWorkspaceValue: false };
};

describe('the environment VS Code starts gpt-image mcp with', () => {
  it('carries the stored keys, the user-level base URLs that differ from the default, and the default provider', async () => {
    const keys: Partial<Record<ProviderId, string>> = { openai: 'sk-stored-openai', apixo: 'sk-stored-apixo' };
    const env = await mcpServerEnvironment(
      { get: async (id) => keys[id] },
      {
        defaultProvider: () => 'modellix',
        spendLimits: () => undefined,
        baseUrl: (id) => trusted(id === 'modellix' ? 'http://127.0.0.1:4100/api/v1' : defaultBaseUrls[id]),
      },
    );
    assert.deepEqual(env, {
      GPT_IMAGE_PROVIDER: 'modellix',
      OPENAI_API_KEY: 'sk-stored-openai',
      APIXO_API_KEY: 'sk-stored-apixo',
      GPT_IMAGE_MODELLIX_BASE_URL: 'http://127.0.0.1:4100/api/v1',
    });
  });

  it('an untrusted base URL (settings.baseUrl refused it) is left out, so the server uses the default', async () => {
    const env = await mcpServerEnvironment({ get: async () => undefined }, { defaultProvider: () => 'openai', spendLimits: () => undefined, baseUrl: () => ({ ok: false, error: 'refused', ignoredWorkspaceValue: false }) as const });
    assert.deepEqual(env, { GPT_IMAGE_PROVIDER: 'openai' });
  });

  it("carries the user's spend caps, so an agent VS Code starts cannot spend past them", async () => {
    const env = await mcpServerEnvironment(
      { get: async () => undefined },
      {
        defaultProvider: () => 'openai',
        baseUrl: (id) => trusted(defaultBaseUrls[id]),
        spendLimits: () => ({ day: 2, providers: { openai: { month: 10 } }, source: 'gptImage.spendLimit' }),
      },
    );
    assert.ok(env.GPT_IMAGE_SPEND_LIMIT, 'the limit is passed');
    const passed = parseSpendLimits(JSON.parse(env.GPT_IMAGE_SPEND_LIMIT), 'GPT_IMAGE_SPEND_LIMIT');
    assert.deepEqual(passed.problems, []);
    assert.deepEqual(passed.limits, { day: 2, month: undefined, providers: { openai: { day: undefined, month: 10 } }, source: 'GPT_IMAGE_SPEND_LIMIT' });
  });

  it("names the window's ledger folder (from global storage), so the server and the window count one ledger", async () => {
    const settings = { defaultProvider: () => 'openai' as const, baseUrl: (id: ProviderId) => trusted(defaultBaseUrls[id]), spendLimits: () => undefined };
    const env = await mcpServerEnvironment({ get: async () => undefined }, settings, '/home/user/.config/Code/User/globalStorage/gpt-image-studio/spend');
    assert.deepEqual(env, { GPT_IMAGE_PROVIDER: 'openai', GPT_IMAGE_SPEND_LEDGER: '/home/user/.config/Code/User/globalStorage/gpt-image-studio/spend' });
    assert.equal((await mcpServerEnvironment({ get: async () => undefined }, settings)).GPT_IMAGE_SPEND_LEDGER, undefined, 'storage that is no local folder: none');
  });
});
