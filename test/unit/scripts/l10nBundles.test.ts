import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ProviderError } from '../../../src/core/errors';
import { describeError } from '../../../src/host/errorText';
import { setL10nBundle as setHostBundle } from '../../../src/host/l10nText';
import { progressMessage } from '../../../src/host/progressText';
import { formProblems, initialState } from '../../../src/webview/formModel';
import { setL10nBundle as setPageBundle, t as pageT } from '../../../src/webview/l10nText';
import { allCapabilities } from '../../../src/core/capabilities';
import { localizedCommandTitles } from '../../../src/commands/commandTitleText';
import { commandTitles } from '../../../src/commands/commands';
import { formatElapsed } from '../../../src/core/timeText';

type Bundle = Record<string, string>;

interface L10nScript {
  collectStrings(root?: string): { strings: Map<string, string[]>; problems: string[] };
  checkTranslation(english: Bundle, translated: Bundle, name: string): string[];
  bundleText(strings: Map<string, string[]>): string;
}

const script = (): Promise<L10nScript> => import(pathToFileURL(resolve('scripts/l10nBundle.mjs')).href) as Promise<L10nScript>;
const read = (path: string): Bundle => JSON.parse(readFileSync(path, 'utf8')) as Bundle;
const english = (): Bundle => read('l10n/bundle.l10n.json');
const translations = ['zh-cn', 'ja'] as const;

/**
 * What a translation must carry over exactly: codicons, setting ids, `code`, file patterns and the
 * command titles quoted in English (the manifest's translations are another file's business).
 */
function protectedTokens(message: string): string[] {
  const patterns = [/\$\([a-z~-]+\)/g, /gptImage\.[A-Za-z<>{}0-9.]*[A-Za-z>}0-9]/g, /`[^`]+`/g, /\*\.images\.(?:yaml|json)/g, /GPT Image: [A-Z][A-Za-z ]+…?/g, /https:\/\//g];
  return patterns.flatMap((pattern) => [...message.matchAll(pattern)].map((match) => match[0])).sort();
}

describe('localisation bundles (l10n/)', () => {
  it('holds every string the extension code translates, and nothing else (scripts/l10nBundle.mjs wrote it)', async () => {
    const { collectStrings, bundleText } = await script();
    const { strings, problems } = collectStrings();
    assert.deepEqual(problems, [], 'every translate call passes a literal message');
    assert.ok(strings.size > 300, `${strings.size} strings found`);
    const missing = [...strings.keys()].filter((key) => !(key in english()));
    assert.deepEqual(missing, [], 'run node scripts/l10nBundle.mjs');
    assert.equal(readFileSync('l10n/bundle.l10n.json', 'utf8'), bundleText(strings), 'run node scripts/l10nBundle.mjs');
  });

  for (const name of translations) {
    it(`has a complete ${name} translation: no missing, empty or stale entry, the same placeholders`, async () => {
      const { checkTranslation } = await script();
      assert.deepEqual(checkTranslation(english(), read(`l10n/bundle.l10n.${name}.json`), name), []);
    });

    it(`keeps codicons, setting ids, code and quoted command titles exactly in ${name}`, () => {
      const translated = read(`l10n/bundle.l10n.${name}.json`);
      const changed = Object.keys(english()).filter((key) => translated[key] !== undefined && protectedTokens(key).join('|') !== protectedTokens(translated[key]).join('|'));
      assert.deepEqual(changed, []);
    });
  }

  it('reports a missing entry, an empty one, a stale key and different placeholders', async () => {
    const { checkTranslation } = await script();
    const problems = checkTranslation(
      { 'Saved {0}.': 'Saved {0}.', 'Open': 'Open', 'Close': 'Close', 'Job {0} · {1}': 'Job {0} · {1}' },
      { 'Saved {0}.': '已保存。', 'Close': ' ', 'Job {0} · {1}': '作业 {0} · {1}', 'Gone': '旧' },
      'zh-cn',
    );
    assert.deepEqual(problems, [
      'zh-cn: placeholders of "Saved {0}." are {0}, the translation has none',
      'zh-cn: missing "Open"',
      'zh-cn: empty "Close"',
      'zh-cn: stale "Gone" (no longer in the code)',
    ]);
  });

  it('ships: package.json names the folder and .vscodeignore lets it into the .vsix', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { l10n?: string };
    assert.equal(manifest.l10n, './l10n');
    assert.ok(readFileSync('.vscodeignore', 'utf8').split('\n').includes('!l10n/*.json'));
  });
});

describe('translated text', () => {
  it('the editor-free host modules speak the bundle VS Code loaded, and English without one', () => {
    const zh = read('l10n/bundle.l10n.zh-cn.json');
    const error = new ProviderError({ kind: 'rateLimit', provider: 'openai', message: 'OpenAI is rate limiting requests' });
    try {
      setHostBundle(zh);
      assert.equal(describeError(error).message, `OpenAI is rate limiting requests. ${zh['Wait a minute and try again.']}`);
      assert.equal(progressMessage(undefined, 61_000, 'OpenAI'), zh['Starting · {0}']?.replace('{0}', formatElapsed(61_000)));
    } finally {
      setHostBundle(undefined);
    }
    assert.equal(describeError(error).message, 'OpenAI is rate limiting requests. Wait a minute and try again.');
  });

  it('the Studio page looks its strings up in the bundle sent with init, with the placeholders filled', () => {
    const ja = read('l10n/bundle.l10n.ja.json');
    const capability = allCapabilities()[0];
    assert.ok(capability);
    try {
      setPageBundle(ja);
      assert.deepEqual(formProblems(initialState(capability.provider, capability.model), capability), [ja['Describe the image you want.']]);
      assert.equal(pageT('Generate {0} images', 3), ja['Generate {0} images']?.replace('{0}', '3'));
    } finally {
      setPageBundle(undefined);
    }
    assert.equal(pageT('Generate {0} images', 3), 'Generate 3 images');
  });
});

describe('command titles in failure messages', () => {
  it('are the manifest titles in English and the bundle titles in another language', () => {
    assert.deepEqual(localizedCommandTitles(), commandTitles);
    const ja = read('l10n/bundle.l10n.ja.json');
    try {
      setHostBundle(ja);
      assert.equal(localizedCommandTitles()['gptImage.generate'], ja['Generate Image…']);
    } finally {
      setHostBundle(undefined);
    }
  });
});
