import type { ModelId, ProviderId } from './ids';
import { provenanceSuffix } from './provenance';

export const defaultFileNameTemplate = '{date}-{slug}-{index}';

export interface NameFields {
  readonly prompt: string;
  readonly provider: ProviderId;
  readonly model: ModelId;
  /** 1-based image number within the request. */
  readonly index: number;
  /** Without the dot: png, jpg, webp. */
  readonly extension: string;
  readonly date: Date;
  /** For edits: the source file's name without its extension. */
  readonly sourceName?: string | undefined;
}

const maxSlugLength = 48;

/** Lower-case ASCII words from the prompt, joined by hyphens, cut at a word boundary. */
export function slugify(text: string, maxLength = maxSlugLength): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > maxLength) break;
    slug = next;
  }
  return slug || (words[0] ?? '').slice(0, maxLength) || 'image';
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * The most bytes one path component may have: ext4, btrfs, XFS, APFS and ZFS count 255 bytes of
 * UTF-8; NTFS counts 255 UTF-16 units, which a name within 255 UTF-8 bytes never exceeds.
 */
export const maxNameBytes = 255;

/** UTF-8 bytes of one code point; a lone surrogate is written as U+FFFD (3 bytes). */
function utf8Bytes(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) bytes += utf8Bytes(char.codePointAt(0) ?? 0);
  return bytes;
}

/**
 * The longest prefix of `text` within `maxBytes` of UTF-8, cut between code points: iterating a
 * string yields whole code points, so a surrogate pair (an emoji, a rare CJK ideograph) is kept or
 * dropped whole and the result is always valid UTF-8.
 */
export function cutToUtf8Bytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += utf8Bytes(char.codePointAt(0) ?? 0);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** How far `name-N.ext` counts before giving up (a folder that full is a mistake). */
export const maxNumberedNames = 10_000;

/**
 * What writers append to an image name we made, all of which must still fit in `maxNameBytes`:
 * the numbered variant `-9999` (`-${maxNumberedNames}` reserved) and the sidecar's `.json`.
 * Temporary files use `temporaryName`, which does not grow with the name.
 */
const reservedSuffixBytes = `-${maxNumberedNames}`.length + provenanceSuffix.length;

/**
 * `{name}` (an edit's source file name) is cut to this many bytes, always the same way, so the
 * edit numbering (core/editDefaults.ts) finds earlier edits of a long-named file by the same
 * prefix, and `-edit-<n>-<index>` after it still fits.
 */
export const maxSourceNameBytes = 200;

/** The `{name}` value for `sourceName`: cut to `maxSourceNameBytes` on a character boundary. */
export function sourceNameField(sourceName: string): string {
  return cutToUtf8Bytes(sourceName, maxSourceNameBytes);
}

/** Leading dots (hidden files), separators and trailing dots or spaces (Windows drops them) go. */
function trimName(stem: string): string {
  return stem.replace(/^[.\s-]+|[.\s]+$/g, '');
}

/**
 * Fills a template: {date} (YYYY-MM-DD), {time} (HHmmss), {slug}, {index}, {provider}, {model},
 * {name} (edit source). The extension is added by the caller's format, never by the template,
 * so a template cannot produce a misleading one. Path separators are not allowed in the result.
 * The name leaves room for every suffix a writer adds (numbering, the sidecar's `.json`) within
 * `maxNameBytes`: a longer stem is cut on a character boundary.
 */
export function renderFileName(template: string, fields: NameFields): string {
  const date = fields.date;
  const values: Record<string, string> = {
    date: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    time: `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`,
    slug: slugify(fields.prompt),
    index: String(fields.index),
    provider: fields.provider,
    model: fields.model,
    name: fields.sourceName !== undefined ? sourceNameField(fields.sourceName) : slugify(fields.prompt),
  };
  const stem = trimName(
    (template.trim() || defaultFileNameTemplate)
      .replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
      .replace(/\.(png|jpe?g|webp|\{ext\})$/i, '')
      // eslint-disable-next-line no-control-regex -- control characters never belong in a file name
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-'),
  );
  const extension = `.${fields.extension}`;
  const fitted = trimName(cutToUtf8Bytes(stem, maxNameBytes - reservedSuffixBytes - utf8Length(extension)));
  return `${fitted || 'image'}${extension}`;
}

/**
 * A temporary file's name, for writing before a rename: short and independent of the final name,
 * so a name at the length limit still has a temporary one. Hidden (leading dot).
 */
export function temporaryName(random: string): string {
  return `.gpt-image-${random}.tmp`;
}

/** Whether a directory entry is one of our temporary files (left behind only by a crash). */
export function isTemporaryName(name: string): boolean {
  return /^\.gpt-image-[\w-]+\.tmp$/.test(name);
}

/**
 * The `counter`th name a writer tries for `fileName`: `name.png`, then `name-2.png`, `name-3.png`, …
 * Every writer and every "was this already written?" search must number alike, so they all use this.
 */
export function numberedName(fileName: string, counter: number): string {
  if (counter === 1) return fileName;
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)}-${counter}${fileName.slice(dot)}` : `${fileName}-${counter}`;
}

/** The first numbered name `exists` says no to. Never overwrites. */
export async function firstFreeName(fileName: string, exists: (name: string) => Promise<boolean>): Promise<string> {
  for (let counter = 1; counter < maxNumberedNames; counter++) {
    const candidate = numberedName(fileName, counter);
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`No free file name near ${fileName}.`);
}
