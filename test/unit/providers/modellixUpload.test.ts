import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import type { InputImage } from '../../../src/core/request';
import { createModellixProvider } from '../../../src/providers/modellix/modellixProvider';
import { startFakeModellix } from '../../fake-providers/modellix';
import { boundaryOf, parseMultipart } from '../../fake-providers/multipartParser';
import { makePng } from '../../fake-providers/png';
import { assertNoKey, fakeProviderRig, jsonBody, rejection, resolve, testSignal } from './asyncProviderHarness';

const apiKey = 'sk-test-modellix-key';

/** The smallest JPEG header readImageInfo accepts (SOI + SOF0 with 48x32), padded. */
function tinyJpeg(): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x30, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0xff, 0xd9]);
}

describe('Modellix edits of local files: upload, edit by URL, delete', () => {
  const rig = fakeProviderRig({ apiKey, start: (cdn) => startFakeModellix({ cdn, apiKey }), createProvider: createModellixProvider });
  const png = makePng({ width: 64, height: 64, seed: 3 });
  const local = (bytes: Uint8Array, fileName: string): InputImage => ({ kind: 'file', source: `images/${fileName}`, fileName, bytes });

  it('uploads one multipart part with the bytes, edits by the returned URL, then deletes the upload', async () => {
    const request = resolve({ provider: 'modellix', prompt: 'add a red scarf', inputImages: [local(png, 'cat photo.png')] });
    assert.ok(rig.provider.prepareInputs && rig.provider.deleteUploads);
    const prepared = await rig.provider.prepareInputs(request, testSignal());

    const [upload] = rig.fake.requests();
    assert.equal(upload?.method, 'POST');
    assert.equal(upload?.url, '/api/v1/media/files');
    assert.equal(upload?.headers.authorization, `Bearer ${apiKey}`);
    const boundary = boundaryOf(upload?.headers['content-type']);
    assert.ok(boundary);
    const parts = parseMultipart(upload.body, boundary);
    assert.equal(parts.length, 1);
    assert.deepEqual({ name: parts[0]?.name, fileName: parts[0]?.fileName, contentType: parts[0]?.contentType }, { name: 'file', fileName: 'cat photo.png', contentType: 'image/png' });
    assert.deepEqual(parts[0]?.data, png);

    const [stored] = [...rig.fake.uploads.entries()];
    assert.ok(stored);
    const [fileId, record] = stored;
    assert.deepEqual(prepared.uploads, [{ fileId, url: record.url }]);
    assert.deepEqual(prepared.inputImages, [{ kind: 'url', url: record.url }]);
    assert.ok(record.url.startsWith(rig.cdn.origin));

    const outcome = await rig.provider.submit({ ...request, inputImages: prepared.inputImages, mask: prepared.mask }, testSignal());
    assert.equal(outcome.kind, 'task');
    const edit = rig.fake.requests()[1];
    assert.equal(edit?.url, '/api/v1/openai/gpt-image-2-edit/async');
    assert.deepEqual(jsonBody(edit?.body ?? Buffer.from('{}')), { prompt: 'add a red scarf', size: '1024x1024', quality: 'medium', images: [record.url] });

    await rig.provider.deleteUploads(prepared.uploads, testSignal());
    const remove = rig.fake.requests()[2];
    assert.equal(remove?.method, 'DELETE');
    assert.equal(remove?.url, `/api/v1/media/files/${fileId}`);
    assert.equal(record.deleted, true);
    assert.equal(rig.fake.requests().length, 3);
    assertNoKey(apiKey, rig.test.log.lines.join('\n'));
  });

  it('names the part after the sniffed format: a JPEG called .png goes up as .jpg', async () => {
    const request = resolve({ provider: 'modellix', inputImages: [local(tinyJpeg(), 'photo.png')] });
    await rig.provider.prepareInputs?.(request, testSignal());
    const parts = parseMultipart(rig.fake.requests()[0]?.body ?? Buffer.alloc(0), boundaryOf(rig.fake.requests()[0]?.headers['content-type']) ?? '');
    assert.equal(parts[0]?.fileName, 'photo.jpg');
    assert.equal(parts[0]?.contentType, 'image/jpeg');
  });

  it('passes an https URL through without uploading', async () => {
    const request = resolve({ provider: 'modellix', inputImages: [{ kind: 'url', url: 'https://images.example/cat.png' }] });
    const prepared = await rig.provider.prepareInputs?.(request, testSignal());
    assert.deepEqual(prepared?.inputImages, [{ kind: 'url', url: 'https://images.example/cat.png' }]);
    assert.deepEqual(prepared?.uploads, []);
    assert.equal(rig.fake.requests().length, 0);
  });

  it('does not resend an upload whose outcome is unknown, and deletes the uploads made before it', async () => {
    const request = resolve({ provider: 'modellix', inputImages: [local(png, 'a.png'), local(png, 'b.png')] });
    rig.fake.fault({ on: 'upload', kind: 'status', status: 200 }, { on: 'upload', kind: 'status', status: 502 });
    // The first fault answers 200 with no URL: the upload "worked" but is unusable (invalidResponse).
    const unusable = await rejection(() => rig.provider.prepareInputs!(request, testSignal()));
    assert.ok(isProviderError(unusable));
    assert.equal(unusable.kind, 'invalidResponse');
    rig.fake.reset();

    // Let the first upload through, fail the second with an ambiguous 502.
    rig.fake.fault({ on: 'upload', kind: 'status', status: 502, skip: 1 });
    const error = await rejection(() => rig.provider.prepareInputs!(request, testSignal()));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'unknownOutcome');
    const methods = rig.fake.requests().map((entry) => `${entry.method} ${entry.url.replace(/file-[0-9a-f]+/, 'ID')}`);
    assert.deepEqual(methods, ['POST /api/v1/media/files', 'POST /api/v1/media/files', 'DELETE /api/v1/media/files/ID']);
    assert.ok([...rig.fake.uploads.values()].every((upload) => upload.deleted));
  });

  it('treats a failed delete as best effort: logged, not thrown', async () => {
    rig.fake.fault({ on: 'delete', kind: 'status', status: 500 });
    await rig.provider.deleteUploads?.([{ fileId: 'file-missing', url: `${rig.cdn.origin}/files/x.png` }], testSignal());
    assert.ok(rig.test.log.lines.some((line) => /deleting upload file-missing answered HTTP 500/.test(line)));
  });
});
