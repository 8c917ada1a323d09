import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCommand, toast } from '../harness/browser';
import { filesContaining, waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario } from '../harness/scenario';
import { generateFromPalette } from './generateFlow';

const modellixKey = 'sk-test-modellix-e2e-key-9a41d2';

/**
 * Scenario 3: a polled Modellix task shows progress and saves its file; then a second task is still
 * polling (the fake holds it) when the window reloads: after the reload the job resumes from the
 * journal, its image is saved, and the fake saw exactly one submit for it.
 */
export const modellixResumeScenario: Scenario = {
  name: '3-modellix-poll-and-resume-after-reload',
  run: async (context) => {
    const { page, profile, fakes } = context;
    const images = join(profile.workspace, 'images');
    const submits = async (): Promise<number> => (await fakes.requests('modellix')).filter((request) => request.method === 'POST' && /\/openai\/gpt-image/.test(request.url)).length;

    // 1. Held by the fake so the progress can be seen, then released.
    await fakes.control('modellix', { knobs: { hold: true } });
    await generateFromPalette(page, { prompt: 'A paper boat on a pond, e2e scenario three', provider: 'Modellix', keyIfAsked: modellixKey, size: '1024x1024' });
    await toast(page, 'Modellix').waitFor({ timeout: 20000 });
    await context.screenshot('progress');
    await waitFor('a Modellix submit', async () => ((await submits()) === 1 ? true : undefined), 20000);
    await fakes.release('modellix');
    await waitForFiles(images, /\.png$/, 1, 60000);

    // 2. A second job, held while polling, then the window reloads.
    await generateFromPalette(page, { prompt: 'A kite over dunes, e2e scenario three (resumed)', provider: 'Modellix', size: '1024x1024' });
    await waitFor('the second Modellix submit and a poll after it', async () => {
      const requests = await fakes.requests('modellix');
      const lastSubmit = requests.map((request) => request.method === 'POST' && /\/openai\/gpt-image/.test(request.url)).lastIndexOf(true);
      return (await submits()) === 2 && requests.slice(lastSubmit + 1).some((request) => request.method === 'GET' && /\/tasks\//.test(request.url)) ? true : undefined;
    }, 30000);
    await context.screenshot('polling-before-reload');
    await context.reload();
    // Activation is lazy (no onStartupFinished): the user's next command starts the extension,
    // which resumes the journal's polling jobs.
    await runCommand(page, 'GPT Image: Show Jobs');
    await page.waitForTimeout(1000);
    await page.keyboard.press('Escape');
    await fakes.release('modellix');
    const files = await waitForFiles(images, /\.png$/, 2, 60000);
    assert.equal(files.length, 2, 'both images saved');
    assert.equal(await submits(), 2, 'exactly one submit per job: the resumed job was not submitted again');
    // The old extension host exited with the page; the new one (exthost2) picked the job up.
    const resumedBy = filesContaining(join(profile.userDataDir, 'logs'), 'Resuming 1 job');
    assert.ok(resumedBy.some((file) => /exthost2/.test(file)), `the reloaded extension host resumed the job (${resumedBy.join(', ')})`);
    await context.screenshot('resumed');
  },
};
