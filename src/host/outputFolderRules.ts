import { posix } from 'node:path';

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
  const outside = `The output folder "${raw}" (setting gptImage.outputFolder) is outside the workspace folder; use a path inside it, such as "images".`;
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
