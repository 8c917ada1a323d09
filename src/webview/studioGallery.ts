import * as vscode from 'vscode';
import { isModelId, isProviderId } from '../core/ids';
import { rerunOptions } from '../core/jobRecords';
import type { JournalRequest } from '../core/journal';
import { HistoryIndex } from '../host/history';
import { resolveInputSource } from '../host/inputSource';
import type { HistoryEntry, HistoryFileSystem } from '../host/history';
import { baseName, provenanceUri } from '../host/imageUris';
import { imageSnippet, onItsOwnLine } from './insertImage';
import type { FormPreset, HistoryAction, HistoryItemView, ReferenceView, ToWebview } from './protocol';
import type { StudioServices } from './studioServices';

/** workspace.fs behind the history's file-system port; locations are URI strings. */
export const workspaceHistoryFs: HistoryFileSystem = {
  async listFiles(dir) {
    const folder = vscode.Uri.parse(dir, true);
    const entries = await vscode.workspace.fs.readDirectory(folder);
    const files = entries.filter(([, type]) => (type & vscode.FileType.File) !== 0);
    return Promise.all(
      files.map(async ([name]) => ({ name, mtimeMs: (await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, name))).mtime })),
    );
  },
  readText: async (location) => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(location, true))),
  join: (dir, name) => vscode.Uri.joinPath(vscode.Uri.parse(dir, true), name).toString(),
};

/** Callbacks into the panel: messages to the page and thumbnails. */
export interface GalleryHooks {
  post(message: ToWebview): void;
  thumbnail(uri: vscode.Uri): string | undefined;
}

/**
 * The gallery's host side: pages of history, and the actions on an item. Items are named by ids
 * this class handed out, so the webview cannot make the host open or insert an arbitrary file.
 */
export class StudioGallery {
  private readonly index: HistoryIndex;
  private readonly items = new Map<string, HistoryEntry>();

  constructor(
    private readonly services: StudioServices,
    private readonly hooks: GalleryHooks,
    fileSystem: HistoryFileSystem = workspaceHistoryFs,
  ) {
    this.index = new HistoryIndex(fileSystem, () => services.runner.list());
  }

  async load(requestId: string, query: string, offset: number, limit: number): Promise<void> {
    const dirs = this.services.outputFolders().map((uri) => uri.toString());
    const roots = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
    const page = await this.index.page({ dirs, roots, query, offset, limit });
    const items = page.entries.map((entry) => this.view(entry));
    this.hooks.post({ type: 'history', requestId, query, offset, items, total: page.total });
  }

