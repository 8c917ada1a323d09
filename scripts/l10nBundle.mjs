// Writes l10n/bundle.l10n.json, the English bundle `vscode.l10n` and the Studio page look strings up
// in, from the sources themselves so it cannot drift: every `vscode.l10n.t('…')`, `l10n.t('…')` and
// `t('…')` call in the editor-side code (src/host, src/commands, src/webview and the two entry
// files). core/, providers/ and cli/ are shared with the English-only CLI and are not scanned.
// `node scripts/l10nBundle.mjs` writes the file; `--check` only reports whether it is up to date.
// test/unit/l10n.test.ts uses collectStrings and checkTranslation.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const roots = ['src/host', 'src/commands', 'src/webview', 'src/extension.ts', 'src/engine.ts'];

function listTs(path) {
  if (!statSync(path).isDirectory()) return path.endsWith('.ts') ? [path] : [];
  return readdirSync(path).sort().flatMap((entry) => listTs(join(path, entry)));
}

function isTranslateCall(node) {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 't';
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && callee.expression.getText().endsWith('l10n');
}

/**
 * Every string passed to a translate call, with where it is used, and the calls whose message is
 * not a literal (they could not be checked against the bundles, so they are refused).
 */
export function collectStrings(root = '.') {
  const strings = new Map();
  const problems = [];
  for (const file of roots.flatMap((entry) => listTs(join(root, entry)))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node) => {
      if (ts.isCallExpression(node) && isTranslateCall(node)) {
        const first = node.arguments[0];
        const where = `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          strings.set(first.text, [...(strings.get(first.text) ?? []), where]);
        } else {
          problems.push(`${where}: the message of a translate call must be a string literal`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { strings, problems };
}

/** The distinct placeholders of a message, sorted: `{0}`, `{1}`… (a translation may use one twice, or once where English repeats it). */
export function placeholders(message) {
  return [...new Set([...message.matchAll(/\{\d+\}/g)].map((match) => match[0]))].sort();
}

/** What is wrong with one translation file against the English bundle (empty when complete). */
export function checkTranslation(english, translated, name) {
  const problems = [];
  for (const key of Object.keys(english)) {
    if (!(key in translated)) problems.push(`${name}: missing "${key}"`);
    else if (typeof translated[key] !== 'string' || translated[key].trim() === '') problems.push(`${name}: empty "${key}"`);
    else if (placeholders(key).join() !== placeholders(translated[key]).join()) {
      problems.push(`${name}: placeholders of "${key}" are ${placeholders(key).join() || 'none'}, the translation has ${placeholders(translated[key]).join() || 'none'}`);
    }
  }
  for (const key of Object.keys(translated)) if (!(key in english)) problems.push(`${name}: stale "${key}" (no longer in the code)`);
  return problems;
}

/** The English bundle's text for these strings: keys sorted, each its own English text. */
export function bundleText(strings) {
  const bundle = Object.fromEntries([...strings.keys()].sort().map((key) => [key, key]));
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { strings, problems } = collectStrings();
  for (const problem of problems) console.error(problem);
  const text = bundleText(strings);
  const target = 'l10n/bundle.l10n.json';
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // Missing counts as out of date.
    }
    if (current !== text) {
      console.error(`${target} is out of date: run node scripts/l10nBundle.mjs`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(target, text);
    console.log(`${target}: ${strings.size} strings`);
  }
  if (problems.length > 0) process.exitCode = 1;
}
