/**
 * The Studio's history: images from the provenance sidecars (`<output dir>/.gpt-image/<file>.json`,
 * core/provenance.ts) plus journal jobs that did not end with files (failed, unknown, still running).
 * Paged and lazy: a page lists every sidecar's name and time (one directory read and a stat each),
 * but reads only the sidecars on that page; a search reads prompts once and caches them by mtime.
 * The file system is injected (workspace.fs in the extension, node:fs in tests), so this file
 * stays free of `vscode`.
 */
import type { JobRecord } from '../core/journal';
import { provenanceFolderName } from '../core/provenance';
import type { Provenance } from '../core/provenance';

/** The little of a file system history needs; locations are whatever the writer uses (URIs or paths). */
export interface HistoryFileSystem {
  /** Files directly in `dir` with their modification times; [] when `dir` does not exist. */
  listFiles(dir: string): Promise<Array<{ readonly name: string; readonly mtimeMs: number }>>;
  readText(location: string): Promise<string>;
  join(dir: string, name: string): string;
}

export type HistoryEntry =
  | {
      readonly kind: 'image';
      /** The image file's location. */
      readonly location: string;
      readonly fileName: string;
      readonly sidecar: string;
      readonly time: number;
      /** Undefined when the sidecar could not be read or parsed. */
      readonly provenance: Provenance | undefined;
    }
  | { readonly kind: 'job'; readonly job: JobRecord; readonly time: number };

export interface HistoryPage {
  readonly entries: readonly HistoryEntry[];
  /** Entries matching the query in all. */
  readonly total: number;
}

export interface HistoryQuery {
  /** Output folders to look in (the history adds the folders this workspace's journal jobs wrote to). */
  readonly dirs: readonly string[];
  /**
   * The open workspace folders, in the same form as `dirs`. The journal is global (one per user),
   * so only jobs that wrote inside these or `dirs` are this workspace's; without it, every job is.
   */
  readonly roots?: readonly string[] | undefined;
  readonly query: string;
  readonly offset: number;
  readonly limit: number;
}

interface Listed {
  readonly location: string;
  readonly fileName: string;
  readonly sidecar: string;
  readonly time: number;
}

/** Jobs worth listing without files: they failed, ended unknown, or are still under way. */
const jobStatesShown = new Set(['submitting', 'polling', 'downloading', 'failed', 'unknown', 'cancelled', 'needsAttention']);

/** How many sidecars a search reads at once (keeps a 500-image folder from opening 500 handles). */
const readConcurrency = 16;

export class HistoryIndex {
  private readonly cache = new Map<string, { readonly time: number; readonly provenance: Provenance | undefined }>();
  /** How many sidecars were read from disk (for tests and the log: proves paging is lazy). */
  reads = 0;

  constructor(
    private readonly fs: HistoryFileSystem,
    private readonly listJobs: () => Promise<readonly JobRecord[]>,
  ) {}

  async page(request: HistoryQuery): Promise<HistoryPage> {
    const everyJob = await this.listJobs().catch(() => [] as readonly JobRecord[]);
    const roots = request.roots ? [...request.roots, ...request.dirs] : undefined;
    const jobs = roots ? everyJob.filter((job) => roots.some((root) => isWithin(job.output.dir, root))) : everyJob;
    const dirs = new Set(request.dirs);
    for (const job of jobs) dirs.add(job.output.dir);
    const listed = (await Promise.all([...dirs].map((dir) => this.listDir(dir)))).flat();
    const jobEntries: HistoryEntry[] = jobs
      .filter((job) => jobStatesShown.has(job.state))
      .map((job) => ({ kind: 'job', job, time: job.createdAt }));

    const terms = request.query.toLowerCase().split(/\s+/).filter((term) => term !== '');
    let images: Listed[] = listed;
    if (terms.length > 0) {
      await this.readAll(listed);
      images = listed.filter((item) => matches(this.cache.get(item.sidecar)?.provenance?.request.prompt, terms));
    }
    const candidates: Array<Listed | HistoryEntry> = [
      ...images,
      ...jobEntries.filter((entry) => entry.kind === 'job' && matches(entry.job.request.prompt, terms)),
    ];
    // Newest first; the name breaks ties so pages are stable between requests.
    candidates.sort((a, b) => b.time - a.time || keyOf(a).localeCompare(keyOf(b)));
    const slice = candidates.slice(request.offset, request.offset + request.limit);
    const entries = await Promise.all(slice.map((item) => ('kind' in item ? Promise.resolve(item) : this.toEntry(item))));
    return { entries, total: candidates.length };
  }

  private async listDir(dir: string): Promise<Listed[]> {
    const folder = this.fs.join(dir, provenanceFolderName);
    const files = await this.fs.listFiles(folder).catch(() => []);
    return files
      .filter((file) => file.name.endsWith('.json'))
      .map((file) => {
        const fileName = file.name.slice(0, -'.json'.length);
        return { location: this.fs.join(dir, fileName), fileName, sidecar: this.fs.join(folder, file.name), time: file.mtimeMs };
      });
  }

  private async toEntry(item: Listed): Promise<HistoryEntry> {
    const { provenance } = await this.read(item);
    const time = provenance ? Date.parse(provenance.createdAt) || item.time : item.time;
    return { kind: 'image', location: item.location, fileName: item.fileName, sidecar: item.sidecar, time, provenance };
  }

  private async readAll(items: readonly Listed[]): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++] as Listed;
        await this.read(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(readConcurrency, items.length) }, worker));
  }

  private async read(item: Listed): Promise<{ provenance: Provenance | undefined }> {
    const cached = this.cache.get(item.sidecar);
    if (cached && cached.time === item.time) return cached;
    this.reads += 1;
    let provenance: Provenance | undefined;
    try {
      provenance = asProvenance(JSON.parse(await this.fs.readText(item.sidecar)));
    } catch {
      provenance = undefined;
    }
    const record = { time: item.time, provenance };
    this.cache.set(item.sidecar, record);
    return record;
  }
}

/** `dir` is `root` or below it; both are URIs or paths with '/' separators. */
function isWithin(dir: string, root: string): boolean {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return dir === root || dir.startsWith(prefix);
}

function keyOf(item: Listed | HistoryEntry): string {
  if ('kind' in item) return item.kind === 'job' ? item.job.id : item.location;
  return item.location;
}

function matches(prompt: string | undefined, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  if (prompt === undefined) return false;
  const text = prompt.toLowerCase();
  return terms.every((term) => text.includes(term));
}

/** A sidecar is our own file but may be hand-edited or truncated: check the fields we show. */
function asProvenance(value: unknown): Provenance | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<Provenance>;
  if (candidate.version !== 1 || typeof candidate.provider !== 'string' || typeof candidate.model !== 'string') return undefined;
  if (typeof candidate.request !== 'object' || candidate.request === null || typeof candidate.request.prompt !== 'string') {
    return undefined;
  }
  return candidate as Provenance;
}
