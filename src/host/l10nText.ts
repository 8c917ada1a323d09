/**
 * The extension's translations for modules that cannot import `vscode` (they run in plain Node
 * tests): the same lookup as `vscode.l10n.t`, over the bundle VS Code loaded for the display
 * language (`vscode.l10n.bundle`), which each entry point hands over once at activation. Without a
 * bundle (English, tests) the English key is the text. scripts/l10nBundle.mjs finds every `t('…')`.
 */
let bundle: Readonly<Record<string, string>> | undefined;

export function setL10nBundle(next: Readonly<Record<string, string>> | undefined): void {
  bundle = next;
}

/** The translation of `message` with `{0}`, `{1}`… replaced by `args`. */
export function t(message: string, ...args: ReadonlyArray<string | number>): string {
  const text = bundle?.[message] ?? message;
  return text.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}
