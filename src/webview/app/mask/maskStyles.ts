/**
 * The painter's styles, adopted by the document when it mounts, so any Studio page can mount it
 * without its own stylesheet knowing the painter. Only VS Code's theme variables: light, dark and
 * high-contrast themes apply; `forced-colors` gets system colours.
 */
const css = `
.mask-painter { display: flex; flex-direction: column; gap: 8px; margin: 8px 0 16px; }
.mask-heading { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; }
.mask-heading h2 { margin: 8px 0 0; }
.mask-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.mask-toolbar button[aria-pressed='true'] {
  color: var(--vscode-button-foreground);
  background: var(--vscode-button-background);
  outline: 1px solid var(--vscode-contrastActiveBorder, transparent);
}
.mask-size { display: inline-flex; align-items: center; gap: 6px; margin: 0 6px; }
.mask-size output { min-width: 4.5em; font-variant-numeric: tabular-nums; }
.mask-stage { position: relative; display: block; align-self: flex-start; line-height: 0;
  border: 1px solid var(--vscode-contrastBorder, var(--vscode-panel-border, transparent)); touch-action: none; }
.mask-image { display: block; width: 100%; height: auto; user-select: none; image-rendering: pixelated; }
.mask-canvas { position: absolute; inset: 0; width: 100%; height: 100%; cursor: crosshair; }
.mask-cursor { position: absolute; pointer-events: none; border-radius: 50%; box-sizing: border-box;
  border: 1px solid var(--vscode-editor-foreground); box-shadow: 0 0 0 1px var(--vscode-editor-background); }
.mask-cursor.eraser { border-style: dashed; }
.mask-cursor[hidden] { display: none; }
.mask-painted { margin: 0; color: var(--vscode-descriptionForeground); }
.mask-form { display: flex; flex-direction: column; gap: 4px; max-width: 48em; }
.mask-form select { align-self: flex-start; }
.mask-warning { margin: 2px 0; color: var(--vscode-editorWarning-foreground); }
.mask-warning::before { content: '⚠ '; }
.mask-warning[hidden] { display: none; }
@media (forced-colors: active) {
  .mask-toolbar button[aria-pressed='true'] { forced-color-adjust: none; background: Highlight; color: HighlightText; }
  .mask-cursor { border-color: CanvasText; }
}
`;

let adopted = false;

export function adoptMaskStyles(): void {
  if (adopted) return;
  adopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
