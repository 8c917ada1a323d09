/**
 * A `name` made safe for every file system before it becomes a template: braces (template fields),
 * separators, control and reserved characters become "-"; leading dots and the extension go.
 * Returns a sentence when nothing usable is left.
 */
export function safeNameStem(name: string): { readonly stem: string } | { readonly issue: string } {
  const stem = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters never belong in a file name
    .replace(/[{}\\/:*?"<>|\u0000-\u001f\u007f]+/g, '-')
    .replace(/\.(png|jpe?g|webp)$/i, '')
    .replace(/^[.\s-]+|[.\s-]+$/g, '')
    .slice(0, 120);
  // Windows refuses these whatever the extension.
  if (stem === '' || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(stem)) return { issue: `name "${name}" cannot be used as a file name: use letters, digits, "-" or "_".` };
  return { stem };
}
