import * as vscode from 'vscode';
import { allCapabilities } from '../core/capabilities';
import { parseToHost } from './protocol';
import { scrubStrings } from './scrubMessage';
import type { ToHost, ToWebview } from './protocol';
import { StudioGallery } from './studioGallery';
import { StudioJobs } from './studioJobs';
import { StudioMask } from './studioMask';
import { StudioReferences } from './studioReferences';
import { refreshStudioRoots } from './studioShell';
import type { StudioServices } from './studioServices';
import { setL10nBundle } from './l10nText';

/**
 * The Studio webview panel: one per window, revealed if already open. It keeps no context while
 * hidden (no retainContextWhenHidden): the page saves its state with setState and asks again
 * with `ready`, which is also how a restored panel (serializer.ts) comes back after a reload.
 */
/** How long the panel waits after a job saved before it tells the page (more may save meanwhile). */
const galleryChangeDelayMs = 300;

export class StudioPanel {
  private static current: StudioPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly jobs: StudioJobs;
  private readonly gallery: StudioGallery;
  private readonly references: StudioReferences;
  private readonly mask: StudioMask;
  /** When the engine took the panel over, for the time-to-interactive line in the log. */
  private readonly adoptedAt = Date.now();
  private readyCount = 0;

  /**
   * Takes over a panel whose page extension.ts already loaded (studioShell.ts): a new one from
   * "Open Studio", or one VS Code restored after a reload. One Studio per window.
   */
  static adopt(panel: vscode.WebviewPanel, services: StudioServices): StudioPanel {
    if (StudioPanel.current?.panel !== panel) StudioPanel.current?.panel.dispose();
    StudioPanel.current = new StudioPanel(panel, services);
    return StudioPanel.current;
  }

  /** The window's Studio once the engine adopted it ("Edit in Studio…" opens the mask painter there). */
  static adopted(): StudioPanel | undefined {
    return StudioPanel.current;
  }

