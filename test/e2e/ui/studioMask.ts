import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Frame } from 'playwright-core';
import { boundaryOf, parseMultipart } from '../../fake-providers/multipartParser';
import { explorerMenu } from '../harness/explorerMenu';
import { pngSize, waitForFiles } from '../harness/files';
import { waitFor } from '../harness/processes';
import type { Scenario, ScenarioContext } from '../harness/scenario';
import { e2eOpenAiKey, setOpenAiKey } from './setApiKey';
import { waitForVisibleInFrames } from './studioPage';

const prompt = 'Put a small red boat where the mask is, e2e mask painter';
/** Brush diameter set in the painter, in image pixels; strokes below are in image pixels too. */
const brushSize = 24;
type Segment = readonly [number, number, number, number];
const painted: readonly Segment[] = [
  [40, 64, 216, 64],
  [64, 120, 64, 220],
];
const erased: Segment = [128, 40, 128, 88];
const undone: Segment = [180, 200, 220, 200];

/**
 * Issue 13, the mask painter: right-click an image → "Edit in Studio…", paint two strokes with the
 * mouse, erase across one, paint a third and undo it (redo, undo again), see that Modellix says it
 * takes no mask, then "Save mask and edit…" with OpenAI. The mask file on disk is transparent exactly
 * where the overlay showed paint, matches the mouse's path, and is the `mask` part the fake received;
 * opening the image again continues the saved mask.
 */
