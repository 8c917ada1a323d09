import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { altText, imageSnippet, linkTarget, onItsOwnLine } from '../../../src/webview/insertImage';

describe('insert image snippet', () => {
  it('links relative to the document folder', () => {
    const base = { imagePath: '/w/images/fox 1.png', fallbackPath: 'images/fox 1.png' };
    assert.equal(linkTarget({ ...base, documentPath: '/w/README.md' }), 'images/fox%201.png');
    assert.equal(linkTarget({ ...base, documentPath: '/w/docs/guide/intro.md' }), '../../images/fox%201.png');
    assert.equal(linkTarget({ ...base, documentPath: '/w/images/notes.md' }), 'fox%201.png');
    assert.equal(linkTarget({ ...base, documentPath: undefined }), 'images/fox%201.png');
  });

  it('treats Windows drive letters case-insensitively', () => {
    assert.equal(linkTarget({ imagePath: '/c:/p/images/a.png', documentPath: '/C:/p/docs/x.md', fallbackPath: '' }), '../images/a.png');
  });

  it('writes Markdown with escaped alt text and encoded parentheses', () => {
    const snippet = imageSnippet({
      format: 'markdown',
      imagePath: '/w/images/a (2).png',
      documentPath: '/w/README.md',
      fallbackPath: '',
      prompt: 'a [red]\n fox',
    });
    assert.equal(snippet, '![a \\[red\\] fox](images/a%20%282%29.png)');
  });

  it('writes HTML with escaped attributes', () => {
    const snippet = imageSnippet({
      format: 'html',
      imagePath: '/w/images/a.png',
      documentPath: '/w/index.html',
      fallbackPath: '',
      prompt: 'say "hi" <b>',
    });
    assert.equal(snippet, '<img src="images/a.png" alt="say &quot;hi&quot; &lt;b&gt;">');
  });

  it('keeps alt text to one line of at most 125 characters', () => {
    const alt = altText('word '.repeat(100));
    assert.ok(alt.length <= 125);
    assert.ok(alt.endsWith('…'));
  });
});

describe('a Markdown image on its own line', () => {
  it('is split from text before or after it on the line, and left alone on an empty line', () => {
    assert.equal(onItsOwnLine('![a](a.png)', '', '# Notes'), '![a](a.png)\n');
    assert.equal(onItsOwnLine('![a](a.png)', 'See', ''), '\n![a](a.png)');
    assert.equal(onItsOwnLine('![a](a.png)', 'See ', ' below'), '\n![a](a.png)\n');
    assert.equal(onItsOwnLine('![a](a.png)', '  ', ''), '![a](a.png)');
  });
});
