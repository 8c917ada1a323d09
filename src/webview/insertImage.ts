import { posix } from 'node:path';

/**
 * Builds the Markdown or HTML that "insert into the editor" types (pure, so it is tested without an
 * editor). Paths are URI paths (`/home/me/project/images/a.png`, `/c:/Users/me/a.png`); the link is
 * relative to the document's folder so it keeps working when the repository moves.
 */
export interface SnippetInput {
  readonly format: 'markdown' | 'html';
  /** The image's URI path. */
  readonly imagePath: string;
  /** The document's URI path, or undefined for an untitled document (then `fallbackPath` is used). */
  readonly documentPath: string | undefined;
  /** What to link when no relative path is possible (workspace-relative path or full URI). */
  readonly fallbackPath: string;
  /** The prompt; becomes the alt text. */
  readonly prompt: string;
}

export function imageSnippet(input: SnippetInput): string {
  const target = linkTarget(input);
  const alt = altText(input.prompt);
  if (input.format === 'markdown') return `![${alt.replace(/([\\[\]])/g, '\\$1')}](${target})`;
  return `<img src="${escapeHtml(target)}" alt="${escapeHtml(alt)}">`;
}

/**
 * A Markdown image is a block of its own: inserted where text stands before or after it on the line
 * (a cursor at the start of a heading), it gets line breaks so it neither joins that text nor breaks it.
 */
export function onItsOwnLine(snippet: string, textBefore: string, textAfter: string): string {
  return `${textBefore.trim() === '' ? '' : '\n'}${snippet}${textAfter.trim() === '' ? '' : '\n'}`;
}

/** The relative path from the document's folder, each segment URL-encoded (spaces, parentheses). */
export function linkTarget(input: Pick<SnippetInput, 'imagePath' | 'documentPath' | 'fallbackPath'>): string {
  if (input.documentPath === undefined) return encodePath(input.fallbackPath);
  const from = posix.dirname(lowerDrive(input.documentPath));
  const relative = posix.relative(from, lowerDrive(input.imagePath));
  if (relative === '') return encodePath(posix.basename(input.imagePath));
  return encodePath(relative);
}

/** One line, at most 125 characters (screen readers read alt text in full). */
export function altText(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  if (line.length <= 125) return line;
  return `${line.slice(0, 124).trimEnd()}…`;
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** Windows drive letters differ in case between URIs from different APIs. */
function lowerDrive(path: string): string {
  return path.replace(/^\/([A-Z]):/, (_match, drive: string) => `/${drive.toLowerCase()}:`);
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
