import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { optionKeys } from '../../../src/core/batch/batchOptions';
import { providerIds, qualities } from '../../../src/core/ids';
import { isBatchFileName, parseBatchFile } from '../../../src/core/batch/batchFile';
import { batchTargets } from '../../../src/core/batch/batchTargets';
import { buildBatchRequests } from '../../../src/core/batch/batchRequests';
import { planBatch, planCost, sameRequest } from '../../../src/core/batch/batchPlan';
import type { ExistingImage } from '../../../src/core/batch/batchPlan';
import type { Provenance } from '../../../src/core/provenance';

const example = `defaults: { provider: openai, size: 1024x1024, quality: medium, out: assets/generated }
images:
  - name: app-icon
    prompt: A flat vector paper boat on a blue wave, app icon
  - name: hero
    prompt: Watercolor harbour at dawn, wide
    size: 1536x1024
    n: 2
  - name: mascot
    prompt: A friendly otter mascot, sticker style
    providers: [openai, modellix, gravitex]
`;

const noInputs = async (): Promise<string> => 'no inputs in this test';

describe('batch file parser', () => {
  it('reads the issue example: defaults apply, lines recorded, providers listed', () => {
    const { file, problems } = parseBatchFile(example);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      file.entries.map((entry) => [entry.name, entry.line, entry.size, entry.n, entry.out, entry.providers.join(',')]),
      [
        ['app-icon', 3, '1024x1024', 1, 'assets/generated', 'openai'],
        ['hero', 5, '1536x1024', 2, 'assets/generated', 'openai'],
        ['mascot', 9, '1024x1024', 1, 'assets/generated', 'openai,modellix,gravitex'],
      ],
    );
  });

  it('reads JSON with the same line numbers', () => {
    const json = JSON.stringify({ images: [{ name: 'a', prompt: 'x' }, { name: 'b', prompt: 'y', n: 0 }] }, null, 2);
    const { file, problems } = parseBatchFile(json);
    assert.deepEqual(file.entries.map((entry) => entry.name), ['a']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 10);
    assert.match(problems[0]?.message ?? '', /^b: `n` is a whole number of images, at least 1 \(got 0\)/);
  });

  it('reports every problem at once with its line', () => {
    const text = `images:
  - name: ok
    prompt: fine
  - prompt: no name
  - name: ok
    prompt: duplicate
  - name: bad/name
    prompt: x
  - name: typo
    prompt: x
    qualty: high
  - name: escape
    prompt: x
    out: ../../elsewhere
  - name: secret
    prompt: x
    images: [/home/me/.ssh/id_rsa]
  - name: key
    prompt: x
    base-url: http://evil.example
  - name: who
    prompt: x
    provider: dall-e
`;
    const { file, problems } = parseBatchFile(text);
    assert.deepEqual(file.entries.map((entry) => entry.name), ['ok']);
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [4, 5, 7, 11, 14, 17, 20, 23],
    );
    const messages = problems.map((problem) => problem.message).join('\n');
    assert.match(messages, /needs a `name`/);
    assert.match(messages, /already used by the entry on line 2/);
    assert.match(messages, /unknown key "qualty"/);
    assert.match(messages, /must stay inside the batch file's folder/);
    assert.match(messages, /must be relative to the batch file's folder, not absolute/);
    assert.match(messages, /cannot choose a base URL/);
    assert.match(messages, /unknown provider "dall-e"/);
  });

  it('says where the YAML is broken', () => {
    const { problems } = parseBatchFile('images:\n  - name: a\n    prompt: [unclosed\n');
    assert.equal(problems.length > 0, true);
    assert.match(problems[0]?.message ?? '', /^Not valid YAML or JSON/);
  });

  it('recognises batch file names', () => {
    assert.equal(isBatchFileName('site.images.yaml'), true);
    assert.equal(isBatchFileName('site.images.json'), true);
    assert.equal(isBatchFileName('site.yaml'), false);
  });
});

describe('batch targets and requests', () => {
  it('names files <name>, <name>-<provider> and -<k>', () => {
    const { targets, problems } = batchTargets(parseBatchFile(example).file);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      targets.map((target) => target.stems.join(',')),
      ['app-icon', 'hero-1,hero-2', 'mascot-openai', 'mascot-modellix', 'mascot-gravitex'],
    );
    assert.deepEqual(targets.map((target) => target.template), ['app-icon', 'hero-{index}', 'mascot-openai', 'mascot-modellix', 'mascot-gravitex']);
  });

  it('refuses two entries that would write the same file', () => {
    const text = 'images:\n  - name: hero\n    prompt: x\n    n: 2\n  - name: hero-1\n    prompt: y\n';
    const { problems } = batchTargets(parseBatchFile(text).file);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 5);
  });

  it('validates each provider against its capability row, every problem with the entry line', async () => {
    const text = `images:
  - name: big
    prompt: x
    provider: openai
    n: 11
  - name: fine
    prompt: y
  - name: odd
    prompt: z
    size: 1000x1000
    provider: openai
  - name: apixo-file
    prompt: w
    provider: apixo
    images: [photo.png]
`;
    const { requests, problems } = await buildBatchRequests(batchTargets(parseBatchFile(text).file).targets, noInputs);
    assert.deepEqual(requests.map((request) => request.target.entry.name), ['fine']);
    assert.deepEqual(problems.map((problem) => problem.line), [2, 8, 12]);
    assert.match(problems[0]?.message ?? '', /at most 10 images per request/);
    assert.match(problems[2]?.message ?? '', /photo\.png/);
  });
});

