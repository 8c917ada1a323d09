// `node scripts/readmeScreenshots.mjs`: copies the README's screenshots from the last real-editor run
// (test-results/e2e/, written by `node scripts/e2e.mjs`) into media/readme/, so the pictures in the
// README are what the extension really showed, never edited by hand. Run the scenarios named below
// first, e.g. `node scripts/e2e.mjs --skip-host --only polish-walkthrough,polish-generate-here,polish-from-selection,polish-check-setup`.
// Fails (and copies nothing) when one is missing.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'test-results', 'e2e');
const to = join(root, 'media', 'readme');

/** README name ← screenshot of a scenario (`<scenario>-<label>.png`). */
export const readmeScreenshots = {
  'walkthrough.png': 'polish-walkthrough-first-step.png',
  'generate-here.png': 'polish-generate-here-copied-as-markdown.png',
  'from-selection.png': 'polish-from-selection-inserted.png',
  'check-setup.png': 'polish-check-setup-log.png',
};

const missing = Object.values(readmeScreenshots).filter((name) => !existsSync(join(from, name)));
if (missing.length > 0) {
  console.error(`readmeScreenshots: missing in test-results/e2e/: ${missing.join(', ')}. Run those scenarios first.`);
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const [target, source] of Object.entries(readmeScreenshots)) {
  copyFileSync(join(from, source), join(to, target));
  console.log(`readmeScreenshots: media/readme/${target} ← test-results/e2e/${source} (${(statSync(join(to, target)).size / 1024).toFixed(0)} KB)`);
}
