/**
 * Where "Generate Image from Selection" puts the image link in a Markdown file: on its own
 * paragraph below the selection's last line (editor-free, tested in plain Node).
 */
export interface BelowSelection {
  /** 0-based line the text is inserted at the end of (the selection's last line). */
  readonly line: number;
  readonly text: string;
}

/**
 * @param lastLine the selection's last line (0-based); a selection ending at column 0 of a line
 *   ends on the line before it, since nothing of that line is selected
 * @param endCharacter the selection's end column
 * @param nextLine the text of the line after it, or undefined at the end of the document
 */
export function belowSelection(snippets: readonly string[], lastLine: number, endCharacter: number, nextLine: (line: number) => string | undefined): BelowSelection {
  const line = endCharacter === 0 && lastLine > 0 ? lastLine - 1 : lastLine;
  const following = nextLine(line + 1);
  // A blank line before the image makes it a paragraph of its own; one after keeps it off the next text.
  const after = following !== undefined && following.trim() !== '' ? '\n' : '';
  return { line, text: `\n\n${snippets.join('\n\n')}${after}` };
}