  async act(requestId: string, action: HistoryAction, itemId: string): Promise<void> {
    const entry = this.items.get(itemId);
    if (!entry) {
      this.hooks.post({ type: 'done', requestId, error: vscode.l10n.t('That item is no longer listed; refresh the gallery.') });
      return;
    }
    const request = entry.kind === 'job' ? entry.job.request : entry.provenance?.request;
    const provider = entry.kind === 'job' ? entry.job.provider : entry.provenance?.provider;
    const model = entry.kind === 'job' ? entry.job.model : entry.provenance?.model;
    const uri = entry.kind === 'image' ? vscode.Uri.parse(entry.location, true) : undefined;
    let info: string | undefined;
    switch (action) {
      case 'open':
      case 'reveal':
      case 'copyPath':
      case 'edit':
        if (!uri) return this.fail(requestId, vscode.l10n.t('This job has no image file.'));
        // Beside the Studio, so the panel the user is working in stays in view.
        if (action === 'open') await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
        else if (action === 'reveal') await vscode.commands.executeCommand('revealInExplorer', uri);
        else if (action === 'edit') await vscode.commands.executeCommand('gptImage.editImage', uri);
        else {
          await vscode.env.clipboard.writeText(uri.scheme === 'file' ? uri.fsPath : uri.path);
          info = vscode.l10n.t('Path copied.');
        }
        break;
      case 'delete': {
        if (!uri) return this.fail(requestId, vscode.l10n.t('This job has no image file.'));
        const problem = await this.delete(uri);
        if (problem) return this.fail(requestId, problem);
        info = vscode.l10n.t('Moved {0} and its provenance to the trash.', baseName(uri));
        break;
      }
      case 'insertMarkdown':
      case 'insertHtml': {
        if (!uri) return this.fail(requestId, vscode.l10n.t('This job has no image file.'));
        const problem = await this.insert(uri, request?.prompt ?? '', action === 'insertMarkdown' ? 'markdown' : 'html');
        if (problem) return this.fail(requestId, problem);
        info = vscode.l10n.t('Inserted into {0}.', this.targetName());
        break;
      }
      case 'regenerate':
      case 'vary':
      case 'otherProvider': {
        if (!request || !provider || !model || !isProviderId(provider) || !isModelId(model)) {
          return this.fail(requestId, vscode.l10n.t('The parameters of this image are not recorded.'));
        }
        // The Studio's form has no mask: regenerating a masked edit would send a different, unmasked paid edit.
        if (request.mask && action === 'regenerate') {
          return this.fail(requestId, vscode.l10n.t('This image is a masked edit, and the Studio cannot send masks: use "Vary" to start from its settings without the mask, or Edit Image.'));
        }
        // Every variant only loads the form: a recorded request (maybe a sidecar from a cloned
        // repository) never starts a paid job by itself; the user sees the settings and the cost first.
        const preset = this.preset(provider, model, request, action === 'otherProvider');
        this.hooks.post({ type: 'loadForm', requestId, form: preset });
        if (request.mask) info = vscode.l10n.t('Loaded without its mask (the Studio does not send masks).');
        break;
      }
    }
    this.hooks.post({ type: 'done', requestId, info });
  }

