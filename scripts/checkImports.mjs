// Checks that imports point one way (docs/architecture.md, "Layers"): core/ imports no other layer,
// providers/ only core/, and no two folders of src/ import each other, directly or round a longer
// cycle. Also that every module without a `vscode` import outside core/providers/cli is listed as pure
// in eslint.config.mjs, so the lint rule that keeps the editor out covers it. Part of `npm run lint`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pureModules } from '../eslint.config.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

function listTs(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return listTs(path);
    return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

/** The layer a file belongs to: its first folder under src/ (webview/app is a layer of its own), or "root". */
function layerOf(file) {
  const parts = relative(src, file).split(sep);
  if (parts.length === 1) return 'root';
  if (parts[0] === 'webview' && parts[1] === 'app' && parts.length > 2) return 'webview/app';
  return parts[0];
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const allowed = {
  core: new Set(['core']),
  providers: new Set(['core', 'providers']),
};

const problems = [];
const edges = new Map();
const files = listTs(src);
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const from = layerOf(file);
  let importsVscode = false;
  for (const match of text.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier === 'vscode') importsVscode = true;
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier);
    if (!target.startsWith(src)) {
      if (!specifier.endsWith('package.json')) problems.push(`${relative(root, file)} imports ${specifier}, outside src/`);
      continue;
    }
    const to = layerOf(target.endsWith('.ts') ? target : `${target}.ts`);
    if (to === from) continue;
    if (allowed[from] && !allowed[from].has(to)) problems.push(`${relative(root, file)} (${from}/) imports ${specifier} (${to}/): ${from}/ may import only ${[...allowed[from]].join(', ')}`);
    if (!edges.has(from)) edges.set(from, new Map());
    const targets = edges.get(from);
    if (!targets.has(to)) targets.set(to, relative(root, file));
  }
  const layer = layerOf(file);
  const path = relative(root, file).split(sep).join('/');
  if (!importsVscode && !['core', 'providers', 'cli', 'webview/app'].includes(layer) && layer !== 'root' && !pureModules.includes(path)) {
    problems.push(`${path} does not import vscode: list it in pureModules in eslint.config.mjs so it stays editor-free`);
  }
}

// Folder-level cycles: a depth-first search over the layer graph.
const state = new Map();
const stack = [];
function visit(layer) {
  state.set(layer, 'open');
  stack.push(layer);
  for (const [next, file] of edges.get(layer) ?? []) {
    if (state.get(next) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(next)), next];
      problems.push(`import cycle between folders: ${cycle.join(' -> ')} (for example ${file} -> ${next}/)`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(layer, 'done');
}
for (const layer of edges.keys()) if (!state.has(layer)) visit(layer);

if (problems.length > 0) {
  console.error(`checkImports: ${problems.length} problem(s):\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  process.exit(1);
}
const graph = [...edges].map(([from, targets]) => `${from} -> ${[...targets.keys()].sort().join(', ')}`).sort();
console.log(`checkImports: ${files.length} files, no folder-level cycle; core/ imports only core/, providers/ only core/.\n  ${graph.join('\n  ')}`);
