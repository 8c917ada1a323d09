import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Provenance } from '../../../src/core/provenance';
import { provenanceFileName, provenanceFolderName } from '../../../src/core/provenance';
import { HistoryIndex } from '../../../src/host/history';
import type { HistoryFileSystem } from '../../../src/host/history';
import { makePng } from '../../fake-providers/png';
import { formatMs } from '../shared/report';
import type { SectionResult } from '../shared/report';
import { roundSummary, summarize } from '../shared/stats';

export interface HistoryOptions {
  readonly scratchDir: string;
  readonly images: number;
  readonly runs: number;
  /** The Studio's page size. */
  readonly pageSize: number;
}

const subjects = ['lighthouse at dusk', 'red fox in snow', 'isometric city block', 'watercolor teapot', 'neon koi pond'];

/** node:fs in place of workspace.fs, doing what the extension's adapter does: one readdir, one stat per file. */
const nodeFileSystem: HistoryFileSystem = {
  async listFiles(dir) {
    const names = await readdir(dir).catch(() => [] as string[]);
    return Promise.all(names.map(async (name) => ({ name, mtimeMs: (await stat(join(dir, name))).mtimeMs })));
  },
  readText: (location) => readFile(location, 'utf8'),
  join: (dir, name) => join(dir, name),
};

/** An output folder like a busy user's: N small PNGs, each with a realistic provenance sidecar. */
function makeFolder(dir: string, images: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, provenanceFolderName), { recursive: true });
  const png = makePng({ width: 32, height: 32, seed: 7 });
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let index = 0; index < images; index++) {
    const subject = subjects[index % subjects.length] as string;
    const fileName = `2026-01-01-${subject.replace(/\W+/g, '-')}-${index + 1}.png`;
    writeFileSync(join(dir, fileName), png);
    const provenance: Provenance = {
      version: 1,
      file: fileName,
      provider: index % 2 === 0 ? 'openai' : 'modellix',
      model: 'gpt-image-2',
      request: {
        prompt: `A ${subject}, soft morning light, highly detailed, variation ${index}`,
        size: '1536x1024',
        wireSize: { kind: 'wxh', value: '1536x1024' },
        quality: 'medium',
        n: 4,
        background: undefined,
        outputFormat: 'png',
        outputCompression: undefined,
        inputImages: [],
        mask: undefined,
      },
      index: (index % 4) + 1,
      jobId: `job-${Math.floor(index / 4)}`,
      taskId: index % 2 === 0 ? undefined : `task-${index}`,
      requestId: `req_${index}`,
      createdAt: new Date(start + index * 60_000).toISOString(),
      durationMs: 20_000 + index,
      width: 1536,
      height: 1024,
      usage: { inputTokens: 50, outputTokens: 4160 },
      costEstimateUsd: 0.053,
      warnings: [],
    };
    const sidecar = join(dir, provenanceFolderName, provenanceFileName(fileName));
    writeFileSync(sidecar, JSON.stringify(provenance, null, 2));
    const time = new Date(start + index * 60_000);
    utimesSync(sidecar, time, time);
  }
}

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await action();
  return { ms: performance.now() - started, value };
}

/**
 * The Studio's history over a folder of N images, through HistoryIndex (src/host/history.ts, the
 * code the panel runs) with node:fs standing in for workspace.fs. Each sample uses a fresh index, so
 * its sidecar cache starts empty; the OS page cache is warm after the first, as it is in use.
 */
export async function benchHistory(options: HistoryOptions): Promise<Omit<SectionResult, 'name' | 'seconds'>> {
  const dir = join(options.scratchDir, 'images');
  makeFolder(dir, options.images);
  const query = { dirs: [dir], query: '', offset: 0, limit: options.pageSize };
  const noJobs = (): Promise<never[]> => Promise.resolve([]);

  const firstPage: number[] = [];
  const everything: number[] = [];
  const searchCold: number[] = [];
  const searchWarm: number[] = [];
  let firstPageReads = 0;
  let firstPageTotal = 0;
  let listedAll = 0;
  let searchHits = 0;
  // One unmeasured pass warms the OS cache and V8, as a panel that has been opened before would be.
  await new HistoryIndex(nodeFileSystem, noJobs).page(query);
  for (let run = 0; run < options.runs; run++) {
    const pageIndex = new HistoryIndex(nodeFileSystem, noJobs);
    const page = await timed(() => pageIndex.page(query));
    firstPage.push(page.ms);
    firstPageReads = pageIndex.reads;
    firstPageTotal = page.value.total;

    const allIndex = new HistoryIndex(nodeFileSystem, noJobs);
    const all = await timed(async () => {
      let count = 0;
      // The protocol caps a page at 200, so "everything" is pages until the total is reached.
      for (let offset = 0; ; offset += 200) {
        const next = await allIndex.page({ ...query, offset, limit: 200 });
        count += next.entries.filter((entry) => entry.kind === 'image' && entry.provenance !== undefined).length;
        if (offset + 200 >= next.total) break;
      }
      return count;
    });
    everything.push(all.ms);
    listedAll = all.value;

    const searchIndex = new HistoryIndex(nodeFileSystem, noJobs);
    const cold = await timed(() => searchIndex.page({ ...query, query: 'fox snow' }));
    searchCold.push(cold.ms);
    searchHits = cold.value.total;
    searchWarm.push((await timed(() => searchIndex.page({ ...query, query: 'fox snow' }))).ms);
  }
  const first = roundSummary(summarize(firstPage));
  const all = roundSummary(summarize(everything));
  const cold = roundSummary(summarize(searchCold));
  const warm = roundSummary(summarize(searchWarm));
  return {
    ok: true,
    figures: {
      images: options.images,
      pageSize: options.pageSize,
      runs: options.runs,
      function: 'HistoryIndex.page (src/host/history.ts) over node:fs',
      firstPageMs: first,
      firstPageSidecarReads: firstPageReads,
      allWithProvenanceMs: all,
      searchColdMs: cold,
      searchWarmMs: warm,
      searchHits,
    },
    rows: [
      { figure: `first page of ${options.pageSize} of ${options.images} images, median`, value: formatMs(first.median) },
      { figure: `all ${options.images} with provenance (pages of 200), median`, value: formatMs(all.median) },
      { figure: `search over ${options.images} prompts, cold / cached`, value: `${formatMs(cold.median)} / ${formatMs(warm.median)}` },
    ],
    checks: {
      [`listed all ${options.images} images`]: firstPageTotal === options.images && listedAll === options.images,
      'first page read only its own sidecars': firstPageReads === options.pageSize,
      'search found the matching prompts': searchHits === options.images / subjects.length,
    },
  };
}
