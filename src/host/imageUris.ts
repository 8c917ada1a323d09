import * as vscode from 'vscode';
import { provenanceFileName, provenanceFolderName } from '../core/provenance';

/** The last path segment of a URI: the file name a user sees. */
export function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Where the provenance sidecar of a written image lives (core/provenance.ts): the writer and the Studio agree on it here. */
export function provenanceUri(image: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(image, '..', provenanceFolderName, provenanceFileName(baseName(image)));
}
