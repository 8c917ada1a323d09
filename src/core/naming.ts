import type { ModelId, ProviderId } from './ids';

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
 * Fills a template: {date} (YYYY-MM-DD), {time} (HHmmss), {slug}, {index}, {provider}, {model},
 * {name} (edit source). The extension is added by the caller's format, never by the template,
 * so a template cannot produce a misleading one. Path separators are not allowed in the result.
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
    name: fields.sourceName ?? slugify(fields.prompt),
  };
  const stem = (template.trim() || defaultFileNameTemplate)
    .replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
    .replace(/\.(png|jpe?g|webp|\{ext\})$/i, '')
    // eslint-disable-next-line no-control-regex -- control characters never belong in a file name
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/^[.\s-]+|[.\s]+$/g, '');
  return `${stem || 'image'}.${fields.extension}`;
}

/** How far `name-N.ext` counts before giving up (a folder that full is a mistake). */
export const maxNumberedNames = 10_000;

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
