import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox } from './cliHarness';
import type { Provenance } from '../../src/core/provenance';

/** Issue 12: every Studio option in the CLI, the newer OpenAI models and custom ones, checked on the wire. */
describe('gpt-image options, models and refusals (built CLI against the fake OpenAI and Gravitex)', () => {
  let openai: FakeOpenAi;
  let gravitex: FakeOpenAi;
  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
    gravitex = await startFakeOpenAi({ flavour: 'gravitex' });
  });
  after(async () => {
    await openai.close();
    await gravitex.close();
  });
  beforeEach(() => {
    openai.reset();
    gravitex.reset();
  });

  const sentBody = (fake: FakeOpenAi): Record<string, unknown> =>
    JSON.parse((fake.apiRequests()[0]?.body ?? Buffer.alloc(0)).toString('utf8')) as Record<string, unknown>;
  const generate = (fake: FakeOpenAi, provider: string, extra: string[]): string[] => [
    'generate', '--provider', provider, '--prompt', 'A glass teapot', '--size', '1024x1024', '--base-url', fake.baseUrl, ...extra,
  ];

  it('sends --background, --format, --compression, --moderation and xhigh to OpenAI exactly', async () => {
    const box = sandbox();
    const result = await runCli(
      generate(openai, 'openai', ['--model', 'gpt-image-2.5-flare', '--quality', 'xhigh', '--background', 'transparent', '--format', 'webp', '--compression', '80', '--moderation', 'low']),
      box,
    );
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(openai.apiRequests().length, 1);
    assert.deepEqual(sentBody(openai), {
      model: 'gpt-image-2.5-flare',
      prompt: 'A glass teapot',
      n: 1,
      size: '1024x1024',
      quality: 'xhigh',
      background: 'transparent',
      output_format: 'webp',
      output_compression: 80,
      moderation: 'low',
    });
  });

  it('Gravitex ignores background, format, compression and moderation: each is a warning, none is sent', async () => {
    const box = sandbox();
    const result = await runCli(generate(gravitex, 'gravitex', ['--background', 'opaque', '--format', 'jpeg', '--compression', '50', '--moderation', 'low']), box);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(sentBody(gravitex), { model: 'gpt-image-2', prompt: 'A glass teapot', n: 1, size: '1024x1024', quality: 'medium' });
    assert.match(result.stderr, /warning: Gravitex does not let you choose the background; "opaque" is not sent\./);
    assert.match(result.stderr, /warning: Gravitex does not let you choose the output format; "jpeg" is not sent\./);
    assert.match(result.stderr, /warning: Compression applies only to JPEG and WebP output; it is not sent\./);
    assert.match(result.stderr, /warning: Gravitex does not let you choose moderation; "low" is not sent\./);
  });

  const refusals: [string, string, string[], RegExp][] = [
    ['transparent with gpt-image-2', 'openai', ['--background', 'transparent'], /gpt-image-2 on OpenAI cannot make a transparent background: switch to gpt-image-1\.5, gpt-image-2\.5-flare, gpt-image-2\.5-sunburst, which can/],
    ['transparent with jpeg', 'openai', ['--model', 'gpt-image-1.5', '--background', 'transparent', '--format', 'jpeg'], /A transparent background needs PNG or WebP output, not JPEG\./],
    ['compression with png', 'openai', ['--format', 'png', '--compression', '40'], /Compression applies only to JPEG and WebP output, not PNG/],
    ['compression out of range', 'openai', ['--format', 'jpeg', '--compression', '101'], /--compression is a whole percentage from 0 to 100 \(got "101"\)/],
    ['an unknown background', 'openai', ['--background', 'clear'], /Unknown background "clear": use auto, opaque, transparent\./],
    ['an unknown format', 'openai', ['--format', 'gif'], /Unknown format "gif": use png, jpeg, webp\./],
    ['an unknown moderation', 'openai', ['--moderation', 'off'], /Unknown moderation "off": use auto, low\./],
    ['gpt-image-1, which is shut down', 'openai', ['--model', 'gpt-image-1'], /Unknown model "gpt-image-1": the models of openai are gpt-image-2, gpt-image-1\.5, gpt-image-2\.5-flare, gpt-image-2\.5-sunburst, gpt-image-2\.6-flare, gpt-image-2\.6-sunburst\. For a newer model add --like/],
    ['an unknown model without --like', 'gravitex', ['--model', 'gpt-image-3'], /Unknown model "gpt-image-3": the models of gravitex are gpt-image-2\./],
    ['--like naming an unlisted model', 'openai', ['--model', 'gpt-image-3', '--like', 'gpt-image-1'], /--like "gpt-image-1" is not a listed model: the models of openai are gpt-image-2, /],
    ['a custom model inheriting no transparency', 'openai', ['--model', 'gpt-image-3', '--like', 'gpt-image-2', '--background', 'transparent'], /gpt-image-2 on OpenAI cannot make a transparent background/],
  ];
  for (const [what, provider, extra, message] of refusals) {
    it(`refuses ${what}: exit 2, nothing sent`, async () => {
      const box = sandbox();
      const fake = provider === 'openai' ? openai : gravitex;
      const result = await runCli(generate(fake, provider, extra), box);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
      assert.equal(fake.apiRequests().length, 0);
      assert.deepEqual(imagesIn(join(box.cwd, 'images')), []);
    });
  }

  it('--model <id> --like <model> sends the custom id, validated by the inherited row, and warns everywhere', async () => {
    const box = sandbox();
    const result = await runCli(generate(openai, 'openai', ['--model', 'gpt-image-3', '--like', 'gpt-image-1.5', '--background', 'transparent']), box);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(sentBody(openai), { model: 'gpt-image-3', prompt: 'A glass teapot', n: 1, size: '1024x1024', quality: 'auto', background: 'transparent' });
    assert.match(result.stderr, /warning: gpt-image-3: capabilities assumed from gpt-image-1\.5/);
    const file = lines(result.stdout)[0] ?? '';
    const { readFileSync } = await import('node:fs');
    const provenance = JSON.parse(readFileSync(join(box.cwd, 'images', '.gpt-image', `${file.split('/').pop() ?? ''}.json`), 'utf8')) as Provenance;
    assert.ok(provenance.warnings.some((warning) => warning.includes('capabilities assumed from gpt-image-1.5')), JSON.stringify(provenance));
  });

  it('warns when an image asked to be transparent has no transparent pixels, and not when it has', async () => {
    const box = sandbox();
    const args = generate(openai, 'openai', ['--model', 'gpt-image-1.5', '--background', 'transparent']);
    const honest = await runCli(args, box);
    assert.equal(honest.code, 0, honest.stderr);
    assert.doesNotMatch(honest.stderr, /no transparent pixels/);
    openai.configure({ opaqueDespiteTransparent: true });
    const opaque = await runCli(args, box);
    assert.equal(opaque.code, 0, opaque.stderr);
    assert.match(opaque.stderr, /warning: .*\.png was asked with a transparent background but has no transparent pixels\./);
    assert.equal(lines(opaque.stdout).length, 1);
  });

  it('warns when OpenAI reports a size or quality other than the one asked (asked vs got), and keeps it in provenance', async () => {
    const box = sandbox();
    const same = await runCli(generate(openai, 'openai', ['--quality', 'high']), box);
    assert.equal(same.code, 0, same.stderr);
    assert.doesNotMatch(same.stderr, /reports/);
    openai.configure({ reportedInstead: { size: '1024x1536', quality: 'medium' } });
    const result = await runCli(generate(openai, 'openai', ['--quality', 'high']), box);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: OpenAI reports size "1024x1536" where "1024x1024" was asked\./);
    assert.match(result.stderr, /warning: OpenAI reports quality "medium" where "high" was asked\./);
    const file = lines(result.stdout)[0] ?? '';
    const { readFileSync } = await import('node:fs');
    const provenance = JSON.parse(readFileSync(join(box.cwd, 'images', '.gpt-image', `${file.split('/').pop() ?? ''}.json`), 'utf8')) as Provenance;
    assert.ok(provenance.warnings.some((warning) => warning.includes('reports size "1024x1536"')), JSON.stringify(provenance));
    assert.equal(provenance.reported?.size, '1024x1536', 'what OpenAI reports is kept beside what was asked');
    assert.equal(provenance.reported?.quality, 'medium');
    assert.equal(provenance.request.wireSize.kind === 'wxh' ? provenance.request.wireSize.value : undefined, '1024x1024');
  });

  it('--help lists every option', async () => {
    const result = await runCli(['--help'], sandbox());
    assert.equal(result.code, 0);
    for (const option of ['--background', '--format', '--compression <0-100>', '--moderation', '--like', 'gpt-image-2.6-sunburst']) {
      assert.ok(result.stdout.includes(option), `--help lacks ${option}`);
    }
  });
});
