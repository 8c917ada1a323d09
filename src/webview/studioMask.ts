import * as vscode from 'vscode';
import { allCapabilities } from '../core/capabilities';
import { buildEditRequest, issuesOf } from '../core/editRequest';
import { InputError } from '../core/errors';
import { fileExtensions, readImageInfo } from '../core/imageFormat';
import type { OutputFormat } from '../core/ids';
import { createRaster, paintedCount, toRuns } from '../core/mask/maskRaster';
import type { MaskRaster } from '../core/mask/maskRaster';
import { rasterise } from '../core/mask/maskDocument';
import type { MaskOperation } from '../core/mask/maskDocument';
import { resolveEditOutput } from '../host/editOutput';
import { readInputImage } from '../host/editTargets';
import { baseName } from '../host/imageUris';
import { maskUriFor, readMaskBase, writeMaskFile } from '../host/maskFile';
import { maskEditChoices, planMaskEdit, preferredChoice } from './maskEdit';
import type { MaskEdit, MaskOpenMessage } from './maskProtocol';
import type { ToWebview } from './protocol';
import type { StudioJobs } from './studioJobs';
import type { StudioServices } from './studioServices';

interface MaskSession {
  readonly id: string;
  readonly image: vscode.Uri;
  readonly base: MaskRaster;
  /** What the page is sent (again after every reload); `operations` follows the page's drafts. */
  open: MaskOpenMessage;
  /** A copy of the image in the preview folder, when the image is outside the panel's resource roots. */
  readonly copy: vscode.Uri | undefined;
}

let sessionCount = 0;

/**
 * The host side of the mask painter (docs/architecture.md, "The mask painter"): opens an image in
 * the page, keeps the session (base layer, the page's draft) across page reloads, and on save
 * replays the page's operations with core/mask to write `<name>.mask.png`, then runs the edit with
 * that file through the Studio's jobs (the owner), after every check that can refuse it.
 */
export class StudioMask {
  private session: MaskSession | undefined;

  constructor(
    private readonly services: StudioServices,
    private readonly jobs: StudioJobs,
    private readonly post: (message: ToWebview) => void,
    private readonly thumbnail: (uri: vscode.Uri) => string | undefined,
  ) {}

  /** Opens the painter on `image`, continuing its `<name>.mask.png` when there is a usable one. */
  async open(image: vscode.Uri): Promise<void> {
    const maskUri = maskUriFor(image);
    const bytes = await vscode.workspace.fs.readFile(image);
    const info = readImageInfo(bytes);
    if (!info) throw new InputError([`${baseName(image)} is not a PNG, JPEG or WebP image.`]);
    let blank: MaskRaster;
    try {
      blank = createRaster(info.width, info.height);
    } catch (error) {
      throw new InputError([`${baseName(image)}: ${(error as Error).message}`]);
    }
    const found = await readMaskBase(maskUri, info.width, info.height);
    const base = found.raster ?? blank;
    const { src, copy } = await this.source(image, bytes, info.format);
    await this.forget();
    const choices = maskEditChoices(allCapabilities());
    const defaults = this.services.defaults();
    const id = `mask-${++sessionCount}-${Date.now().toString(36)}`;
    const open: MaskOpenMessage = {
      type: 'maskOpen',
      session: id,
      src,
      imageName: baseName(image),
      maskName: baseName(maskUri),
      width: info.width,
      height: info.height,
      baseRuns: found.raster ? toRuns(found.raster) : undefined,
      note: found.note,
      operations: [],
      choices,
      chosen: preferredChoice(choices, defaults.provider, defaults.model),
    };
    this.session = { id, image, base, open, copy };
    this.services.log.info(`Studio: mask painter opened on ${baseName(image)} (${info.width}x${info.height})${found.note ? `; ${found.note}` : ''}`);
    this.post(open);
  }

  /** Sends the open session again: the page starts afresh every time it was hidden. */
  replay(): void {
    if (this.session) this.post(this.session.open);
  }

