/**
 * How a journaled or provenance input `source` is read back, without `vscode` so it can be tested.
 * Sources come in three forms, all still found in records: a full URI (`file:///…`,
 * `vscode-remote://…`: Edit Image and the Studio write these for anything outside the first
 * workspace folder), an absolute path (older records, the CLI), or a path relative to a workspace
 * folder (the first one, or in older Studio records one named by a leading `<folder name>/`).
 */
export type ParsedInputSource =
  | { readonly kind: 'uri'; readonly uri: string }
  | { readonly kind: 'absolute'; readonly path: string }
  | { readonly kind: 'relative'; readonly folderIndex: number; readonly segments: readonly string[] };

const windowsDrive = /^[a-zA-Z]:[\\/]/;

/**
 * Undefined when a relative source has no folder to resolve against, or climbs out of its folder
 * with `..` (a sidecar from a cloned repository is not trusted to name files elsewhere).
 */
export function parseInputSource(source: string, folderNames: readonly string[]): ParsedInputSource | undefined {
  if (/^[a-zA-Z][\w+.-]+:/.test(source) && !windowsDrive.test(source)) return { kind: 'uri', uri: source };
  if (source.startsWith('/') || windowsDrive.test(source)) return { kind: 'absolute', path: source };
  const segments = source.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.includes('..') || folderNames.length === 0) return undefined;
  const [first, ...rest] = segments;
  const named = folderNames.length > 1 && rest.length > 0 ? folderNames.indexOf(first ?? '') : -1;
  return named >= 0 ? { kind: 'relative', folderIndex: named, segments: rest } : { kind: 'relative', folderIndex: 0, segments };
}
