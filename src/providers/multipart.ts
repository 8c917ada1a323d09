import { randomBytes } from 'node:crypto';

/** A plain form field. */
export interface MultipartField {
  readonly name: string;
  readonly value: string;
}

/** A file part: its bytes travel as they are, with a file name and media type. */
export interface MultipartFile {
  readonly name: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

export type MultipartPart = MultipartField | MultipartFile;

const crlf = '\r\n';

/**
 * A boundary from 24 crypto-random bytes. Random rather than fixed so no part's bytes can contain
 * it (a collision needs a 192-bit coincidence); encodeMultipart still checks.
 */
export function pickBoundary(): string {
  return `----gpt-image-studio-${randomBytes(24).toString('hex')}`;
}

export function multipartContentType(boundary: string): string {
  return `multipart/form-data; boundary=${boundary}`;
}

/**
 * Escapes a name or file name for a Content-Disposition header the way browsers do (WHATWG HTML
 * "multipart/form-data encoding algorithm"): quotes and line breaks are percent-encoded, so a file
 * name cannot break out of its header or forge another part.
 */
export function escapeDispositionValue(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function isFile(part: MultipartPart): part is MultipartFile {
  return 'data' in part;
}

/**
 * Encodes parts as multipart/form-data (RFC 7578) into one Buffer, deterministically: the same
 * parts and boundary always give the same bytes, which lets tests rebuild a request byte for byte.
 * Throws if a part contains the boundary (practically impossible with pickBoundary()).
 */
export function encodeMultipart(parts: readonly MultipartPart[], boundary: string): Buffer {
  if (!/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/.test(boundary)) {
    throw new Error('A multipart boundary is 1-70 characters from the RFC 2046 set.');
  }
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const name = escapeDispositionValue(part.name);
    let head = `--${boundary}${crlf}Content-Disposition: form-data; name="${name}"`;
    let data: Buffer;
    if (isFile(part)) {
      head += `; filename="${escapeDispositionValue(part.fileName)}"${crlf}Content-Type: ${part.contentType.replace(/[\r\n]/g, '')}`;
      data = Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength);
    } else {
      data = Buffer.from(part.value, 'utf8');
    }
    if (data.includes(delimiter)) throw new Error(`The multipart part "${part.name}" contains the boundary.`);
    pieces.push(Buffer.from(`${head}${crlf}${crlf}`, 'utf8'), data, Buffer.from(crlf, 'latin1'));
  }
  pieces.push(Buffer.from(`--${boundary}--${crlf}`, 'latin1'));
  return Buffer.concat(pieces);
}
