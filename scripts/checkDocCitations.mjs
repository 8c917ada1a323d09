// Checks that what code comments cite exists in the repository (run by `npm run lint`):
// - `docs/<name>.md` must be a file;
// - `docs/<name>.md §3.2` (and further `§…` in the same file until another document is named, and
//   ranges such as `§5.4–5.5`) must be numbered headings of that file (`### 3.2 …`);
// - `docs/<name>.md, "Heading"` must be a heading of that file (its text, without the number);
// - a U-code such as `U-M1`, anywhere in a file (test names too), must head an entry of docs/providers.md;
// - documents that live outside the repository (providers.md, design.md, … without `docs/`) are not cited.
// Usage: node scripts/checkDocCitations.mjs [--root DIR]   (exit 1 and one line per problem on failure)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const rootIndex = process.argv.indexOf('--root');
const root = rootIndex > 0 ? process.argv[rootIndex + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const scanned = ['src', 'test'];
/** Where U-codes are defined. */
const unknownsDocument = 'docs/providers.md';
/**
 * Documents announced but not written yet: citations of them are listed, not failed, until the file
 * exists (then they are checked like any other). Remove an entry once its document is in.
 */
const pendingDocuments = new Map();
/** Names of the team's documents outside the repository, which code must not cite. */
const outsideDocuments = /(?<![\w./-])((?:\.\.\/shared\/|\/work\/shared\/)?(?:providers|design|testing|agents|style)\.md)\b/g;

function listTs(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listTs(path));
    else if (entry.endsWith('.ts')) files.push(path);
  }
  return files.sort();
}

/** Headings of one Markdown file, outside fenced code: their numbers, texts and U-codes. */
function readDocument(path) {
  const numbers = new Set();
  const titles = new Set();
  const codes = new Set();
  let fenced = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1];
    const number = /^(\d+(?:\.\d+)*)\.?\s+(.*)$/.exec(text);
    if (number) numbers.add(number[1]);
    titles.add(normalizeTitle(number ? number[2] : text));
    const code = /^(U-[A-Z]+\d+)\b/.exec(text);
    if (code) codes.add(code[1]);
  }
  return { numbers, titles, codes };
}

function normalizeTitle(text) {
  return text.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Every comment of a TypeScript file, with its start offset, found through the syntax tree. */
function commentsOf(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const seen = new Map();
  const collect = (ranges) => {
    for (const range of ranges ?? []) if (!seen.has(range.pos)) seen.set(range.pos, text.slice(range.pos, range.end));
  };
  const visit = (node) => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([pos, comment]) => ({ pos, comment }));
}

function lineAt(text, offset) {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

const documents = new Map();
function documentFor(name) {
  if (!documents.has(name)) {
    const path = join(root, ...name.split('/'));
    documents.set(name, existsSync(path) ? readDocument(path) : undefined);
  }
  return documents.get(name);
}

const problems = [];
const waiting = new Map();
let citations = 0;

/** A citation of `name` (a section number or a quoted heading) at `where`. */
function checkCitation(name, target, where) {
  citations++;
  const document = documentFor(name);
  if (document === undefined) {
    if (pendingDocuments.has(name)) {
      const list = waiting.get(name) ?? [];
      list.push(`${target ?? '(the file)'} (${where})`);
      waiting.set(name, list);
    } else {
      problems.push(`${where}: cites ${name}, which is not in the repository.`);
    }
    return;
  }
  if (target === undefined) return;
  if (target.startsWith('§')) {
    if (!document.numbers.has(target.slice(1))) problems.push(`${where}: ${name} has no section ${target}.`);
  } else if (!document.titles.has(normalizeTitle(target.slice(1, -1)))) {
    problems.push(`${where}: ${name} has no heading ${target}.`);
  }
}

const citationPattern = /(docs\/[\w.-]+\.md)(?:,\s*("[^"\n]+"))?|§\s*(\d+(?:\.\d+)*)(?:\s*[–-]\s*(\d+(?:\.\d+)*))?/g;

for (const file of scanned.flatMap((dir) => listTs(join(root, dir)))) {
  const text = readFileSync(file, 'utf8');
  const shown = relative(root, file).split(sep).join('/');
  let lastDocument;
  for (const { pos, comment } of commentsOf(file, text)) {
    for (const match of comment.matchAll(citationPattern)) {
      const where = `${shown}:${lineAt(text, pos + match.index)}`;
      if (match[1] !== undefined) {
        lastDocument = match[1];
        // With a quoted heading, that heading; otherwise the file (a § after it is checked next).
        checkCitation(match[1], match[2], where);
        continue;
      }
      if (lastDocument === undefined) {
        problems.push(`${where}: §${match[3]} does not say which document it is in: write docs/<name>.md §${match[3]}.`);
        continue;
      }
      checkCitation(lastDocument, `§${match[3]}`, where);
      if (match[4] !== undefined) checkCitation(lastDocument, `§${match[4]}`, where);
    }
    for (const match of comment.matchAll(outsideDocuments)) {
      problems.push(`${shown}:${lineAt(text, pos + match.index)}: cites ${match[1]}, which is not in the repository: cite docs/<name>.md instead.`);
    }
  }
  for (const match of text.matchAll(/\bU-[A-Z]+\d+\b/g)) {
    citations++;
    const unknowns = documentFor(unknownsDocument);
    if (!unknowns?.codes.has(match[0])) {
      problems.push(`${shown}:${lineAt(text, match.index)}: ${match[0]} has no entry (a heading starting "${match[0]}") in ${unknownsDocument}.`);
    }
  }
}

for (const [name, list] of waiting) {
  console.log(`checkDocCitations: ${name} is not written yet (${pendingDocuments.get(name)}); it must have:`);
  for (const item of list) console.log(`  ${item}`);
}
for (const name of pendingDocuments.keys()) {
  if (documentFor(name) !== undefined) console.log(`checkDocCitations: ${name} exists now: remove it from pendingDocuments.`);
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`checkDocCitations: ${problems.length} citation(s) point at nothing.`);
  process.exit(1);
}
const pending = [...waiting.values()].reduce((sum, list) => sum + list.length, 0);
console.log(`checkDocCitations: ${citations - pending} citation(s) resolve${pending > 0 ? `, ${pending} wait for a pending document` : ''}.`);
