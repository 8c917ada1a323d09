import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

const script = join(__dirname, '..', '..', '..', '..', 'scripts', 'checkDocCitations.mjs');
const roots: string[] = [];

after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A throwaway repository with these files, checked by the real script. */
function check(files: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const root = mkdtempSync(join(tmpdir(), 'doc-citations-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const result = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Built from parts so that this file's own text cites no U-code the real docs lack.
const code = (letters: string): string => `U-${letters}`;

const doc = ['# Providers', '## 5. Modellix', '### 5.4 Uploading a local image', `#### ${code('M1')} The /async suffix`, '## 8. Sources', ''].join('\n');

describe('checkDocCitations', () => {
  it("finds every citation in this repository's src/ and test/ resolvable", () => {
    // npm test runs eslint itself, not `npm run lint`: this keeps the check in its summary too.
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('passes sections, ranges, headings and U-codes that exist', () => {
    const result = check({
      'docs/providers.md': doc,
      'src/a.ts': `/** Upload (docs/providers.md §5.4, §5–5.4; docs/providers.md, "Sources"), ${code('M1')}. */\nexport const a = 1;\n`,
      'test/b.ts': `it('falls back (${code('M1')})', () => undefined);\n`,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /7 citation\(s\) resolve/);
  });

  it('fails, naming file and line, for each citation that points at nothing', () => {
    const result = check({
      'docs/providers.md': doc,
      'src/a.ts': [
        'export const a = 1;',
        '// docs/providers.md §9.9',
        '// docs/providers.md §5.4–5.9',
        '// docs/providers.md, "No such heading"',
        '// docs/missing.md',
        '/* see design.md */',
        `// ${code('Z9')}`,
        '',
      ].join('\n'),
      'test/b.ts': '// a bare §5.4 with no document before it\nexport const b = 1;\n',
    });
    assert.equal(result.status, 1);
    for (const expected of [
      'src/a.ts:2: docs/providers.md has no section §9.9.',
      'src/a.ts:3: docs/providers.md has no section §5.9.',
      'src/a.ts:4: docs/providers.md has no heading "No such heading".',
      'src/a.ts:5: cites docs/missing.md, which is not in the repository.',
      'src/a.ts:6: cites design.md, which is not in the repository',
      `src/a.ts:7: ${code('Z9')} has no entry`,
      'test/b.ts:1: §5.4 does not say which document it is in',
    ]) {
      assert.ok(result.stderr.includes(expected), `expected "${expected}" in:\n${result.stderr}`);
    }
    assert.match(result.stderr, /7 citation\(s\) point at nothing/);
  });

  it('ignores citations inside strings, where test data may look like them', () => {
    const result = check({ 'docs/providers.md': doc, 'src/a.ts': "export const path = '/p/docs/x.md §7';\n" });
    assert.equal(result.status, 0, result.stderr);
  });

  it('checks a quoted heading of docs/architecture.md, and fails while the document is missing', () => {
    const files = { 'docs/providers.md': doc, 'src/a.ts': '/** The pipeline (docs/architecture.md, "The pipeline"). */\nexport const a = 1;\n' };
    assert.equal(check(files).status, 1, 'no docs/architecture.md');

    const written = check({ ...files, 'docs/architecture.md': '# Architecture\n## Layers\n' });
    assert.equal(written.status, 1);
    assert.match(written.stderr, /src\/a\.ts:1: docs\/architecture\.md has no heading "The pipeline"\./);

    assert.equal(check({ ...files, 'docs/architecture.md': '# Architecture\n## 2. The pipeline\n' }).status, 0);
  });
});
