import { provenanceFileName, provenanceFolderName } from '../core/provenance';

/**
 * What "Copy as Markdown" reads from an image's provenance sidecar (editor-free, tested in plain
 * Node). A sidecar is our own file but may be hand-edited or truncated: only a version-1 record
 * with a prompt counts.
 */
export function sidecarPrompt(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { version?: unknown; request?: { prompt?: unknown } };
  if (record.version !== 1 || typeof record.request !== 'object' || record.request === null) return undefined;
  return typeof record.request.prompt === 'string' && record.request.prompt.trim() !== '' ? record.request.prompt : undefined;
}

/** The sidecar's path segments relative to the image's folder: `.gpt-image/<file>.json`. */
export function sidecarSegments(imageFileName: string): [string, string] {
  return [provenanceFolderName, provenanceFileName(imageFileName)];
}
