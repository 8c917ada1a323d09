import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createChannelLogger } from '../../../src/host/log';
import { createSecretScrubber } from '../../../src/core/secrets';

describe('the log channel', () => {
  it('scrubs registered keys from every level before a line reaches the channel', () => {
    const key = 'sk-proj-abcdefghijklmnop';
    const scrubber = createSecretScrubber();
    scrubber.add(key);
    const lines: string[] = [];
    const record = (message: string): void => void lines.push(message);
    const channel = { trace: record, debug: record, info: record, warn: record, error: record };
    const log = createChannelLogger(channel as never, scrubber);
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) log[level](`${level}: Authorization Bearer ${key} refused`);
    assert.equal(lines.length, 5);
    for (const line of lines) {
      assert.equal(line.includes(key), false, line);
      assert.match(line, /\[redacted\] refused/);
    }
  });
});
