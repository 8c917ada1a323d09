/**
 * The Studio page's translations: the host sends `vscode.l10n.bundle` in `init` (undefined in
 * English) and the page looks its strings up here, the way `vscode.l10n.t` does on the host. A copy
 * of host/l10nText.ts because the page may not import host/ (docs/architecture.md, "Layers").
 * scripts/l10nBundle.mjs finds every `t('…')`.
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