  /**
   * The image and its sidecar go to the trash together (a sidecar left behind would describe an
   * image that is gone). Where the file system has no trash (VS Code for the Web, some remotes),
   * the user is asked before anything is deleted for good. Returns the problem, if any.
   */
  private async delete(image: vscode.Uri): Promise<string | undefined> {
    const sidecar = provenanceUri(image);
    const hasSidecar = await vscode.workspace.fs.stat(sidecar).then(() => true, () => false);
    const targets = hasSidecar ? [image, sidecar] : [image];
    try {
      for (const target of targets) await vscode.workspace.fs.delete(target, { useTrash: true });
      return undefined;
    } catch (error) {
      const exists = await vscode.workspace.fs.stat(image).then(() => true, () => false);
      if (!exists) return undefined;
      const permanently = vscode.l10n.t('Delete permanently');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} cannot be moved to the trash here ({1}). Delete it and its provenance permanently?', baseName(image), error instanceof Error ? error.message : String(error)),
        { modal: true },
        permanently,
      );
      if (answer !== permanently) return vscode.l10n.t('Not deleted.');
      for (const target of targets) await vscode.workspace.fs.delete(target, { useTrash: false }).then(undefined, () => undefined);
      return undefined;
    }
  }

  private fail(requestId: string, error: string): void {
    this.hooks.post({ type: 'done', requestId, error });
  }

  private async insert(image: vscode.Uri, prompt: string, format: 'markdown' | 'html'): Promise<string | undefined> {
    const editor = this.services.lastTextEditor();
    if (!editor || editor.document.isClosed) return vscode.l10n.t('Open a text editor (for example a Markdown file) to insert into, then try again.');
    const document = editor.document.uri;
    const sameRoot = document.scheme === image.scheme && document.authority === image.authority && document.scheme !== 'untitled';
    const snippet = imageSnippet({
      format,
      imagePath: image.path,
      documentPath: sameRoot ? document.path : undefined,
      fallbackPath: vscode.workspace.asRelativePath(image, false),
      prompt,
    });
    // A WorkspaceEdit on the document, not editor.edit(): the editor object is disposed as soon as
    // the Studio covers it, but its document and last selections are still valid.
    const edit = new vscode.WorkspaceEdit();
    for (const selection of editor.selections) {
      const text = format === 'markdown' ? onItsOwnLine(snippet, lineText(editor.document, selection.start).slice(0, selection.start.character), lineText(editor.document, selection.end).slice(selection.end.character)) : snippet;
      edit.replace(document, selection, text);
    }
    const applied = await vscode.workspace.applyEdit(edit);
    return applied ? undefined : vscode.l10n.t('The editor did not accept the insertion (is it read-only?).');
  }

  /** The document insert would write into, for the confirmation message. */
  private targetName(): string {
    const editor = this.services.lastTextEditor();
    return editor ? baseName(editor.document.uri) : 'the editor';
  }

  private preset(provider: FormPreset['provider'], model: FormPreset['model'], request: JournalRequest, focusProvider: boolean): FormPreset {
    const references = request.inputImages.flatMap((input): ReferenceView[] => {
      if (input.kind === 'url') return [{ spec: { kind: 'url', url: input.url }, label: input.url }];
      const uri = resolveInputSource(input.source);
      return uri ? [{ spec: { kind: 'file', uri: uri.toString() }, label: input.source, thumbnail: this.hooks.thumbnail(uri) }] : [];
    });
    return { provider, model, ...rerunOptions(request), references, focusProvider };
  }

  /** An edit's first workspace source as a webview URI (before/after in the preview), if the page may load it. */
  private source(request: JournalRequest | undefined): string | undefined {
    const input = request?.inputImages.find((item) => item.kind === 'file');
    const uri = input?.kind === 'file' ? resolveInputSource(input.source) : undefined;
    return uri ? this.hooks.thumbnail(uri) : undefined;
  }

  private view(entry: HistoryEntry): HistoryItemView {
    if (entry.kind === 'job') {
      const id = `job:${entry.job.id}`;
      this.items.set(id, entry);
      return {
        id,
        kind: 'job',
        prompt: entry.job.request.prompt,
        provider: entry.job.provider,
        model: entry.job.model,
        size: entry.job.request.size,
        quality: entry.job.request.quality,
        createdAt: entry.job.createdAt,
        // Shown as text: "needs attention" rather than the identifier.
        label: vscode.l10n.t('Job {0}', entry.job.state === 'needsAttention' ? vscode.l10n.t('needs attention') : entry.job.state),
        state: entry.job.state === 'needsAttention' ? vscode.l10n.t('needs attention') : entry.job.state,
        error: entry.job.error?.message,
      };
    }
    this.items.set(entry.location, entry);
    const provenance = entry.provenance;
    return {
      id: entry.location,
      kind: 'image',
      prompt: provenance?.request.prompt ?? '',
      provider: provenance?.provider,
      model: provenance?.model,
      size: provenance ? (provenance.width && provenance.height ? `${provenance.width}x${provenance.height}` : provenance.request.size) : '',
      quality: provenance?.request.quality,
      createdAt: entry.time,
      thumbnail: this.hooks.thumbnail(vscode.Uri.parse(entry.location, true)),
      label: entry.fileName,
      costUsd: provenance?.costEstimateUsd,
      usage: provenance?.usage,
      before: this.source(provenance?.request),
      batch: batchOriginOf(provenance?.batch),
      durationMs: typeof provenance?.durationMs === 'number' && Number.isFinite(provenance.durationMs) && provenance.durationMs >= 0 ? provenance.durationMs : undefined,
    };
  }
}

/** A sidecar may be hand-edited or come with a cloned repository: only two short strings are shown. */
function batchOriginOf(value: unknown): HistoryItemView['batch'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const { file, entry } = value as { file?: unknown; entry?: unknown };
  if (typeof file !== 'string' || typeof entry !== 'string' || file === '' || entry === '' || file.length > 1000 || entry.length > 200) return undefined;
  return { file, entry };
}

function lineText(document: vscode.TextDocument, position: vscode.Position): string {
  return document.lineAt(position.line).text;
}
