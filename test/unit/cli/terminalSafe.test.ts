import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalSafe } from '../../../src/cli/io';

describe('terminalSafe (every CLI output line passes it)', () => {
  it('escapes C0 but tab, DEL, C1 and bidi controls, and leaves printable text and tabs alone', () => {
    assert.equal(terminalSafe('\u001b[31mred\u001b[0m'), '\\u001b[31mred\\u001b[0m');
    assert.equal(terminalSafe('a\u0007b\rc\nd\u007fe'), 'a\\u0007b\\u000dc\\u000ad\\u007fe');
    assert.equal(terminalSafe('\u0085\u009b\u009f'), '\\u0085\\u009b\\u009f');
    assert.equal(terminalSafe('\u202eabc\u2066\u2069\u200f'), '\\u202eabc\\u2066\\u2069\\u200f');
    assert.equal(terminalSafe('tab\there, Grüße, 猫.png, émoji 🦉'), 'tab\there, Grüße, 猫.png, émoji 🦉');
  });
});
