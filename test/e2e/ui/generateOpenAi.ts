import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { waitForFiles, pngSize } from '../harness/files';
import { assertSavedExactlyServed } from '../harness/fakes';
import type { Scenario } from '../harness/scenario';
import { generateFromPalette } from './generateFlow';
import { e2eOpenAiKey } from './setApiKey';

/** Scenario 2: a new user generates with OpenAI from the palette; the PNG lands in images/ and opens. */
export const generateOpenAiScenario: Scenario = {
  name: '2-generate-openai',
  run: async (context) => {
    const { page, profile, fakes } = context;
    await generateFromPalette(page, { prompt: 'A lighthouse at dusk, e2e scenario two', provider: 'OpenAI', keyIfAsked: e2eOpenAiKey, size: '1024x1024', quality: 'low' });
    const [file] = await waitForFiles(join(profile.workspace, 'images'), /\.png$/, 1, 60000);
    assert.ok(file);
    const bytes = readFileSync(file);
    // The fake draws at a quarter of the requested size (it still reports 1024x1024).
    assert.deepEqual(pngSize(bytes), { width: 256, height: 256 }, 'a valid PNG of the size the fake drew');
    await assertSavedExactlyServed(fakes, 'openai', bytes);
    const requests = await fakes.requests('openai');
    assert.equal(requests.length, 1, 'one request to OpenAI');
    assert.equal(requests[0]?.method, 'POST');
    assert.match(requests[0]?.url ?? '', /\/v1\/images\/generations$/);
    assert.equal(requests[0]?.headers.authorization, `Bearer ${e2eOpenAiKey}`);
    const body = JSON.parse(requests[0]?.body ?? '{}') as Record<string, unknown>;
    assert.equal(body.prompt, 'A lighthouse at dusk, e2e scenario two');
    assert.equal(body.model, 'gpt-image-2');
    assert.equal(body.size, '1024x1024');
    // ...and it opens in an editor tab.
    await page.locator('.tabs-container .tab', { hasText: basename(file) }).first().waitFor({ timeout: 20000 });
    await context.screenshot('opened');
    context.log(`saved ${basename(file)} (${bytes.length} bytes)`);
  },
};
