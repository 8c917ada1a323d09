import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: tests compile to out/test/unit/commands/, four levels below it. */
export const repoRoot = join(__dirname, '..', '..', '..', '..');

/** The manifest's translations besides the English in package.nls.json (`package.nls.<locale>.json`). */
export const manifestLocales = ['zh-cn', 'ja'] as const;

export type ManifestLocale = (typeof manifestLocales)[number];

/** A whole-string `%key%` reference, in the key syntax both vsce and VS Code accept (no hyphens). */
export const placeholderPattern = /^%([\w.]+)%$/;

/** package.json exactly as written, its user-facing strings still `%key%` references. */
export function readRawManifest(): unknown {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as unknown;
}

/** package.nls.json (English), or the translation for one locale. */
export function readManifestMessages(locale?: ManifestLocale): Readonly<Record<string, string>> {
  const file = locale === undefined ? 'package.nls.json' : `package.nls.${locale}.json`;
  return JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as Record<string, string>;
}

/**
 * Replaces every `%key%` string anywhere in the manifest by its message, as VS Code does when it
 * loads an extension (and vsce when it packages one); a key without a message throws.
 */
export function resolveManifest(manifest: unknown, messages: Readonly<Record<string, string>>): unknown {
  if (typeof manifest === 'string') {
    const key = placeholderPattern.exec(manifest)?.[1];
    if (key === undefined) return manifest;
    const message = messages[key];
    if (message === undefined) throw new Error(`package.json refers to ${manifest}, which has no message`);
    return message;
  }
  if (Array.isArray(manifest)) return manifest.map((entry: unknown) => resolveManifest(entry, messages));
  if (manifest !== null && typeof manifest === 'object') {
    return Object.fromEntries(Object.entries(manifest).map(([key, value]) => [key, resolveManifest(value, messages)]));
  }
  return manifest;
}

/** package.json as VS Code shows it in English, or in one locale (no English fallback: a gap throws). */
export function readManifest<T>(locale?: ManifestLocale): T {
  return resolveManifest(readRawManifest(), readManifestMessages(locale)) as T;
}
