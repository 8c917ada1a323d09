import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allCapabilities } from '../../../src/core/capabilities';
import { fitStateToCapability, generateForm, initialState, outgoing } from '../../../src/webview/formModel';
import { historyActions, parseToHost } from '../../../src/webview/protocol';
import type { ToHost, ToHostType } from '../../../src/webview/protocol';
import { maskOutgoing } from '../../../src/webview/maskMessages';

/** One message of every type, built the way the app builds them. */
const samples: Record<ToHostType, ToHost> = {
  ready: outgoing.ready(),
  generate: outgoing.generate('r1', {
    provider: 'openai',
    model: 'gpt-image-2',
    prompt: 'a red fox in snow',
    size: '1536x1024',
    quality: 'high',
    n: 2,
    background: 'opaque',
    outputFormat: 'webp',
    outputCompression: 80,
    partialImages: 2,
    references: [{ kind: 'file', uri: 'file:///work/images/a.png' }],
  }),
  cancel: outgoing.cancel('r2', 'job-123'),
  setKey: outgoing.setKey('r3', 'apixo'),
  pickReferences: outgoing.pickReferences('r4'),
  dropReferences: outgoing.dropReferences('r5', ['file:///work/a.png', 'vscode-remote://ssh-remote+box/home/me/b.jpg']),
  loadHistory: outgoing.loadHistory('r6', 'fox', 40, 40),
  historyAction: outgoing.historyAction('r7', 'insertMarkdown', 'file:///work/images/a.png'),
  log: outgoing.log('error', 'x'.repeat(5000)),
  maskSave: maskOutgoing.save('r8', 'mask-1', [{ kind: 'stroke', tool: 'brush', size: 24, points: [{ x: 1.5, y: 2 }, { x: 40, y: 30.25 }] }, { kind: 'invert' }], {
    provider: 'openai',
    model: 'gpt-image-2',
    prompt: 'a boat',
  }),
  maskDraft: maskOutgoing.draft('mask-1', [{ kind: 'clear' }, { kind: 'stroke', tool: 'eraser', size: 3, points: [{ x: 0, y: 0 }] }], 'a boat'),
  maskClose: maskOutgoing.close('mask-1'),
};

function accepts(message: unknown): ToHost {
  const parsed = parseToHost(message);
  assert.ok(parsed.ok, `rejected ${JSON.stringify(message).slice(0, 200)}: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.message;
}

function rejects(message: unknown, reason?: RegExp): void {
  const parsed = parseToHost(message);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(message)}`);
  if (reason && !parsed.ok) assert.match(parsed.reason, reason);
}