export const studioMaskScenario: Scenario = {
  name: 'studio-mask',
  userSettings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  run: async (context) => {
    const { page, profile, fakes } = context;
    const original = join(profile.workspace, 'sample.png');
    const originalBytes = readFileSync(original);
    const size = pngSize(originalBytes);
    assert.ok(size);
    await setOpenAiKey(context);

    const firstOpen = await openInStudioFromExplorer(context);
    let studio = await waitForVisibleInFrames(page, '[data-testid="mask-painter"]', 60000);
    await waitForImage(studio);
    context.log(`first open (Studio not open yet): painter with its image ${Date.now() - firstOpen} ms after the menu item was chosen`);
    assert.match((await studio.locator('[data-testid="mask-note"]').innerText()).trim(), /saved as sample\.mask\.png beside the image/);
    // The workspace folders are resource roots of the panel (for an edit's before/after), so the
    // image is shown from where it is: no copy in the preview folder.
    assert.match((await studio.locator('.mask-image').getAttribute('src')) ?? '', /\/ws\/sample\.png$/);
    assert.deepEqual(sourceCopies(profile.dir).length, 0, 'no copy of the image for the page');
    await context.screenshot('open');

    await studio.locator('[data-testid="mask-size"]').fill(String(brushSize));
    assert.equal((await studio.locator('[data-testid="mask-size-value"]').innerText()).trim(), `${brushSize} px`);
    for (const segment of painted) await drag(context, studio, segment, size);
    await studio.locator('[data-testid="mask-eraser"]').click();
    assert.equal(await studio.locator('[data-testid="mask-eraser"]').getAttribute('aria-pressed'), 'true');
    await drag(context, studio, erased, size);
    await studio.locator('[data-testid="mask-brush"]').click();
    const beforeUndone = await overlayAlpha(studio);
    await drag(context, studio, undone, size);
    const withThird = await overlayAlpha(studio);
    assert.ok(withThird !== beforeUndone, 'the third stroke painted');
    await studio.locator('[data-testid="mask-undo"]').click();
    assertSameMask(await overlayAlpha(studio), beforeUndone, 'undo takes the third stroke back');
    await studio.locator('[data-testid="mask-redo"]').click();
    assertSameMask(await overlayAlpha(studio), withThird, 'redo puts it back');
    await page.keyboard.press('Control+z');
    assertSameMask(await overlayAlpha(studio), beforeUndone, 'Ctrl+Z undoes it again');
    await context.screenshot('painted');

    // Another file in the Studio's place and back: the page reloads (no retained context) and the
    // painter comes back with the strokes and the prompt (the page's draft, kept by the host).
    await studio.locator('[data-testid="mask-prompt"]').fill(prompt);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await studio.evaluate('window.beforeHiding = true');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.md' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'notes.md' }).waitFor({ timeout: 15000 });
    await page.locator('.tabs-container .tab', { hasText: 'GPT Image Studio' }).first().click();
    studio = await waitForVisibleInFrames(page, '[data-testid="mask-painter"]', 60000);
    await waitForImage(studio);
    assert.equal(await studio.evaluate('window.beforeHiding === undefined'), true, 'the page really was reloaded');
    assertSameMask(await overlayAlpha(studio), beforeUndone, 'the strokes survive the page reload');
    assert.equal(await studio.locator('[data-testid="mask-prompt"]').inputValue(), prompt, 'and so does the prompt');

    // A provider whose edit takes no mask says so in the painter, and the edit cannot be started.
    await selectChoice(studio, 'Modellix · gpt-image-2 (no mask)');
    assert.match(await studio.locator('[data-testid="mask-warning"]').innerText(), /Modellix edits with gpt-image-2 take no mask\. Choose OpenAI or Gravitex/);
    assert.equal(await studio.locator('[data-testid="mask-save-edit"]').isDisabled(), true, 'no edit without mask support');
    await context.screenshot('no-mask-provider');
    await selectChoice(studio, 'OpenAI · gpt-image-2');
    assert.equal(await studio.locator('[data-testid="mask-warning"]').isHidden(), true);
    // A double click starts one paid edit: the button is disabled from the first click until the edit ends.
    await studio.locator('[data-testid="mask-save-edit"]').dblclick();

    const maskFile = join(profile.workspace, 'sample.mask.png');
    await waitFor('sample.mask.png on disk', () => (existsSync(maskFile) ? true : undefined), 30000, 100);
    const [edited] = await waitForFiles(profile.workspace, /sample-edit-\d+\.png$/, 1, 60000);
    assert.ok(edited, 'the edit lands beside the original');
    await studio.locator('[data-testid="mask-status"]', { hasText: 'The edit finished' }).waitFor({ timeout: 30000 });
    await studio.locator('[data-testid="job"][data-phase="saved"]').first().waitFor({ timeout: 30000 });

    // The file: the image's size, alpha 0 exactly where the overlay showed paint, 255 elsewhere.
    const maskBytes = readFileSync(maskFile);
    const alpha = decodeAlpha(maskBytes);
    assert.deepEqual({ width: alpha.width, height: alpha.height }, size, 'the mask has the image’s exact size');
    assert.ok(alpha.values.every((value) => value === 0 || value === 255), 'alpha is 0 or 255 only');
    const fileMask = alpha.values.map((value) => (value === 0 ? '1' : '0')).join('');
    assertSameMask(fileMask, beforeUndone, 'transparent exactly where the painter showed paint');
    // And where the mouse went: inside the strokes (less a pixel or two of rounding) transparent,
    // under the eraser and away from every stroke opaque, the undone stroke opaque.
    const radius = brushSize / 2;
    let checked = 0;
    for (let y = 0; y < size.height; y++) {
      for (let x = 0; x < size.width; x++) {
        const toPaint = Math.min(...painted.map((segment) => distance(x + 0.5, y + 0.5, segment)));
        const toEraser = distance(x + 0.5, y + 0.5, erased);
        const transparent = fileMask[y * size.width + x] === '1';
        if (toPaint <= radius - 2 && toEraser > radius + 2) {
          assert.ok(transparent, `pixel ${x},${y} was painted`);
          checked++;
        } else if (toPaint > radius + 2 || toEraser <= radius - 2) {
          assert.ok(!transparent, `pixel ${x},${y} was not painted (or erased)`);
          checked++;
        }
      }
    }
    context.log(`mask: ${fileMask.split('1').length - 1} transparent pixels; ${checked} of ${size.width * size.height} checked against the mouse path`);

    // The fake received that file as the edit's mask, with the original as the image.
    const requests = (await fakes.requests('openai')).filter((request) => request.url.endsWith('/images/edits'));
    assert.equal(requests.length, 1, 'one edit request');
    const request = requests[0];
    assert.ok(request);
    assert.equal(request.headers.authorization, `Bearer ${e2eOpenAiKey}`);
    const boundary = boundaryOf(String(request.headers['content-type']));
    assert.ok(boundary, 'a multipart edit');
    const parts = parseMultipart(Buffer.from(request.body ?? '', 'latin1'), boundary);
    const maskPart = parts.find((part) => part.name === 'mask');
    assert.ok(maskPart, 'the request has a mask part');
    assert.ok(maskPart.data.equals(maskBytes), 'the mask part is the file on disk, byte for byte');
    assert.ok(parts.find((part) => /^image/.test(part.name))?.data.equals(originalBytes), 'the image part is the original');
    // 256x256 is below gpt-image-2's smallest size: the nearest allowed one of the same shape, and the painter said so.
    const [sentWidth, sentHeight] = (parts.find((part) => part.name === 'size')?.data.toString() ?? '').split('x').map(Number);
    assert.equal(sentWidth, sentHeight, 'a square image is edited at a square size');
    assert.match(await studio.locator('[data-testid="mask-saved"]').innerText(), new RegExp(`^Saved sample\\.mask\\.png\\. Editing with OpenAI · gpt-image-2….*nearest allowed size, ${sentWidth}x${sentHeight}\\.$`));
    assert.equal(parts.find((part) => part.name === 'prompt')?.data.toString(), prompt);
    assert.ok(readFileSync(original).equals(originalBytes), 'the original is unchanged');
    await page.locator('.tabs-container .tab', { hasText: basename(edited) }).first().waitFor({ timeout: 20000 });
    await studio.locator('[data-testid="job"][data-phase="saved"]').first().scrollIntoViewIfNeeded();
    await context.screenshot('edited-result-beside');

    // Back to the Studio, then the same image again, from its preview's title bar: the saved mask is the base layer.
    await studio.locator('[data-testid="mask-back"]').click();
    await studio.locator('[data-testid="generate"]').waitFor({ state: 'visible', timeout: 15000 });
    await waitFor('the copy of the image removed once the painter closed', () => (sourceCopies(profile.dir).length === 0 ? true : undefined), 10000);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sample.png' }).first().dblclick();
    // The group the preview opened in (the result's own preview, beside, has the same button).
    const titleButton = page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Edit in Studio"]').first();
    await titleButton.waitFor({ timeout: 20000 });
    await titleButton.hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: 'Edit in Studio' }).first().waitFor({ timeout: 5000 }).catch(() => undefined);
    await context.screenshot('preview-title-button');
    const secondOpen = Date.now();
    await titleButton.click();
    const again = await waitForVisibleInFrames(page, '[data-testid="mask-painter"]', 60000);
    await again.locator('[data-testid="mask-note"]', { hasText: 'Continuing sample.mask.png.' }).waitFor({ timeout: 15000 });
    await waitForImage(again);
    context.log(`second open (Studio open, hidden behind the preview): painter with its image ${Date.now() - secondOpen} ms after the click`);
    assertSameMask(await overlayAlpha(again), fileMask, 'the saved mask is shown again, pixel for pixel');
    assert.equal(await again.locator('[data-testid="mask-undo"]').isDisabled(), true, 'the loaded mask is the base, not an undoable stroke');
    await context.screenshot('continued');
  },
};

