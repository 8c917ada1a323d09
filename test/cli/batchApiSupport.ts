import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeOpenAi } from '../fake-providers/openai';
import { boundaryOf, parseMultipart } from '../fake-providers/multipartParser';
import type { RecordedRequest } from '../fake-providers/server';
import { sandbox } from './cliHarness';
import type { Sandbox } from './cliHarness';

/** Three OpenAI entries, four images: icon, hero-1, hero-2, badge. */
export const threeEntries = `defaults: { provider: openai, size: 1024x1024, quality: medium, out: assets/generated }
images:
  - name: icon
    prompt: A paper boat icon
  - name: hero
    prompt: Watercolor harbour at dawn
    size: 1536x1024
    n: 2
  - name: badge
    prompt: A round badge
`;

export const threeEntryFiles = ['badge.png', 'hero-1.png', 'hero-2.png', 'icon.png'];

export function withBatchFile(fake: FakeOpenAi, text: string): Sandbox {
  const box = sandbox({ GPT_IMAGE_OPENAI_BASE_URL: fake.baseUrl });
  writeFileSync(join(box.cwd, 'site.images.yaml'), text);
  return box;
}

export const outDir = (box: Sandbox): string => join(box.cwd, 'assets', 'generated');

/** The Batch API calls the fake received, as `METHOD /path`. */
export function routes(fake: FakeOpenAi): string[] {
  return fake.apiRequests().map((request) => `${request.method} ${request.url.replace(/(file|batch)-fake\d+/g, '$1-*')}`);
}

export function count(fake: FakeOpenAi, route: string): number {
  return routes(fake).filter((each) => each === route).length;
}

/** The JSONL file of an upload, as the server received it. */
export function uploadedJsonl(request: RecordedRequest): { purpose: string; fileName: string; text: string } {
  const parts = parseMultipart(request.body, boundaryOf(String(request.headers['content-type'])) ?? '');
  const file = parts.find((part) => part.name === 'file');
  return { purpose: parts.find((part) => part.name === 'purpose')?.data.toString('utf8') ?? '', fileName: file?.fileName ?? '', text: file?.data.toString('utf8') ?? '' };
}

/** The Batch API job records in the sandbox's journal. */
export function batchRecords(box: Sandbox): { id: string; state: string; parts: { state: string; batchId?: string; inputFileId?: string }[] }[] {
  const dir = join(box.home, 'batches');
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as { id: string; state: string; parts: { state: string; batchId?: string; inputFileId?: string }[] });
}

/** The uploads (`POST /v1/files`) the fake received with this purpose, as received. */
export function uploadsOf(fake: FakeOpenAi, purpose: 'batch' | 'vision'): { purpose: string; fileName: string; text: string; bytes: Buffer }[] {
  return fake
    .apiRequests()
    .filter((request) => request.method === 'POST' && request.url === '/v1/files')
    .map((request) => {
      const parts = parseMultipart(request.body, boundaryOf(String(request.headers['content-type'])) ?? '');
      return { ...uploadedJsonl(request), bytes: parts.find((part) => part.name === 'file')?.data ?? Buffer.alloc(0) };
    })
    .filter((upload) => upload.purpose === purpose);
}
