import * as vscode from 'vscode';
import { InputError } from '../core/errors';
import type { InputImage } from '../core/request';
import { inputSource } from '../host/editTargets';
import { baseName } from '../host/imageUris';
import type { ReferenceSpec, ReferenceView } from './protocol';
import { hasNoDotSegments } from './uriPath';

/** Extensions a reference image may have; the bytes are sniffed again by request validation. */
const imageExtensions = /\.(png|jpe?g|webp)$/i;

/**
 * Reference images for the Studio. URIs come from the webview, which is a trust boundary: a file is
 * accepted only if it is an image inside an open workspace folder, so a compromised page cannot
 * make the host read (and upload) arbitrary files.
 */
export class StudioReferences {
  constructor(private readonly thumbnail: (uri: vscode.Uri) => string | undefined) {}

  /** Opens a file picker on the workspace; returns what the user chose, as views for the webview. */
  async pick(): Promise<ReferenceView[]> {
    const chosen = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: vscode.l10n.t('Add reference images'),
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { Images: ['png', 'jpg', 'jpeg', 'webp'] },
    });
    return (chosen ?? []).flatMap((uri) => {
      const view = this.viewOf(uri);
      return view ? [view] : [];
    });
  }

  /** URIs dropped from the Explorer; returns accepted views and one message about the rest. */
  drop(uris: readonly string[]): { references: ReferenceView[]; rejected: string | undefined } {
    const references: ReferenceView[] = [];
    const rejected: string[] = [];
    for (const text of uris) {
      const uri = parseUri(text);
      const view = uri ? this.viewOf(uri) : undefined;
      if (view) references.push(view);
      else rejected.push(uri ? vscode.workspace.asRelativePath(uri) : text);
    }
    const message =
      rejected.length === 0 ? undefined : vscode.l10n.t('Only PNG, JPEG or WebP files from this workspace can be references: {0}.', rejected.join(', '));
    return { references, rejected: message };
  }

  /** Reads the references for a request; throws InputError for anything the webview should not have sent. */
  async resolve(specs: readonly ReferenceSpec[]): Promise<InputImage[]> {
    const images: InputImage[] = [];
    for (const spec of specs) {
      if (spec.kind === 'url') {
        images.push({ kind: 'url', url: spec.url.trim() });
        continue;
      }
      const uri = parseUri(spec.uri);
      if (!uri || !isWorkspaceImage(uri)) throw new InputError([`${spec.uri} is not an image in this workspace.`]);
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch {
        throw new InputError([vscode.l10n.t('Cannot read the reference image {0}.', vscode.workspace.asRelativePath(uri))]);
      }
      // The same encoding as Edit Image, so Resubmit and the gallery read it back alike (multi-root too).
      images.push({ kind: 'file', source: inputSource(uri), fileName: baseName(uri), bytes });
    }
    return images;
  }

  viewOf(uri: vscode.Uri): ReferenceView | undefined {
    if (!isWorkspaceImage(uri)) return undefined;
    return { spec: { kind: 'file', uri: uri.toString() }, label: baseName(uri), thumbnail: this.thumbnail(uri) };
  }
}

export function isWorkspaceImage(uri: vscode.Uri): boolean {
  return imageExtensions.test(uri.path) && hasNoDotSegments(uri.path) && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

function parseUri(text: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(text.trim(), true);
    return uri.scheme === 'http' || uri.scheme === 'https' || uri.scheme === 'data' ? undefined : uri;
  } catch {
    return undefined;
  }
}
