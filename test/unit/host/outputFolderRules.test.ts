import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outputFolderRelativePath } from '../../../src/host/outputFolderRules';

const folder = '/home/me/project';

function relative(setting: unknown, root = folder): string {
  const rule = outputFolderRelativePath(setting, root);
  assert.ok(rule.ok, rule.ok ? '' : rule.error);
  return rule.relativePath;
}

function refused(setting: unknown, root = folder): string {
  const rule = outputFolderRelativePath(setting, root);
  assert.equal(rule.ok, false, `${String(setting)} should be refused`);
  return rule.ok ? '' : rule.error;
}

describe('output folder confinement', () => {
  it('defaults to images/ inside the workspace folder', () => {
    assert.equal(relative(undefined), 'images');
    assert.equal(relative(''), 'images');
    assert.equal(relative('   '), 'images');
  });

  it('accepts relative paths, normalised, with either separator', () => {
    assert.equal(relative('assets/generated/'), 'assets/generated');
    assert.equal(relative('assets\\generated'), 'assets/generated');
    assert.equal(relative('./art/../images'), 'images');
    assert.equal(relative('.'), '');
  });

  it('refuses anything that climbs out of the folder', () => {
    assert.match(refused('..'), /outside the workspace folder/);
    assert.match(refused('../sibling'), /gptImage\.outputFolder/);
    assert.match(refused('images/../../..'), /outside/);
    assert.match(refused('..\\x'), /outside/);
    assert.match(refused('~/Pictures'), /outside/);
  });

  it('accepts an absolute path only when it is inside the folder', () => {
    assert.equal(relative('/home/me/project/images'), 'images');
    assert.equal(relative('/home/me/project'), '');
    assert.match(refused('/home/me/project-other/images'), /outside/);
    assert.match(refused('/tmp/images'), /outside/);
    assert.match(refused('/home/me/project/../elsewhere'), /outside/);
  });

  it('handles Windows drive paths (case-insensitively) against a file URI path', () => {
    const windowsRoot = '/c:/Users/Me/Project';
    assert.equal(relative('C:\\Users\\Me\\Project\\out', windowsRoot), 'out');
    assert.equal(relative('c:/users/me/project/out', windowsRoot), 'out');
    assert.match(refused('D:\\images', windowsRoot), /outside/);
    assert.match(refused('C:relative', windowsRoot), /outside/);
  });
});
