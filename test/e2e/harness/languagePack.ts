import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { codeServerBin, node24Bin, repoRoot } from './paths';
import { runToEnd } from './processes';
import type { Profile } from './profile';

/**
 * Makes code-server run in `locale` without downloading Microsoft's language pack (nothing but npm
 * is reachable here): a stand-in pack with no workbench translations, packaged and installed into
 * the profile, and the languagepacks.json that VS Code reads to decide that the locale is available.
 * The workbench stays English; `vscode.env.language` becomes `locale`, so `vscode.l10n` loads the
 * extension's l10n/bundle.l10n.<locale>.json, which is what a localisation scenario checks.
 */
export async function installLanguagePack(profile: Profile, locale: string): Promise<void> {
  const source = join(profile.dir, `language-pack-${locale}`);
  mkdirSync(join(source, 'translations'), { recursive: true });
  const id = `e2e-language-pack-${locale}`;
  writeFileSync(
    join(source, 'package.json'),
    JSON.stringify({
      name: id,
      publisher: 'e2e',
      version: '0.0.1',
      engines: { vscode: '^1.96.0' },
      categories: ['Language Packs'],
      contributes: { localizations: [{ languageId: locale, languageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
    }),
  );
  writeFileSync(join(source, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(join(source, 'README.md'), 'A stand-in language pack for the e2e suite.\n');
  const vsix = join(profile.dir, `${id}.vsix`);
  const env = { ...profile.env, PATH: `${node24Bin}${delimiter}${profile.env.PATH ?? ''}` };
  await runToEnd(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: source, env });
  await runToEnd(codeServerBin, ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix], { env });
  const installed = readdirSync(profile.extensionsDir).find((entry) => entry.startsWith(`e2e.${id}-`));
  if (installed === undefined) throw new Error(`the ${locale} language pack did not install into ${profile.extensionsDir}`);
  writeFileSync(
    join(profile.userDataDir, 'languagepacks.json'),
    JSON.stringify({
      [locale]: {
        hash: `e2e-${locale}`,
        extensions: [{ extensionIdentifier: { id: `e2e.${id}` }, version: '0.0.1' }],
        translations: { vscode: join(profile.extensionsDir, installed, 'translations', 'main.i18n.json') },
        label: locale,
      },
    }),
  );
}
