/** One part of a multipart/form-data body as a server sees it. */
export interface ParsedPart {
  readonly name: string;
  readonly fileName: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/** The boundary from a Content-Type header, or undefined when it is not multipart/form-data. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * A small RFC 7578 parser for the fakes, written independently of src/providers/multipart.ts so a
 * bug in our encoder cannot be mirrored by the server that checks it. Throws on a malformed body.
 */
export function parseMultipart(body: Buffer, boundary: string): ParsedPart[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  if (body.indexOf(delimiter) !== 0) throw new Error('multipart body does not start with the boundary');
  const parts: ParsedPart[] = [];
  let position = 0;
  for (;;) {
    let start = position + delimiter.length;
    const after = body.subarray(start, start + 2).toString('latin1');
    if (after === '--') return parts;
    if (after !== '\r\n') throw new Error('boundary not followed by CRLF');
    start += 2;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next < 0) throw new Error('multipart body ends without a closing boundary');
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new Error('part without a header block');
    const headers = new Map<string, string>();
    for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = /;\s*name="([^"]*)"/.exec(disposition)?.[1];
    if (name === undefined || !/^form-data/i.test(disposition)) throw new Error('part without form-data name');
    parts.push({
      name,
      fileName: /;\s*filename="([^"]*)"/.exec(disposition)?.[1],
      contentType: headers.get('content-type'),
      data: part.subarray(headerEnd + 4),
    });
    position = next + 2;
  }
}
