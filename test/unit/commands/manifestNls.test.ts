import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listFiles, PackageManager } from '@vscode/vsce';
import { manifestLocales, placeholderPattern, readManifest, readManifestMessages, readRawManifest, repoRoot } from './manifest';
import type { ManifestLocale } from './manifest';

/** Fields whose text VS Code shows to people (languageModelTools' modelDescription and inputSchema are for the model). */
const userFacingFields = new Set(['displayName', 'description', 'markdownDescription', 'title', 'category', 'userDescription', 'label', 'enumDescriptions', 'markdownEnumDescriptions']);
const forTheModel = new Set(['modelDescription', 'inputSchema']);

/** Every user-facing string of the manifest, with where it is. */
function userFacingStrings(value: unknown, path: string, field?: string): { path: string; text: string }[] {
  if (typeof value === 'string') return field !== undefined && userFacingFields.has(field) ? [{ path, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((entry: unknown, index) => userFacingStrings(entry, `${path}[${index}]`, field === 'enumDescriptions' || field === 'markdownEnumDescriptions' ? field : undefined));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => (forTheModel.has(key) ? [] : userFacingStrings(child, `${path}.${key}`, key)));
}

/** Every `%key%` the manifest refers to, anywhere. */
function referencedKeys(value: unknown): string[] {
  if (typeof value === 'string') return placeholderPattern.exec(value)?.slice(1, 2) ?? [];
  if (Array.isArray(value)) return value.flatMap((entry: unknown) => referencedKeys(entry));
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap((child: unknown) => referencedKeys(child));
}

/**
 * What a translation must carry over unchanged: code spans, {fields}, <name>-style parts, the
 * command: targets of Markdown links, setting/command/tool ids, model ids and line breaks
 * (each line of a walkthrough step is a paragraph or a button).
 */
function verbatimParts(text: string, lineBreaks = true): string[] {
  const patterns = [/`[^`]*`/g, /\{\w+\}/g, /<\w+>/g, /\]\(command:[\w.]+\)/g, /\bgptImage[._][\w.]*\w/g, /\bgpt-image[\w.-]*\w/g, ...(lineBreaks ? [/\n/g] : [])];
  return patterns.flatMap((pattern) => text.match(pattern) ?? []).sort();
}

interface WalkthroughManifest {
  readonly contributes: {
    readonly commands: readonly { readonly title: string }[];
    readonly walkthroughs: readonly { readonly steps: readonly { readonly id: string; readonly media: { readonly markdown: string } }[] }[];
  };
}

/** Each walkthrough step's Markdown file and the command titles, as VS Code shows them in one language. */
function walkthroughIn(locale?: ManifestLocale): { media: string[]; titles: Set<string> } {
  const manifest = readManifest<WalkthroughManifest>(locale);
  return {
    media: manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.map((step) => step.media.markdown)),
    titles: new Set(manifest.contributes.commands.map((command) => command.title)),
  };
}

/** The commands a walkthrough page names in bold as "GPT Image: Title" (the palette's wording). */
const namedCommands = (markdown: string): string[] => [...markdown.matchAll(/\*\*GPT Image: ([^*]+)\*\*/g)].map((match) => match[1] ?? '');

const productNames = ['GPT Image Studio', 'OpenAI', 'Gravitex', 'Modellix', 'APIXO', 'VS Code', 'Copilot', 'MCP', 'Markdown', 'Studio', 'PNG', 'JPEG', 'WebP'];
const namesIn = (text: string): string[] => productNames.filter((name) => text.includes(name));

/** Messages that are product names, the same in every language. */
const sameInEveryLanguage = new Set(['extension.displayName', 'command.category', 'configuration.title', 'mcpServerDefinitionProviders.mcp.label']);

const english = readManifestMessages();

describe('package.json localisation (package.nls*.json)', () => {
  it('has every user-facing string of package.json as a %key% reference', () => {
    const strings = userFacingStrings(readRawManifest(), 'package.json');
    assert.ok(strings.length > 60, `found ${strings.length} user-facing strings`);
    for (const { path, text } of strings) assert.match(text, placeholderPattern, `${path} is literal text: move it to package.nls.json`);
  });

  it('gives every %key% in package.json an English message, and has no message package.json does not use', () => {
    const keys = new Set(referencedKeys(readRawManifest()));
    assert.deepEqual([...keys].filter((key) => english[key] === undefined), [], 'keys missing from package.nls.json');
    assert.deepEqual(Object.keys(english).filter((key) => !keys.has(key)), [], 'package.nls.json keys package.json does not use');
    for (const [key, text] of Object.entries(english)) assert.ok(typeof text === 'string' && text.trim().length > 0, key);
  });

  for (const locale of manifestLocales) {
    describe(`package.nls.${locale}.json`, () => {
      const translated = readManifestMessages(locale);

      it('translates every English message and has no key the English lacks', () => {
        assert.deepEqual(Object.keys(english).filter((key) => translated[key] === undefined), [], 'untranslated keys');
        assert.deepEqual(Object.keys(translated).filter((key) => english[key] === undefined), [], 'keys the English lacks');
        for (const [key, text] of Object.entries(translated)) {
          assert.ok(typeof text === 'string' && text.trim().length > 0, `${key} is empty`);
          if (!sameInEveryLanguage.has(key)) assert.notEqual(text, english[key], `${key} is still English`);
        }
      });

      it('keeps code, {fields}, command: links, ids, product names and line breaks exactly', () => {
        for (const [key, text] of Object.entries(translated)) {
          const source = english[key] ?? '';
          assert.deepEqual(verbatimParts(text), verbatimParts(source), `${key}: ${JSON.stringify(text)}`);
          assert.deepEqual(namesIn(text), namesIn(source), `${key} names the same products`);
        }
      });

      it('gives each walkthrough step its own translated Markdown page, with the same code and the translated command titles', () => {
        const englishPages = walkthroughIn();
        const pages = walkthroughIn(locale);
        assert.deepEqual(pages.media, englishPages.media.map((path) => path.replace(/\.md$/, `.${locale}.md`)));
        pages.media.forEach((path, index) => {
          assert.ok(existsSync(join(repoRoot, path)), `${path} exists`);
          const text = readFileSync(join(repoRoot, path), 'utf8');
          const source = readFileSync(join(repoRoot, englishPages.media[index] ?? ''), 'utf8');
          assert.deepEqual(verbatimParts(text, false), verbatimParts(source, false), `${path} keeps code, fields and ids`);
          assert.deepEqual(namesIn(text), namesIn(source), `${path} names the same products`);
          assert.equal(namedCommands(text).length, namedCommands(source).length, `${path} names as many commands`);
          for (const title of namedCommands(text)) assert.ok(pages.titles.has(title), `${path} names "GPT Image: ${title}", which is not a ${locale} command title`);
        });
      });
    });
  }

  it('ships package.nls.json, both translations and every walkthrough page in the .vsix', async () => {
    const files = await listFiles({ cwd: repoRoot, packageManager: PackageManager.None });
    const pages = [undefined, ...manifestLocales].flatMap((locale) => walkthroughIn(locale).media);
    for (const file of ['package.nls.json', ...manifestLocales.map((locale) => `package.nls.${locale}.json`), ...pages]) {
      assert.ok(files.includes(file), `${file} is packaged (.vscodeignore), in ${join(repoRoot, '.vscodeignore')}`);
    }
  });
});
