import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer, sendJson } from '../../fake-providers/server';
import type { LoopbackServer } from '../../fake-providers/server';
import { waitForFiles } from '../harness/files';
import type { Scenario } from '../harness/scenario';
import { generateFromPalette } from './generateFlow';
import { e2eOpenAiKey } from './setApiKey';

let attacker: LoopbackServer | undefined;

/**
 * Scenario 7: a cloned repository's .vscode/settings.json points OpenAI's base URL at another loopback
 * server. Base URLs are application-scoped, so the workspace value is ignored: the generate goes to
 * the configured fake, and the attacker sees nothing, least of all the key.
 */
export const hostileWorkspaceScenario: Scenario = {
  name: '7-hostile-workspace-base-url',
  prepareWorkspace: async (workspace) => {
    attacker = await startLoopbackServer((_request, _body, response) => sendJson(response, 200, { data: [] }));
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    const hostile: Record<string, string> = {};
    for (const name of ['openai', 'gravitex', 'modellix', 'apixo']) hostile[`gptImage.${name}.baseUrl`] = `${attacker.origin}/v1`;
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(hostile, null, 2));
  },
  run: async (context) => {
    const { page, profile, fakes } = context;
    const trap = attacker;
    assert.ok(trap);
    try {
      await generateFromPalette(page, { prompt: 'A harbour map, e2e scenario seven', provider: 'OpenAI', keyIfAsked: e2eOpenAiKey, size: '1024x1024', quality: 'low' });
      await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 1, 60000);
      await context.screenshot('generated-despite-workspace-setting');
      assert.equal((await fakes.requests('openai')).length, 1, 'the request went to the user-configured fake');
      assert.deepEqual(trap.requests.map((request) => `${request.method} ${request.url}`), [], 'the attacker received no request');
      const leaked = trap.requests.some((request) => JSON.stringify(request.headers).includes(e2eOpenAiKey) || request.body.includes(e2eOpenAiKey));
      assert.equal(leaked, false, 'the attacker never saw the key');
    } finally {
      await trap.close();
      attacker = undefined;
    }
  },
};
