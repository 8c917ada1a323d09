/**
 * The peer in the large-image benchmark: what a developer writes with the official `openai` package
 * (README usage), run in its own process exactly like our CLI. Usage:
 * `node sdkClient.js <base url> <out dir> <n> <size> <prompt>`, key from OPENAI_API_KEY.
 */
import { mkdirSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';

async function main(): Promise<void> {
  // `--startup`: only load the SDK and exit, for the start-up share of the wall time.
  if (process.argv[2] === '--startup') return;
  const [baseURL, outDir, n, size, prompt] = process.argv.slice(2);
  if (!baseURL || !outDir || !n || !size || !prompt) throw new Error('usage: sdkClient.js <base url> <out dir> <n> <size> <prompt>');
  const client = new OpenAI({ baseURL, maxRetries: 0 });
  const response = await client.images.generate({ model: 'gpt-image-2', prompt, n: Number(n), size });
  mkdirSync(outDir, { recursive: true });
  const data = response.data ?? [];
  for (const [index, image] of data.entries()) {
    if (!image.b64_json) throw new Error(`image ${index + 1} has no b64_json`);
    await fs.writeFile(join(outDir, `image-${index + 1}.png`), Buffer.from(image.b64_json, 'base64'));
  }
  process.stdout.write(`${data.length} images written to ${outDir}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