  /** Switches the page to the mask painter on `image` (webview/studioMask.ts) and brings the panel forward. */
  async openMask(image: vscode.Uri): Promise<void> {
    this.panel.reveal();
    await this.mask.open(image);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: StudioServices,
  ) {
    // The editor-free modules shared with the page (maskEdit.ts, formModel.ts…) say their host-side sentences in the same language.
    setL10nBundle(vscode.l10n.bundle);
    const webview = panel.webview;
    // Options and HTML were set by studioShell.ts; options are set again only when the thumbnail roots change (it reloads the page).
    const thumbnail = (uri: vscode.Uri): string | undefined => (this.inRoots(uri) ? webview.asWebviewUri(uri).toString() : undefined);
    const post = (message: ToWebview): void => this.post(message);
    this.references = new StudioReferences(thumbnail);
    this.jobs = new StudioJobs(services, this.references, post, thumbnail);
    this.gallery = new StudioGallery(services, { post, thumbnail });
    this.mask = new StudioMask(services, this.jobs, post, thumbnail);
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (panel.visible) void this.sendKeys();
      }),
      panel.onDidDispose(() => this.dispose()),
      ...(services.onKeysChanged ? [services.onKeysChanged(() => void this.sendKeys())] : []),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('gptImage.outputFolder')) refreshStudioRoots(webview, services.extensionUri, services.storageUri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => refreshStudioRoots(webview, services.extensionUri, services.storageUri)),
      this.followSavedJobs(),
    );
  }

  /**
   * Any job of the window that saves images (Run Image Batch, Generate, a Copilot tool) changes the
   * gallery: the page is told once the burst settles, so a batch of entries reloads it once or twice, not per image.
   */
  private followSavedJobs(): vscode.Disposable {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    const changed = (): void => {
      if (disposed || timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (!disposed) this.post({ type: 'galleryChanged' });
      }, galleryChangeDelayMs);
    };
    const started = this.services.owner.onDidStart((handle) => {
      const ended = handle.onEnded((end) => {
        ended.dispose();
        if (end.result && end.result.files.length > 0) changed();
      });
    });
    return {
      dispose: () => {
        disposed = true;
        started.dispose();
        if (timer !== undefined) clearTimeout(timer);
      },
    };
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseToHost(raw);
    if (!parsed.ok) {
      // The page is a trust boundary: log what arrived (type only, never the body) and carry on.
      const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw;
      this.services.log.warn(`Studio: ignored a malformed message (${type}): ${parsed.reason}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.services.log.error(`Studio: ${parsed.message.type} failed: ${message}`);
      if ('requestId' in parsed.message) this.post({ type: 'done', requestId: parsed.message.requestId, error: message });
    }
  }

  private async handle(message: ToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.sendInit();
      case 'generate':
        return this.jobs.generate(message.requestId, message.form);
      case 'cancel':
        return this.jobs.cancel(message.requestId, message.jobId);
      case 'setKey':
        await vscode.commands.executeCommand('gptImage.setApiKey', message.provider);
        await this.sendKeys();
        return this.post({ type: 'done', requestId: message.requestId });
      case 'pickReferences':
        return this.post({ type: 'references', requestId: message.requestId, references: await this.references.pick() });
      case 'dropReferences': {
        const { references, rejected } = this.references.drop(message.uris);
        this.post({ type: 'references', requestId: message.requestId, references });
        if (rejected) this.post({ type: 'done', requestId: message.requestId, error: rejected });
        return;
      }
      case 'loadHistory':
        return this.gallery.load(message.requestId, message.query, message.offset, message.limit);
      case 'historyAction':
        return this.gallery.act(message.requestId, message.action, message.itemId);
      case 'log':
        this.services.log[message.level](`Studio webview: ${message.message}`);
        return;
      case 'maskSave':
        return this.mask.save(message.requestId, message.session, message.operations, message.edit);
      case 'maskDraft':
        return this.mask.draft(message.session, message.operations, message.prompt);
      case 'maskClose':
        return this.mask.close(message.session);
    }
  }

  private async sendInit(): Promise<void> {
    const readyAfter = Date.now() - this.adoptedAt;
    const keys = await this.services.keyStatus();
    this.post({
      type: 'init',
      capabilities: allCapabilities(),
      keys,
      pricing: this.services.tokenRates(),
      defaults: this.services.defaults(),
      hasWorkspace: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
      l10n: vscode.l10n.bundle,
    });
    this.jobs.replay();
    this.mask.replay();
    // The page says `ready` again every time it is shown (no retained context); the first is the open.
    if (this.readyCount++ === 0) {
      this.services.log.info(`Studio: page ready ${readyAfter} ms after the engine took the panel over, init sent at ${Date.now() - this.adoptedAt} ms.`);
    }
  }

  private async sendKeys(): Promise<void> {
    this.post({ type: 'keys', keys: await this.services.keyStatus() });
  }

  private post(message: ToWebview): void {
    // A message to a disposed or hidden page is dropped; the page asks again with `ready`.
    void this.panel.webview.postMessage(scrubStrings(message, this.services.scrub)).then(undefined, () => undefined);
  }

  private inRoots(uri: vscode.Uri): boolean {
    const previews = this.services.previews?.folder;
    // Workspace folders too: an edit's source (before/after) may sit anywhere in the workspace.
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri);
    return [...this.services.outputFolders(), ...folders].some((root) => isInside(uri, root)) || (previews !== undefined && isInside(uri, previews));
  }

  private dispose(): void {
    if (StudioPanel.current === this) StudioPanel.current = undefined;
    this.jobs.dispose();
    void this.mask.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function isInside(uri: vscode.Uri, root: vscode.Uri): boolean {
  if (uri.scheme !== root.scheme || uri.authority !== root.authority) return false;
  const prefix = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path.startsWith(prefix);
}
