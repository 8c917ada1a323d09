import { lstat, realpath } from 'node:fs/promises';
import * as nativePath from 'node:path';
import { posix } from 'node:path';
import { t } from './l10nText';

/**
 * Where images go, as a path relative to a workspace folder. The setting may be relative
 * (`images`, `assets/generated`) or absolute but inside the folder; anything that would leave the
 * folder (`../x`, `/tmp`, `~/x`) is refused, so generated files never land outside the workspace.
 * Editor-free so it is tested in plain Node.
 */
export const defaultOutputFolder = 'images';

export type OutputFolderRule = { readonly ok: true; readonly relativePath: string } | { readonly ok: false; readonly error: string };

/**
 * @param setting the `gptImage.outputFolder` value
 * @param folderPath the workspace folder URI's path (`/home/me/project`, `/c:/Users/me/project`)
 * @returns the folder-relative POSIX path ('' for the folder itself), or why it is refused
 */
export function outputFolderRelativePath(setting: unknown, folderPath: string): OutputFolderRule {
  const raw = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : defaultOutputFolder;
  const value = raw.replace(/\\/g, '/');
  const outside = t('The output folder "{0}" (setting gptImage.outputFolder) is outside the workspace folder; use a path inside it, such as "images".', raw);
  if (value.startsWith('~')) return { ok: false, error: outside };
  if (isAbsolute(value)) {
    const target = normalizeAbsolute(value);
    const root = normalizeAbsolute(folderPath);
    if (sameRoot(target, root)) return { ok: true, relativePath: '' };
    const prefix = root.endsWith('/') ? root : `${root}/`;
    if (!startsWithPath(target, prefix)) return { ok: false, error: outside };
    return { ok: true, relativePath: target.slice(prefix.length).replace(/\/+$/, '') };
  }
  if (/^[a-zA-Z]:/.test(value)) return { ok: false, error: outside };
  const relative = posix.normalize(value).replace(/\/+$/, '');
  if (relative === '..' || relative.startsWith('../')) return { ok: false, error: outside };
  return { ok: true, relativePath: relative === '.' ? '' : relative };
}

function isAbsolute(value: string): boolean {
  return value.startsWith('/') || /^[a-zA-Z]:\//.test(value);
}

/** `C:/x` and `/C:/x` (a file URI's path) become `/c:/x`; `.` and `..` are resolved. */
function normalizeAbsolute(value: string): string {
  const withSlash = /^[a-zA-Z]:\//.test(value) ? `/${value}` : value;
  const drive = /^\/([a-zA-Z]):\//.exec(withSlash);
  const lowered = drive ? `/${(drive[1] as string).toLowerCase()}:${withSlash.slice(3)}` : withSlash;
  const normalized = posix.normalize(lowered);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

/** Windows drive paths compare case-insensitively; POSIX paths exactly. */
function isWindowsPath(value: string): boolean {
  return /^\/[a-z]:/.test(value);
}

function sameRoot(target: string, root: string): boolean {
  return isWindowsPath(root) ? target.toLowerCase() === root.toLowerCase() : target === root;
}

function startsWithPath(target: string, prefix: string): boolean {
  return isWindowsPath(prefix) ? target.toLowerCase().startsWith(prefix.toLowerCase()) : target.startsWith(prefix);
}

/**
 * The lexical rule above cannot see symbolic links: a committed `images -> /tmp/elsewhere`, or an
 * `assets` folder linked out of the workspace, passes it. These rules check where writes really
 * land, before any paid request (host/outputFolder.ts applies them to the output folder, its
 * `.gpt-image` sidecar folder and an edit's folder beside the original).
 */

/** What one path is on disk. A link whose target is missing is neither: writing through it would create its target. */
export type PathState = { readonly kind: 'real'; readonly path: string } | { readonly kind: 'missing' } | { readonly kind: 'danglingLink' };

/** `PathState` from node:fs: the real path (every link resolved), or why there is none. */
export async function nodePathState(path: string): Promise<PathState> {
  try {
    return { kind: 'real', path: await realpath(path) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await lstat(path);
    return { kind: 'danglingLink' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'missing' };
    throw error;
  }
}

export type RealLocation =
  | { readonly inside: true; readonly realPath: string }
  | { readonly inside: false; readonly realPath: string; readonly danglingLink: boolean };

/**
 * Where `target` (lexically inside `root`, maybe not created yet) really is: the real path of its
 * deepest existing ancestor plus the missing rest, compared with the real path of `root`.
 * `paths` is node:path for the platform (win32 compares drive paths case-insensitively).
 */
export async function realLocation(
  root: string,
  target: string,
  lookup: (path: string) => Promise<PathState>,
  paths: Pick<typeof nativePath, 'dirname' | 'basename' | 'join' | 'relative' | 'isAbsolute' | 'sep'> = nativePath,
): Promise<RealLocation> {
  const rootState = await lookup(root);
  const realRoot = rootState.kind === 'real' ? rootState.path : root;
  const missing: string[] = [];
  let current = target;
  let realPath = target;
  for (;;) {
    const state = await lookup(current);
    if (state.kind === 'danglingLink') return { inside: false, realPath: current, danglingLink: true };
    if (state.kind === 'real') {
      realPath = paths.join(state.path, ...missing.reverse());
      break;
    }
    const parent = paths.dirname(current);
    if (parent === current) break;
    missing.push(paths.basename(current));
    current = parent;
  }
  const relative = paths.relative(realRoot, realPath);
  const inside = relative === '' || (relative !== '..' && !relative.startsWith(`..${paths.sep}`) && !paths.isAbsolute(relative));
  return inside ? { inside: true, realPath } : { inside: false, realPath, danglingLink: false };
}

/**
 * For file systems that cannot resolve a link (workspace.fs has no realpath: remote and virtual
 * workspaces): the first of `segments` (relative to the workspace folder) whose prefix is a
 * symbolic link, as a relative path, or undefined when none is. `isLink` answers for a prefix
 * length: true, false, or undefined when that path does not exist (nothing below it exists either).
 */
export async function firstLinkedSegment(segments: readonly string[], isLink: (prefix: readonly string[]) => Promise<boolean | undefined>): Promise<string | undefined> {
  for (let length = 1; length <= segments.length; length++) {
    const prefix = segments.slice(0, length);
    const link = await isLink(prefix);
    if (link === undefined) return undefined;
    if (link) return prefix.join('/');
  }
  return undefined;
}

/** The sentence for a write location that a link sends outside the workspace folder. */
export function outsideThroughLinkError(what: string, location: RealLocation & { inside: false }, folderName: string, advice: string): string {
  return location.danglingLink
    ? t('{0} goes through {1}, a symbolic link whose target does not exist. Images and their sidecars are only written inside the workspace; {2}', what, location.realPath, advice)
    : t('{0} resolves to {1}, outside the workspace folder "{2}" (through a symbolic link). Images and their sidecars are only written inside the workspace; {3}', what, location.realPath, folderName, advice);
}
