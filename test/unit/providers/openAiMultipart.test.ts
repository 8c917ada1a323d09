import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeMultipart, escapeDispositionValue, multipartContentType, pickBoundary } from '../../../src/providers/multipart';
import { boundaryOf, parseMultipart } from '../../fake-providers/multipartParser';

describe('multipart encoder', () => {
  it('encodes fields and files exactly, in order', () => {
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x00, 0xff]);
    const body = encodeMultipart(
      [
        { name: 'prompt', value: 'café\r\nline two' },
        { name: 'image[]', fileName: 'a.png', contentType: 'image/png', data },
      ],
      'XyZ',
    );
    const expected = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="prompt"\r\n\r\ncafé\r\nline two\r\n'),
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="image[]"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'),
      data,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    assert.ok(body.equals(expected));
  });

  it('is deterministic for the same boundary and readable by an independent parser', () => {
    const parts = [
      { name: 'n', value: '2' },
      { name: 'mask', fileName: 'm.png', contentType: 'image/png', data: Buffer.from('mask bytes') },
    ];
    const boundary = pickBoundary();
    const body = encodeMultipart(parts, boundary);
    assert.ok(body.equals(encodeMultipart(parts, boundary)));
    assert.equal(boundaryOf(multipartContentType(boundary)), boundary);
    const parsed = parseMultipart(body, boundary);
    assert.deepEqual(
      parsed.map((part) => [part.name, part.fileName, part.data.toString()]),
      [
        ['n', undefined, '2'],
        ['mask', 'm.png', 'mask bytes'],
      ],
    );
  });

  it('escapes quotes and line breaks in names so a file name cannot forge a part', () => {
    assert.equal(escapeDispositionValue('a"b\r\nc.png'), 'a%22b%0D%0Ac.png');
    const body = encodeMultipart([{ name: 'image[]', fileName: 'x"; name="model.png', contentType: 'image/png\r\nX-Evil: 1', data: Buffer.from('1') }], 'B');
    assert.ok(body.toString('latin1').includes('filename="x%22; name=%22model.png"\r\nContent-Type: image/pngX-Evil: 1\r\n'));
  });

  it('picks random boundaries and refuses a part that contains the boundary', () => {
    const boundaries = new Set(Array.from({ length: 20 }, () => pickBoundary()));
    assert.equal(boundaries.size, 20);
    for (const boundary of boundaries) assert.match(boundary, /^[-0-9a-z]{1,70}$/);
    assert.throws(() => encodeMultipart([{ name: 'prompt', value: 'x --B y' }], 'B'), /contains the boundary/);
    assert.throws(() => encodeMultipart([], 'bad boundary with spaces'), /boundary/);
  });
});
