import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickItem, runCommand, toast } from '../harness/browser';
import { filesContaining, waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario } from '../harness/scenario';
import { setOpenAiKey } from './setApiKey';

const batchFile = `# Run Image Batch → OpenAI Batch API: half price, results within 24 h.
defaults: { provider: openai, size: 1024x1024, quality: low }
images:
  - name: icon
    prompt: A paper boat app icon, e2e batch api
  - name: hero
    prompt: A watercolor harbour at dawn, e2e batch api
    n: 2
`;

const expected = ['hero-1.png', 'hero-2.png', 'icon.png'];

/**
 * Run Image Batch with OpenAI entries asks how to run it, with both costs; the Batch API choice
 * uploads one JSONL and creates one batch (nothing sent as a synchronous image request). While the
 * fake's batch is still running the window reloads: the new extension host picks the job up again,
 * and when the batch completes every image is written under its entry's name. Show Jobs lists the
 * job with its counts and batch id.
 */
export const batchApiEditorScenario: Scenario = {
  name: 'batch-api-editor',
  prepareWorkspace: (workspace) => {
    writeFileSync(join(workspace, 'site.images.yaml'), batchFile);
  },
  run: async (context) => {
    const { page, profile, fakes } = context;
    await setOpenAiKey(context);
    const seen = async (method: string, pattern: RegExp): Promise<number> => (await fakes.requests('openai')).filter((request) => request.method === method && pattern.test(request.url.split('?')[0] ?? '')).length;
    // Each step of the fake's batch (validating, in_progress, finalizing) lasts 8 s: time for a reload.
    await fakes.control('openai', { batch: { knobs: { stepMs: 8000 } } });
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const jobRow = rows.filter({ hasText: 'Batch API: site.images.yaml (2 entries)' }).first();
    // Show Jobs, again if a palette that was still closing swallowed it.
    const showJobs = async (): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        await runCommand(page, 'GPT Image: Show Jobs');
        try {
          await jobRow.waitFor({ timeout: 6000 });
          return;
        } catch (error) {
          if (attempt === 3) throw error;
          await page.keyboard.press('Escape');
        }
      }
    };

    const openBatchFile = async (): Promise<void> => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input.input').first().fill('site.images.yaml');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'site.images.yaml' }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
    };
    await openBatchFile();
    const lens = page.locator('.codelens-decoration a', { hasText: /Run Image Batch \(2 to make, 0 up to date\)/ }).first();
    await lens.waitFor({ timeout: 60000 });
    await lens.click();

    // The choice, before anything is sent: both ways with their estimated cost.
    const batchRow = rows.filter({ hasText: 'OpenAI Batch API: half price, results within 24 h' }).first();
    await batchRow.waitFor({ timeout: 20000 });
    const nowRow = rows.filter({ hasText: 'Now' }).first();
    assert.match(await nowRow.innerText(), /\$\d/, 'Now shows its cost');
    assert.match(await batchRow.innerText(), /\$\d/, 'the Batch API shows its cost');
    await context.screenshot('choice');
    assert.equal((await fakes.requests('openai')).length, 0, 'nothing sent before the choice');
    await batchRow.click();

    const progress = toast(page, /Batch API job/);
    await progress.waitFor({ timeout: 20000 });
    await waitFor('the batch to be created at the fake', async () => ((await seen('POST', /^\/v1\/batches$/)) === 1 ? true : undefined), 30000);
    await waitFor('the progress to show the batch polling', async () => (/working on it/.test(await progress.innerText()) ? true : undefined), 20000);
    // The lenses say the entries are the job's now: no run sends them again while it works.
    await waitFor('both lenses to say the Batch API job holds them', async () => ((await page.locator('.codelens-decoration', { hasText: 'in Batch API job' }).count()) === 2 ? true : undefined), 20000);
    await page.locator('.codelens-decoration a', { hasText: /Run Image Batch \(0 to make, 0 up to date, 2 in a Batch API job\)/ }).first().waitFor({ timeout: 10000 });
    await context.screenshot('progress');
    context.log(`progress: ${(await progress.innerText()).replace(/\s+/g, ' ')}`);

    // Show Jobs while it polls: the job with its counts and batch id.
    await showJobs();
    assert.match(await jobRow.innerText(), /0 of 2 saved, 0 failed — polling, batch batch[-_]\w+/);
    await context.screenshot('jobs-polling');
    await page.keyboard.press('Escape');

    // The window reloads while OpenAI is still working: the journal (global storage batches/) keeps the job.
    await context.reload();
    await runCommand(page, 'GPT Image: Show Jobs');
    await page.waitForTimeout(1000);
    await page.keyboard.press('Escape');

    const images = join(profile.workspace, 'images');
    const files = await waitForFiles(images, /\.png$/, expected.length, 90000);
    assert.deepEqual(files.map((file) => file.split('/').pop()).sort(), expected);
    // Each image's sidecar names its batch file and entry, as a synchronous run's does.
    const sidecar = join(images, '.gpt-image', 'hero-2.png.json');
    await waitFor('the sidecar of hero-2.png', () => (existsSync(sidecar) ? true : undefined), 20000);
    const recorded = JSON.parse(readFileSync(sidecar, 'utf8')) as { batch?: unknown; index?: number };
    assert.deepEqual(recorded.batch, { file: 'site.images.yaml', entry: 'hero' });
    assert.equal(recorded.index, 2);
    assert.equal(await seen('POST', /^\/v1\/batches$/), 1, 'one create: the reloaded window did not send it again');
    assert.equal(await seen('POST', /^\/v1\/files$/), 1, 'one upload');
    assert.equal(await seen('POST', /^\/v1\/images\//), 0, 'no synchronous image request');
    const resumedBy = filesContaining(join(profile.userDataDir, 'logs'), 'Resuming 1 Batch API job');
    assert.ok(resumedBy.some((file) => /exthost2/.test(file)), `the reloaded extension host resumed the job (${resumedBy.join(', ')})`);

    const saved = toast(page, /Batch API job \S+: saved 3 images/);
    await saved.waitFor({ timeout: 30000 });
    await context.screenshot('saved');
    // The reload restores the open editor only when the workbench saved its state first (not always).
    if (!(await page.locator('.tabs-container .tab', { hasText: 'site.images.yaml' }).first().isVisible())) {
      context.log('the reload did not restore site.images.yaml; opening it again');
      await openBatchFile();
    }
    // The batch file's lenses follow: every entry made, nothing left to send.
    await page.locator('.codelens-decoration a', { hasText: /Run Image Batch \(0 to make, 2 up to date\)/ }).first().waitFor({ timeout: 30000 });
    assert.equal(await page.locator('.codelens-decoration', { hasText: 'made' }).count(), 2, 'each entry says it is made');

    await showJobs();
    await waitFor('the job row to say saved', async () => (/2 of 2 saved, 0 failed — saved, batch batch[-_]\w+/.test(await jobRow.innerText()) ? true : undefined), 20000);
    await context.screenshot('jobs');
    await jobRow.click();
    await pickItem(page, 'Show files');
    await page.locator('.tabs-container .tab', { hasText: /icon\.png|hero-1\.png/ }).first().waitFor({ timeout: 20000 });
    // The image preview draws after its tab opens.
    await page.waitForTimeout(1500);
    await context.screenshot('files');
  },
};
