import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { ProviderId } from '../ids';
import { isProviderId, providerIds } from '../ids';
import type { BatchOptions } from './batchOptions';
import { optionKeys, readOption } from './batchOptions';

/*
 * Batch files (`*.images.yaml`, `*.images.json`): the model every front end shares.
 *
 * Stable API (the Batch API path, `--via batch-api`, and the editor's CodeLens build on it):
 *   parseBatchFile(text)             → { file, problems }   shape only, every problem with its line
 *   batchTargets(file)               → one target per entry × provider (batchTargets.ts): names, options
 *   buildBatchRequests(targets, io)  → GenerationRequest + ValidatedPlan per target, or problems (batchRequests.ts)
 *   planBatch(requests, inspect)     → up to date / changed / conflict / missing per target (batchPlan.ts)
 *   planCost(plan)                   → the estimate of what would be sent, for --dry-run and --max-cost
 * Nothing here touches a file system: paths stay as written (relative to the batch file's folder)
 * and the host resolves them.
 */

/** One problem in a batch file, with the 1-based line (and column) it is on. */
export interface BatchProblem {
  readonly line: number;
  readonly column: number;
  /** The entry's name, when the problem belongs to one. */
  readonly entry?: string | undefined;
  readonly message: string;
}

/** One item of `images:` after the shape check, defaults applied. */
export interface BatchEntry extends BatchOptions {
  readonly name: string;
  readonly prompt: string;
  /** One or more providers; several make `<name>-<provider>` files side by side. */
  readonly providers: readonly ProviderId[];
  /** Where the entry starts (its `- name:` line), for messages and CodeLenses. */
  readonly line: number;
}

export interface BatchFile {
  readonly entries: readonly BatchEntry[];
}

export interface ParsedBatchFile {
  readonly file: BatchFile;
  /** Empty when every entry passed the shape check; otherwise every problem, in file order. */
  readonly problems: readonly BatchProblem[];
}

/** What an entry's name may be: it becomes a file name, and must be the same on every file system. */
export const entryNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Whether a file name is a batch file (`*.images.yaml`, `*.images.yml`, `*.images.json`). */
export function isBatchFileName(name: string): boolean {
  return /\.images\.(ya?ml|json)$/i.test(name);
}

const entryOnlyKeys = ['name', 'prompt'] as const;
const providerKeys = ['provider', 'providers'] as const;

/**
 * Parses a batch file's text (YAML; JSON is YAML too, so one parser gives both their line numbers)
 * and checks its shape: keys, types and enumerations. Capability rows, sizes, n and references are
 * checked per provider afterwards (buildBatchRequests), against the same rules as the CLI.
 */