describe('batch plan', () => {
  it('is up to date only when the sidecar records the same request', async () => {
    const text = 'images:\n  - name: icon\n    prompt: A boat\n    size: 1024x1024\n';
    const { requests } = await buildBatchRequests(batchTargets(parseBatchFile(text).file).targets, noInputs);
    const request = requests[0];
    assert.ok(request);
    const recorded = (await planBatch(requests, async () => undefined)).targets[0]?.journalRequest;
    assert.ok(recorded);
    assert.equal(recorded.prompt, 'A boat');
    const sidecarFor = (prompt: string): Provenance => ({
      version: 1,
      file: 'icon.png',
      provider: 'openai',
      model: 'gpt-image-2',
      request: { ...recorded, prompt },
      index: 1,
      jobId: 'j',
      createdAt: '',
      durationMs: 0,
      warnings: [],
    });
    const statusWith = async (found: ExistingImage | undefined): Promise<string> => (await planBatch(requests, async () => found)).targets[0]?.status ?? '';
    assert.equal(await statusWith(undefined), 'missing');
    assert.equal(await statusWith({ fileName: 'icon.png', sidecar: undefined }), 'conflict');
    assert.equal(await statusWith({ fileName: 'icon.png', sidecar: sidecarFor('A boat') }), 'upToDate');
    assert.equal(await statusWith({ fileName: 'icon.png', sidecar: sidecarFor('A ship') }), 'changed');
    const plan = await planBatch(requests, async () => undefined);
    const cost = planCost(plan.targets);
    assert.equal(cost.uncounted.length, 0);
    assert.equal(cost.usd > 0, true);
    assert.equal(planCost(plan.targets, 0.5).usd, Math.round(cost.usd * 0.5 * 10_000) / 10_000);
  });

  it('ignores key order and absent fields when comparing requests', () => {
    const base = { prompt: 'p', size: 'auto', wireSize: { kind: 'wxh' as const, value: 'auto' as const }, quality: undefined, n: 1, background: undefined, outputFormat: undefined, outputCompression: undefined, inputImages: [], mask: undefined };
    assert.equal(sameRequest(base, { ...base, moderation: undefined }), true);
    assert.equal(sameRequest(base, { ...base, n: 2 }), false);
  });
});

describe('batch file JSON Schema (schemas/images.schema.json)', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../../../schemas/images.schema.json'), 'utf8')) as Record<string, unknown>;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const valid = (text: string): boolean => validate(parseYaml(text)) === true;

  it('accepts the issue example and refuses what the parser refuses', () => {
    assert.equal(valid(example), true, JSON.stringify(validate.errors));
    assert.equal(valid('images:\n  - name: a\n    prompt: x\n    qualty: high\n'), false);
    assert.equal(valid('images:\n  - name: a\n    prompt: x\n    out: ../up\n'), false);
    assert.equal(valid('images:\n  - name: a\n    prompt: x\n    images: [/etc/passwd]\n'), false);
    assert.equal(valid('images:\n  - name: a\n    prompt: x\n    provider: openai\n    providers: [modellix]\n'), false);
    assert.equal(valid('images:\n  - name: a b\n    prompt: x\n'), false);
  });

  it('lists the same option keys and values as the parser', () => {
    const entry = (schema.$defs as Record<string, { properties: Record<string, { enum?: string[] }> }>).entry;
    assert.ok(entry);
    assert.deepEqual(Object.keys(entry.properties).sort(), ['name', 'prompt', 'provider', 'providers', ...optionKeys].sort());
    assert.deepEqual(entry.properties.quality?.enum, [...qualities]);
    assert.deepEqual(entry.properties.provider?.enum, [...providerIds]);
  });

  it('is contributed for *.images.yaml and *.images.json', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { yamlValidation: { fileMatch: string[]; url: string }[]; jsonValidation: { fileMatch: string; url: string }[] };
    };
    assert.deepEqual(manifest.contributes.yamlValidation, [{ fileMatch: ['*.images.yaml', '*.images.yml'], url: './schemas/images.schema.json' }]);
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '*.images.json', url: './schemas/images.schema.json' }]);
  });
});
