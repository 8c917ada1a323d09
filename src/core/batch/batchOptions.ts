import { isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { backgrounds, isModelId, modelIds, moderations, outputFormats, qualities } from '../ids';
import type { Background, ModelId, Moderation, OutputFormat, Quality } from '../ids';

/**
 * The options an entry (or `defaults`) may set: the CLI's own option names (`gpt-image --help`),
 * with `images` a list where the CLI repeats `--image`. No base URL (a shared file must never send a
 * key elsewhere) and no partial images (previews are for someone watching one image).
 */
export interface BatchOptions {
  /** A listed model, or with `like` a newer model id sent in its place (as `--model … --like …`). */
  readonly model?: string | undefined;
  readonly like?: ModelId | undefined;
  readonly size?: string | undefined;
  readonly quality?: Quality | undefined;
  readonly background?: Background | undefined;
  readonly format?: OutputFormat | undefined;
  readonly compression?: number | undefined;
  readonly moderation?: Moderation | undefined;
  /** Images per provider (1 when absent). */
  readonly n: number;
  /** Reference images (an edit): paths relative to the batch file's folder, or https URLs. */
  readonly images: readonly string[];
  readonly mask?: string | undefined;
  /** Output folder relative to the batch file's folder (default `images`, as the CLI's --out). */
  readonly out?: string | undefined;
}

export const optionKeys = ['model', 'like', 'size', 'quality', 'background', 'format', 'compression', 'moderation', 'n', 'images', 'mask', 'out'] as const;

type Report = (node: Node | null | undefined, message: string) => void;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads one option into `into`, or reports why it cannot be used. */
export function readOption(key: string, value: Node | null, into: Writable<Partial<BatchOptions>>, report: Report): void {
  const scalar = isScalar(value) ? value.value : undefined;
  const text = typeof scalar === 'string' ? scalar : typeof scalar === 'number' ? String(scalar) : undefined;
  switch (key) {
    case 'model':
      if (text === undefined || text.trim() === '') report(value, '`model` is a model id such as gpt-image-2.');
      else into.model = text;
      return;
    case 'like':
      if (text === undefined || !isModelId(text)) report(value, `\`like\` "${text ?? ''}" is not a listed model: use ${modelIds.join(', ')}.`);
      else into.like = text;
      return;
    case 'size':
      if (text === undefined) report(value, '`size` is WIDTHxHEIGHT (1536x1024), auto, or an aspect ratio with a tier (16:9@2k).');
      else into.size = text;
      return;
    case 'quality':
      into.quality = oneOf(text, qualities, 'quality', value, report);
      return;
    case 'background':
      into.background = oneOf(text, backgrounds, 'background', value, report);
      return;
    case 'format':
      into.format = oneOf(text, outputFormats, 'format', value, report);
      return;
    case 'moderation':
      into.moderation = oneOf(text, moderations, 'moderation', value, report);
      return;
    case 'compression':
      if (typeof scalar !== 'number' || !Number.isInteger(scalar) || scalar < 0 || scalar > 100) report(value, `\`compression\` is a whole percentage from 0 to 100 (got ${show(value)}).`);
      else into.compression = scalar;
      return;
    case 'n':
      if (typeof scalar !== 'number' || !Number.isInteger(scalar) || scalar < 1) report(value, `\`n\` is a whole number of images, at least 1 (got ${show(value)}).`);
      else into.n = scalar;
      return;
    case 'images': {
      const items = isSeq(value) ? (value.items as (Node | null)[]) : value === null || isScalar(value) ? [value] : [];
      const paths: string[] = [];
      for (const item of items) {
        const path = referenceText(item, 'a reference image', report);
        if (path !== undefined) paths.push(path);
      }
      if (paths.length === items.length) into.images = paths;
      return;
    }
    case 'mask': {
      const path = referenceText(value, 'the mask', report);
      if (path !== undefined) into.mask = path;
      return;
    }
    case 'out': {
      const problem = text === undefined ? 'is a folder path' : relativePathProblem(text);
      if (problem !== undefined) report(value, `\`out\` ${problem}.`);
      else into.out = text;
      return;
    }
  }
}

function oneOf<T extends string>(text: string | undefined, allowed: readonly T[], name: string, node: Node | null, report: Report): T | undefined {
  if (text !== undefined && (allowed as readonly string[]).includes(text)) return text as T;
  report(node, `unknown ${name} "${text ?? ''}": use ${allowed.join(', ')}.`);
  return undefined;
}

function show(node: Node | null): string {
  return isScalar(node) ? JSON.stringify(node.value) : 'a list or mapping';
}

function referenceText(node: Node | null, role: string, report: Report): string | undefined {
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    report(node, `${role} is a path relative to the batch file, or an https URL.`);
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  const problem = relativePathProblem(value);
  if (problem !== undefined) {
    report(node, `${role} "${value}" ${problem}.`);
    return undefined;
  }
  return value;
}

/**
 * Paths in a batch file stay inside its folder: the file may come from a cloned repository, and
 * must not be able to send a private file elsewhere as a "reference" or write outside the project.
 */
export function relativePathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'is empty';
  if (/^([/\\]|[A-Za-z]:)/.test(path)) return 'must be relative to the batch file\'s folder, not absolute';
  if (path.split(/[/\\]/).some((segment) => segment === '..')) return 'must stay inside the batch file\'s folder (no "..")';
  // eslint-disable-next-line no-control-regex -- control characters never belong in a path
  if (/[\u0000-\u001f]/.test(path)) return 'contains control characters';
  return undefined;
}