export function parseBatchFile(text: string): ParsedBatchFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: BatchProblem[] = [];
  const at = (offset: number | undefined, message: string, entry?: string): void => {
    const position = lines.linePos(offset ?? 0);
    problems.push({ line: position.line, column: position.col, entry, message });
  };
  const nodeAt = (node: Node | null | undefined, message: string, entry?: string): void => at(node?.range?.[0], message, entry);
  for (const error of document.errors) at(error.pos[0], `Not valid YAML or JSON: ${error.message.split('\n')[0]}`);
  if (document.errors.length > 0) return { file: { entries: [] }, problems };

  const root = document.contents;
  if (!isMap(root)) {
    nodeAt(root, 'A batch file is a mapping with `images:` (a list of entries) and optional `defaults:`.');
    return { file: { entries: [] }, problems };
  }
  for (const pair of root.items) {
    const key = keyText(pair.key);
    if (key !== 'images' && key !== 'defaults' && key !== '$schema') nodeAt(pair.key as Node, `Unknown key "${key}" at the top: use images and defaults.`);
  }
  const defaultsNode = root.get('defaults', true);
  let defaults: Partial<BatchOptions> & { providers?: readonly ProviderId[] } = {};
  if (defaultsNode !== undefined && defaultsNode !== null) {
    if (!isMap(defaultsNode)) nodeAt(defaultsNode, '`defaults` is a mapping of options, such as { provider: openai, size: 1024x1024 }.');
    else defaults = readOptions(defaultsNode, [], (node, message) => nodeAt(node, `defaults: ${message}`));
  }
  const imagesNode = root.get('images', true);
  if (!isSeq(imagesNode)) {
    nodeAt(imagesNode ?? root, '`images` is required: a list of entries, each with a name and a prompt.');
    return { file: { entries: [] }, problems };
  }
  if (imagesNode.items.length === 0) nodeAt(imagesNode, '`images` is empty: add at least one entry with a name and a prompt.');

  const entries: BatchEntry[] = [];
  const seen = new Map<string, number>();
  for (const item of imagesNode.items) {
    const node = item as Node;
    const line = lines.linePos(node.range?.[0] ?? 0).line;
    if (!isMap(item)) {
      nodeAt(node, 'Each entry of `images` is a mapping with a name and a prompt.');
      continue;
    }
    const nameNode = item.get('name', true);
    const name = isScalar(nameNode) && typeof nameNode.value === 'string' ? nameNode.value : undefined;
    const label = name ?? `entry on line ${line}`;
    const report = (at: Node | null | undefined, message: string): void => nodeAt(at ?? node, `${label}: ${message}`, name);
    const before = problems.length;
    if (name === undefined) report(nameNode, 'needs a `name` (it names the files: <name>.png).');
    else if (!entryNamePattern.test(name)) report(nameNode, `the name "${name}" must be letters, digits, ".", "_" and "-" (up to 100, starting with a letter or digit): it becomes a file name.`);
    else {
      const earlier = seen.get(name.toLowerCase());
      if (earlier !== undefined) report(nameNode, `the name "${name}" is already used by the entry on line ${earlier}; names must be unique.`);
      else seen.set(name.toLowerCase(), line);
    }
    const promptNode = item.get('prompt', true);
    const prompt = isScalar(promptNode) && typeof promptNode.value === 'string' ? promptNode.value : undefined;
    if (prompt === undefined) report(promptNode, 'needs a `prompt` (text describing the image).');
    else if (prompt.trim() === '') report(promptNode, 'the prompt is empty: describe the image you want.');
    const options = readOptions(item, entryOnlyKeys, report);
    const providers = options.providers ?? defaults.providers ?? ['openai'];
    if (problems.length > before || name === undefined || prompt === undefined) continue;
    const { providers: _entryProviders, ...own } = options;
    const { providers: _defaultProviders, ...inherited } = defaults;
    entries.push({ n: 1, images: [], ...inherited, ...own, name, prompt, providers, line });
  }
  return { file: { entries }, problems };
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Reads every option of a mapping (an entry or `defaults`), reporting unknown keys and bad values. */
function readOptions(
  map: YAMLMap,
  extraKeys: readonly string[],
  report: (node: Node | null | undefined, message: string) => void,
): Partial<BatchOptions> & { providers?: readonly ProviderId[] } {
  const result: Partial<BatchOptions> & { providers?: readonly ProviderId[] } = {};
  const known = new Set<string>([...optionKeys, ...providerKeys, ...extraKeys]);
  for (const pair of map.items) {
    const key = keyText(pair.key);
    const value = pair.value as Node | null;
    if (!known.has(key)) {
      report(pair.key as Node, unknownKeyMessage(key));
      continue;
    }
    if ((extraKeys as readonly string[]).includes(key)) continue;
    if (key === 'provider' || key === 'providers') {
      const providers = readProviders(key, value, report);
      if (providers && result.providers) report(pair.key as Node, 'give either `provider` or `providers`, not both.');
      else if (providers) result.providers = providers;
      continue;
    }
    readOption(key, value, result, report);
  }
  return result;
}

function unknownKeyMessage(key: string): string {
  if (key === 'base-url' || key === 'baseUrl') return 'a batch file cannot choose a base URL (it could send your API key elsewhere); set it in the environment.';
  if (key === 'image') return 'unknown key "image": reference images go in `images:` (a list).';
  return `unknown key "${key}": use ${[...entryOnlyKeys, ...providerKeys, ...optionKeys].join(', ')}.`;
}

function readProviders(key: string, value: Node | null, report: (node: Node | null | undefined, message: string) => void): ProviderId[] | undefined {
  const items = key === 'provider' ? [value] : isSeq(value) ? (value.items as (Node | null)[]) : undefined;
  if (items === undefined || items.length === 0) {
    report(value, '`providers` is a list such as [openai, modellix].');
    return undefined;
  }
  const providers: ProviderId[] = [];
  for (const item of items) {
    const text = isScalar(item) ? String(item.value) : undefined;
    if (text === undefined || !isProviderId(text)) report(item, `unknown provider "${text ?? ''}": use ${providerIds.join(', ')}.`);
    else if (providers.includes(text)) report(item, `provider ${text} is listed twice.`);
    else providers.push(text);
  }
  return providers.length === items.length ? providers : undefined;
}
