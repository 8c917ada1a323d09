import * as vscode from 'vscode';
import type { JobResult } from '../core/runner';
import { resolveOutputTarget } from '../host/outputFolder';
import { fileLabel } from '../host/results';
import { belowSelection } from '../host/selectionInsert';
import type { Services } from '../host/services';
import { imageSnippet } from '../webview/insertImage';
import { generate } from './generate';

/**
 * `Generate Image from Selection`: the selected text is the prompt (the prompt box is skipped; the
 * provider, size and quality are asked as usual). In a Markdown file the image link goes below the
 * selection once the image is saved, instead of the image opening in a tab.
 */
export function createGenerateFromSelectionCommand(services: Services): () => Promise<JobResult | undefined> {
  return async () => {
    const editor = vscode.window.activeTextEditor;
    const prompt = editor?.document.getText(editor.selection).trim() ?? '';
    if (!editor || prompt === '') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select the text that describes the image first: it becomes the prompt.'));
      return undefined;
    }
    const document = editor.document;
    const selection = editor.selection;
    const markdown = document.languageId === 'markdown';
    const target = await resolveOutputTarget(document.uri);
    if (!target) return undefined;
    const result = await generate(services, { target, prompt, title: vscode.l10n.t('Generate Image from Selection'), openMode: markdown ? 'none' : undefined });
    if (!result || !markdown || document.isClosed) return result;
    const snippets = result.files.map((file) =>
      imageSnippet({
        format: 'markdown',
        imagePath: vscode.Uri.parse(file, true).path,
        documentPath: document.isUntitled ? undefined : document.uri.path,
        fallbackPath: fileLabel(file),
        prompt,
      }),
    );
    const place = belowSelection(snippets, selection.end.line, selection.end.character, (line) => (line < document.lineCount ? document.lineAt(line).text : undefined));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.lineAt(place.line).range.end, place.text);
    // A WorkspaceEdit, not editor.edit: the editor may have lost focus (or its tab) while the job ran.
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The image was saved ({0}), but its link could not be inserted into {1}.', fileLabel(result.files[0] ?? ''), fileLabel(document.uri.toString())));
      return result;
    }
    // Text inserted at the selection's end would otherwise widen the selection over the new link.
    const shown = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
    if (shown) shown.selection = selection;
    return result;
  };
}