describe('protocol: messages the app sends', () => {
  it('accepts one message of every type, unchanged', () => {
    for (const [type, message] of Object.entries(samples)) {
      const parsed = accepts(message);
      assert.equal(parsed.type, type);
      assert.deepEqual(parsed, message);
    }
  });

  it('accepts every history action', () => {
    for (const action of historyActions) accepts(outgoing.historyAction('r', action, 'job:1'));
  });

  it('accepts the Generate form the app builds for every provider × model row, with every option set', () => {
    for (const capability of allCapabilities()) {
      const state = initialState(capability.provider, capability.model);
      state.prompt = 'a lighthouse at dusk';
      state.n = 99;
      state.background = 'transparent';
      state.outputFormat = 'jpeg';
      state.outputCompression = 70;
      state.sizeChoice = 'custom';
      state.customSize = '2048x1152';
      state.references = [
        { spec: { kind: 'file', uri: 'file:///w/a.png' }, label: 'a.png' },
        { spec: { kind: 'url', url: 'https://example.com/a.png' }, label: 'url' },
      ];
      fitStateToCapability(state, capability);
      const form = generateForm(state, capability);
      const parsed = accepts(outgoing.generate('r', form));
      assert.equal(parsed.type, 'generate');
      // Only what the row allows travels: no background for Gravitex, no file for APIXO, n capped.
      assert.ok(form.n <= capability.maxN);
      if (capability.backgrounds.length === 0) assert.equal(form.background, undefined);
      if (capability.outputFormats.length === 0) assert.equal(form.outputFormat, undefined);
      if (!capability.outputCompression) assert.equal(form.outputCompression, undefined);
      if (capability.qualities.length === 0) assert.equal(form.quality, undefined);
      if (!capability.edit.acceptsLocalFile) assert.ok(form.references.every((reference) => reference.kind === 'url'));
      if (capability.size.kind === 'aspectTier') assert.match(form.size, /^(auto|\d+:\d+)@(1k|2k|4k)$/);
    }
  });

  it('truncates log text to what the schema allows', () => {
    const parsed = accepts(samples.log);
    assert.equal(parsed.type === 'log' && parsed.message.length, 4000);
  });

  it('is the only way the app posts: no hand-built message objects in src/webview/app', () => {
    const dir = join(process.cwd(), 'src', 'webview', 'app');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    assert.ok(files.some((file) => file.startsWith('mask')), 'the mask painter\'s folder is scanned too');
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(source, /(send|postMessage)\(\s*\{/, `${file} posts an object literal instead of using outgoing.*`);
      assert.doesNotMatch(source, /=>\s*\(\s*\{\s*type:/, `${file} builds a message by hand`);
      assert.doesNotMatch(source, /^import (?!type)[^;]*from 'zod/m, `${file} would pull zod into the browser bundle`);
      assert.doesNotMatch(source, /^import (?!type)[^;]*from '(\.\.\/)+(protocol|maskProtocol)'/m, `${file} must import only types from protocol.ts`);
    }
  });
});

describe('protocol: malformed messages are rejected', () => {
  it('rejects what is not a message', () => {
    for (const value of [undefined, null, 42, 'ready', [], [{ type: 'ready' }], {}, { type: 42 }]) rejects(value);
  });

  it('rejects unknown types and missing request ids', () => {
    rejects({ type: 'deleteEverything' });
    rejects({ type: 'cancel', jobId: 'job-1' }, /requestId/);
    rejects({ type: 'pickReferences', requestId: '' });
    rejects({ type: 'setKey', requestId: 'r', provider: 'midjourney' }, /provider/);
    rejects({ type: 'setKey', requestId: 5, provider: 'openai' }, /requestId/);
  });

  it('rejects a Generate form with wrong fields', () => {
    const good = samples.generate as Extract<ToHost, { type: 'generate' }>;
    const with_ = (change: Record<string, unknown>): unknown => ({ ...good, form: { ...good.form, ...change } });
    rejects(with_({ provider: 'nope' }), /form\.provider/);
    rejects(with_({ model: 'dall-e-3' }), /form\.model/);
    rejects(with_({ n: 0 }), /form\.n/);
    rejects(with_({ n: 1.5 }), /form\.n/);
    rejects(with_({ n: '2' }), /form\.n/);
    rejects(with_({ quality: 'ultra' }), /form\.quality/);
    rejects(with_({ outputCompression: 101 }), /form\.outputCompression/);
    rejects(with_({ prompt: 7 }), /form\.prompt/);
    rejects(with_({ partialImages: 4 }), /form\.partialImages/);
    rejects(with_({ partialImages: -1 }), /form\.partialImages/);
    rejects(with_({ partialImages: 1.5 }), /form\.partialImages/);
    rejects(with_({ partialImages: '2' }), /form\.partialImages/);
    rejects(with_({ references: [{ kind: 'path', path: '/etc/passwd' }] }), /form\.references/);
    rejects(with_({ references: 'file:///a.png' }), /form\.references/);
    rejects({ type: 'generate', requestId: 'r' }, /form/);
  });

  it('rejects bad paging, actions and drops', () => {
    rejects({ type: 'loadHistory', requestId: 'r', query: '', offset: -1, limit: 40 }, /offset/);
    rejects({ type: 'loadHistory', requestId: 'r', query: '', offset: 0, limit: 100000 }, /limit/);
    rejects({ type: 'historyAction', requestId: 'r', action: 'deleteForever', itemId: 'x' }, /action/);
    rejects({ type: 'historyAction', requestId: 'r', action: 'open' }, /itemId/);
    rejects({ type: 'dropReferences', requestId: 'r', uris: [] }, /uris/);
    rejects({ type: 'log', level: 'debug', message: 'x' }, /level/);
  });

  it('partial images: the chosen count goes with Generate where the row streams, 0 where it does not', () => {
    for (const capability of allCapabilities()) {
      const state = initialState(capability.provider, capability.model, 3);
      state.prompt = 'a fox';
      fitStateToCapability(state, capability);
      const form = generateForm(state, capability);
      accepts(outgoing.generate('r', form));
      assert.equal(form.partialImages, capability.streaming?.partialImages ? 3 : 0, `${capability.provider} ${capability.model}`);
    }
    const gravitex = allCapabilities().find((row) => row.provider === 'gravitex');
    assert.ok(gravitex && gravitex.streaming && !gravitex.streaming.partialImages, 'Gravitex does not stream partials');
    const openai = allCapabilities().find((row) => row.provider === 'openai' && row.model === 'gpt-image-2');
    assert.ok(openai);
    const state = initialState('openai', 'gpt-image-2');
    state.partialImages = 9;
    assert.equal(generateForm(state, openai).partialImages, 3, 'clamped to what the schema accepts');
    assert.equal(initialState('openai', 'gpt-image-2').partialImages, 0, 'defaults to none');
  });
});