/** Returns when the menu item was taken. */
async function openInStudioFromExplorer(context: ScenarioContext): Promise<number> {
  const row = context.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sample.png' }).first();
  return explorerMenu(context, row, 'Edit in Studio…');
}

/** Drags the mouse along a segment given in image pixels. */
async function drag(context: ScenarioContext, studio: Frame, [x1, y1, x2, y2]: Segment, size: { width: number; height: number }): Promise<void> {
  const canvas = studio.locator('[data-testid="mask-canvas"]');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box, 'the canvas is on screen');
  const at = (x: number, y: number): [number, number] => [box.x + (x * box.width) / size.width, box.y + (y * box.height) / size.height];
  await context.page.mouse.move(...at(x1, y1));
  await context.page.mouse.down();
  await context.page.mouse.move(...at(x2, y2), { steps: 24 });
  await context.page.mouse.up();
}

async function selectChoice(studio: Frame, label: string): Promise<void> {
  await studio.locator('[data-testid="mask-provider"]').selectOption({ label });
}

/** The overlay canvas as the user sees it: "1" where paint shows, "0" elsewhere, row by row. */
async function overlayAlpha(studio: Frame): Promise<string> {
  // A string, not a function: the project compiles without DOM types and this runs in the page.
  return (await studio.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid="mask-canvas"]');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let out = '';
    for (let index = 3; index < data.length; index += 4) out += data[index] > 0 ? '1' : '0';
    return out;
  })()`)) as string;
}

async function waitForImage(studio: Frame): Promise<void> {
  await waitFor(
    'the image to load in the painter',
    async () => ((await studio.evaluate(`(() => { const img = document.querySelector('.mask-image'); return !!img && img.complete && img.naturalWidth > 0; })()`)) ? true : undefined),
    20000,
    100,
  );
}

function distance(px: number, py: number, [x1, y1, x2, y2]: Segment): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

/** Every pixel's alpha of an 8-bit RGBA PNG, decoded here (all five row filters), not by the extension's code. */
function decodeAlpha(png: Buffer): { width: number; height: number; values: number[] } {
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.deepEqual([png[24], png[25], png[28]], [8, 6, 0], '8-bit RGBA, not interlaced');
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  let previous = Buffer.alloc(stride);
  const values: number[] = [];
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const row = Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? (row[x - 4] as number) : 0;
      const up = previous[x] as number;
      const upLeft = x >= 4 ? (previous[x - 4] as number) : 0;
      const estimate = left + up - upLeft;
      const paeth = [left, up, upLeft].sort((a, b) => Math.abs(estimate - a) - Math.abs(estimate - b))[0] as number;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter] as number;
      row[x] = ((raw[y * (stride + 1) + 1 + x] as number) + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) values.push(row[x * 4 + 3] as number);
    previous = row;
  }
  return { width, height, values };
}

/** Compares two masks as "0"/"1" strings, reporting how many pixels differ rather than printing 64 KB. */
function assertSameMask(actual: string, expected: string, message: string): void {
  if (actual === expected) return;
  let differing = 0;
  for (let index = 0; index < Math.max(actual.length, expected.length); index++) if (actual[index] !== expected[index]) differing++;
  assert.fail(`${message}: ${differing} pixel(s) differ (lengths ${actual.length} and ${expected.length})`);
}

/** The painter's copies of images (`mask-source-*`) in any `studio-previews` folder of the profile. */
function sourceCopies(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((path) => /studio-previews[\\/]mask-source-/.test(path));
}
