/**
 * The images of a Batch API edit travel as uploaded files (docs/providers.md §7.3): the JSONL kept in
 * the journal's storage holds each local image as a data URL (so a resume has its bytes), and the
 * file that is uploaded names each by the `file_id` of a `purpose=vision` upload instead, which keeps
 * the input file far under its 200 MB limit and sends an image used by several lines once.
 */

import type { BatchJobRecord } from './batchApiJob';
import type { BatchApi } from './batchApiPort';

/** A local image in the kept JSONL: its data URL, and the key its uploaded file id is recorded under. */
export interface BatchImageRef {
  /** SHA-256 of the data URL, hex: the same image in two lines (or two parts) is one upload. */
  readonly key: string;
  readonly dataUrl: string;
}

type ImageItem = { image_url?: unknown; file_id?: unknown };

/** The `images` items and the `mask` of one line's body: the places an image can be named. */
function imageItems(line: unknown): ImageItem[] {
  if (typeof line !== 'object' || line === null) return [];
  const body = (line as { body?: unknown }).body;
  if (typeof body !== 'object' || body === null) return [];
  const { images, mask } = body as { images?: unknown; mask?: unknown };
  const items = Array.isArray(images) ? [...(images as unknown[])] : [];
  if (mask !== undefined) items.push(mask);
  return items.filter((item): item is ImageItem => typeof item === 'object' && item !== null);
}

const isDataUrl = (value: unknown): value is string => typeof value === 'string' && value.startsWith('data:');

/** The distinct local images of a kept JSONL, in order of first use. */
export async function batchImageRefs(jsonl: string): Promise<BatchImageRef[]> {
  const seen = new Set<string>();
  const refs: BatchImageRef[] = [];
  for (const text of jsonl.split('\n')) {
    if (text.trim() === '') continue;
    for (const item of imageItems(JSON.parse(text))) {
      if (!isDataUrl(item.image_url) || seen.has(item.image_url)) continue;
      seen.add(item.image_url);
      refs.push({ key: await sha256Hex(item.image_url), dataUrl: item.image_url });
    }
  }
  return refs;
}

/**
 * The JSONL to upload: each data URL replaced by `{ file_id }` of its upload. Lines keep their order
 * and every other field as built; a data URL without an upload is a bug, so it throws rather than
 * sending a line that would be refused (or worse, a bigger file than intended).
 */
export function withImageFileIds(jsonl: string, fileIdOf: ReadonlyMap<string, string>): string {
  return jsonl
    .split('\n')
    .map((text) => {
      if (text.trim() === '') return text;
      const line = JSON.parse(text) as unknown;
      const items = imageItems(line);
      if (!items.some((item) => isDataUrl(item.image_url))) return text;
      for (const item of items) {
        if (!isDataUrl(item.image_url)) continue;
        const fileId = fileIdOf.get(item.image_url);
        if (fileId === undefined) throw new Error('An image of a Batch API edit has no uploaded file id.');
        delete item.image_url;
        item.file_id = fileId;
      }
      return JSON.stringify(line);
    })
    .join('\n');
}

/**
 * The JSONL to upload for one part, each edit image named by the file id of its `purpose=vision`
 * upload. An image already uploaded for this job (by this part, another part, or a process that
 * died) is not uploaded again; each new id is journaled (`save`) before the next upload, and all of
 * them before the JSONL that names them is uploaded.
 */
export async function withUploadedImages(
  job: BatchJobRecord,
  jsonl: string,
  api: Pick<BatchApi, 'uploadImage'>,
  signal: AbortSignal,
  save: () => Promise<void>,
  report: (message: string) => void,
): Promise<string> {
  const refs = await batchImageRefs(jsonl);
  if (refs.length === 0) return jsonl;
  const files = (job.imageFiles ??= {});
  const missing = refs.filter((ref) => files[ref.key] === undefined);
  for (const [position, ref] of missing.entries()) {
    report(`Uploading image ${position + 1} of ${missing.length} for the edits…`);
    const uploaded = await api.uploadImage(ref.dataUrl, `gpt-image-${ref.key.slice(0, 16)}`, signal);
    files[ref.key] = uploaded.fileId;
    await save();
  }
  return withImageFileIds(jsonl, new Map(refs.map((ref) => [ref.dataUrl, files[ref.key] as string])));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