  draft(session: string, operations: readonly MaskOperation[], prompt: string): void {
    if (this.session?.id === session) this.session.open = { ...this.session.open, operations, prompt };
  }

  async close(session: string): Promise<void> {
    if (this.session?.id === session) await this.forget();
  }

  /**
   * Writes the mask; with `edit`, runs the edit with the file just written. Every refusal (a row
   * without masks, nothing painted, an invalid request) comes before the paid request, as `done`.
   */
  async save(requestId: string, session: string, operations: readonly MaskOperation[], edit: MaskEdit | undefined): Promise<void> {
    const current = this.session;
    if (!current || current.id !== session) {
      this.post({ type: 'done', requestId, error: vscode.l10n.t('This mask belongs to an image that is no longer open in the painter: open it again with "Edit in Studio…".') });
      return;
    }
    const raster = rasterise(current.base, operations);
    const painted = paintedCount(raster);
    const plan = edit ? planMaskEdit(edit, raster, painted, allCapabilities()) : undefined;
    if (plan && !plan.ok) {
      this.post({ type: 'done', requestId, error: plan.error });
      return;
    }
    current.open = { ...current.open, operations };
    const written = await writeMaskFile(current.image, raster);
    this.services.log.info(`Studio: saved ${baseName(written.uri)} (${painted} of ${raster.width * raster.height} pixels may change).`);
    const saved = vscode.l10n.t('Saved {0}.', baseName(written.uri));
    if (!edit || !plan?.ok) {
      this.post({ type: 'done', requestId, info: saved });
      return;
    }
    const label = current.open.choices.find((choice) => choice.provider === edit.provider && choice.model === edit.model)?.label ?? edit.provider;
    this.post({ type: 'maskSaved', requestId, text: `${saved} ${vscode.l10n.t('Editing with {0}…', label)}${plan.note ? ` ${plan.note}` : ''}` });
    const image = current.image;
    const end = await this.jobs.start(requestId, async () => {
      const input = await readInputImage(image);
      // The file on disk, read back: what the provider gets is exactly what was saved.
      const mask = await readInputImage(written.uri);
      const request = {
        ...buildEditRequest({ provider: edit.provider, model: edit.model, prompt: edit.prompt, size: plan.size, quality: plan.quality }, [input], mask),
        partialImages: this.services.partialImages?.() ?? 0,
      };
      const issues = issuesOf(request);
      if (issues.length > 0) throw new InputError(issues);
      const output = await resolveEditOutput(image, 1);
      if (!output) throw new InputError([vscode.l10n.t('No output folder was chosen; the mask is saved, nothing was sent.')]);
      return { request, output };
    });
    // The result beside the Studio, as Edit Image… opens it beside the original: to compare.
    const result = end?.result?.files[0];
    if (result) {
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(result, true), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true }).then(undefined, () => undefined);
    }
  }

  async dispose(): Promise<void> {
    await this.forget();
  }

  /** The image for `<img src>`: its own webview URI inside the roots, else a copy in the preview folder. */
  private async source(image: vscode.Uri, bytes: Uint8Array, format: OutputFormat): Promise<{ src: string; copy: vscode.Uri | undefined }> {
    const own = this.thumbnail(image);
    if (own !== undefined) return { src: own, copy: undefined };
    const previews = this.services.previews;
    const copy = previews ? await previews.write(`mask-source-${Date.now().toString(36)}.${fileExtensions[format]}`, bytes) : undefined;
    const src = copy ? this.thumbnail(copy) : undefined;
    if (!copy || src === undefined) throw new Error(vscode.l10n.t('The Studio cannot show {0}: it is outside the folders the panel may read.', baseName(image)));
    return { src, copy };
  }

  private async forget(): Promise<void> {
    const copy = this.session?.copy;
    this.session = undefined;
    if (copy) await this.services.previews?.remove(copy);
  }
}

