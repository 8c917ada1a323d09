import { ProviderError } from '../../core/errors';

/**
 * Reads an OpenAI-style images response without ever holding it whole. A gpt-image-2 response with
 * four 4K images is ~50 MB of base64; buffering it and calling JSON.parse keeps the text, the parsed
 * strings and the decoded bytes alive at once (what the official SDK does). This scanner instead
 * decodes every `"b64_json"` string value as it streams past, straight into bytes, and keeps only
 * the small remainder of the JSON, where each of those values is replaced by its image's index
 * (`"b64_json":"0"`, `"1"`, …) so a schema can still tie data[] entries to images.
 */
export interface StreamedImagesBody {
  /** Decoded images in document order. An empty string value gives an empty buffer. */
  readonly images: Buffer[];
  /** The rest of the body, parsed as JSON. */
  readonly json: unknown;
}

export interface StreamingImagesParserOptions {
  /** Provider label for error messages. */
  readonly provider: string;
  /** Everything except the base64 payloads; it is metadata, so small. */
  readonly maxJsonBytes?: number;
  /** All decoded images together. */
  readonly maxImageBytes?: number;
}

const inJson = 0;
const inString = 1;
const afterKey = 2;
const afterColon = 3;
const inBase64 = 4;
const inEscape = 5;
const inUnicode = 6;

const quote = 0x22;
const backslash = 0x5c;
const targetKey = 'b64_json';
/** Decode in slices of this many base64 characters (a multiple of 4), so temporary strings stay small. */
const decodeBatch = 256 * 1024;
const maxDataUriHeader = 256;

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

export class StreamingImagesParser {
  private readonly options: Required<StreamingImagesParserOptions>;
  private state = inJson;
  private readonly restParts: Buffer[] = [];
  private restBytes = 0;
  private key = '';
  private keyPossible = true;
  private stringEscape = false;
  private readonly images: Buffer[] = [];
  private decodedTotal = 0;
  // The image being decoded.
  private parts: Buffer[] = [];
  private partBytes = 0;
  private pending = '';
  private padding = 0;
  private headerDecided = false;
  private probe = '';
  private unicode = '';

  constructor(options: StreamingImagesParserOptions) {
    this.options = { maxJsonBytes: 4 * 1024 * 1024, maxImageBytes: 512 * 1024 * 1024, ...options };
  }

  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let copyStart = 0;
    let index = 0;
    // Cached positions of the next quote / backslash, so escapes in base64 (`\/`) cost no rescans.
    let nextQuote = -2;
    let nextBackslash = -2;
    const length = bytes.length;
    while (index < length) {
      const state = this.state;
      if (state === inBase64) {
        if (nextQuote !== -1 && nextQuote < index) nextQuote = bytes.indexOf(quote, index);
        if (nextBackslash !== -1 && nextBackslash < index) nextBackslash = bytes.indexOf(backslash, index);
        let stop = length;
        if (nextQuote !== -1) stop = nextQuote;
        if (nextBackslash !== -1 && nextBackslash < stop) stop = nextBackslash;
        if (stop > index) this.appendBase64(bytes.toString('latin1', index, stop));
        if (stop === length) {
          copyStart = length;
          break;
        }
        if (bytes[stop] === quote) {
          this.finishImage();
          this.state = inJson;
          this.appendRest(Buffer.from('"', 'latin1'));
          copyStart = stop + 1;
        } else {
          this.state = inEscape;
        }
        index = stop + 1;
        continue;
      }
      const byte = bytes[index] as number;
      if (state === inEscape) {
        this.escape(byte);
      } else if (state === inUnicode) {
        this.unicode += String.fromCharCode(byte);
        if (this.unicode.length === 4) this.endUnicode();
      } else if (state === inString) {
        if (this.stringEscape) {
          this.stringEscape = false;
          this.keyPossible = false;
        } else if (byte === backslash) {
          this.stringEscape = true;
        } else if (byte === quote) {
          this.state = this.keyPossible && this.key === targetKey ? afterKey : inJson;
        } else if (this.keyPossible) {
          this.key += String.fromCharCode(byte);
          if (this.key.length > targetKey.length) this.keyPossible = false;
        }
      } else if (state === afterKey || state === afterColon) {
        if (isJsonSpace(byte)) {
          // stays
        } else if (state === afterKey && byte === 0x3a) {
          this.state = afterColon;
        } else if (state === afterColon && byte === quote) {
          this.appendRest(bytes.subarray(copyStart, index));
          this.appendRest(Buffer.from(`"${this.images.length}`, 'latin1'));
          this.startImage();
          index += 1;
          copyStart = index;
          continue;
        } else {
          // Not a string value after all (null, a number…): plain JSON, look at this byte again.
          this.state = inJson;
          continue;
        }
      } else if (byte === quote) {
        this.state = inString;
        this.key = '';
        this.keyPossible = true;
        this.stringEscape = false;
      }
      index += 1;
    }
    if (this.state !== inBase64 && this.state !== inEscape && this.state !== inUnicode && copyStart < length) {
      this.appendRest(bytes.subarray(copyStart, length));
    }
  }

  /** Call after the last chunk: checks the body was complete and parses the remaining JSON. */
  end(): StreamedImagesBody {
    if (this.state !== inJson) throw this.invalid('ended in the middle of a value (truncated)');
    const text = Buffer.concat(this.restParts, this.restBytes).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.invalid('is not valid JSON');
    }
    return { images: this.images, json };
  }

  private appendRest(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.restBytes += bytes.length;
    if (this.restBytes > this.options.maxJsonBytes) throw this.invalid('has more metadata than expected (not an images response?)');
    // Copy: the chunk itself may be large and must not be kept alive by a small slice.
    this.restParts.push(Buffer.from(bytes));
  }

  private startImage(): void {
    this.state = inBase64;
    this.parts = [];
    this.partBytes = 0;
    this.pending = '';
    this.padding = 0;
    this.headerDecided = false;
    this.probe = '';
  }

  private escape(byte: number): void {
    this.state = inBase64;
    const character = String.fromCharCode(byte);
    // JSON encoders may escape '/' (PHP, some gateways) or wrap base64 lines with \n.
    if (character === '/') this.appendBase64('/');
    else if (character === 'n' || character === 'r' || character === 't') return;
    else if (character === 'u') {
      this.state = inUnicode;
      this.unicode = '';
    } else throw this.invalid(`has an unexpected escape \\${character} inside image data`);
  }

  private endUnicode(): void {
    this.state = inBase64;
    if (!/^[0-9a-fA-F]{4}$/.test(this.unicode)) throw this.invalid('has a broken \\u escape inside image data');
    const character = String.fromCharCode(parseInt(this.unicode, 16));
    if (/^\s$/.test(character)) return;
    this.appendBase64(character);
  }

  /** Takes unescaped characters of the current value: strips a `data:` header, validates, decodes. */
  private appendBase64(text: string): void {
    if (!this.headerDecided) {
      this.probe += text;
      if (this.probe.length < 5 && 'data:'.startsWith(this.probe)) return;
      if (this.probe.startsWith('data:')) {
        const comma = this.probe.indexOf(',');
        if (comma < 0) {
          if (this.probe.length > maxDataUriHeader) throw this.invalid('has a malformed data: URI');
          return;
        }
        if (!/^data:[\w.+-]+\/[\w.+-]+(;[\w.+-]+=[\w.+-]+)*;base64$/i.test(this.probe.slice(0, comma))) {
          throw this.invalid('has a data: URI that is not base64 image data');
        }
        text = this.probe.slice(comma + 1);
      } else {
        text = this.probe;
      }
      this.headerDecided = true;
      this.probe = '';
    }
    if (text === '') return;
    if (this.padding > 0 && !/^=*$/.test(text)) throw this.invalid('has characters after base64 padding');
    const firstPad = text.indexOf('=');
    if (firstPad >= 0) {
      const pad = text.slice(firstPad);
      if (!/^=*$/.test(pad)) throw this.invalid('has characters after base64 padding');
      this.padding += pad.length;
      if (this.padding > 2) throw this.invalid('has too much base64 padding');
    }
    this.pending += text;
    if (this.pending.length >= decodeBatch) {
      const take = this.pending.length - (this.pending.length % 4);
      this.decode(this.pending.slice(0, take));
      this.pending = this.pending.slice(take);
    }
  }

  /**
   * Node's decoder skips characters outside the alphabet instead of failing, so a short result is
   * how a stray character shows (cheaper than a regular expression over megabytes).
   */
  private decode(text: string): void {
    const unpadded = text.length - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
    if (unpadded % 4 === 1) throw this.invalid('has truncated base64 image data');
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length !== Math.floor((unpadded * 3) / 4)) throw this.invalid('has image data that is not base64');
    this.emit(decoded);
  }

  private finishImage(): void {
    if (!this.headerDecided) {
      const probe = this.probe;
      if (probe.startsWith('data:')) throw this.invalid('has a malformed data: URI');
      this.headerDecided = true;
      this.probe = '';
      this.appendBase64(probe);
    }
    if (this.pending !== '') this.decode(this.pending);
    this.pending = '';
    const parts = this.parts;
    this.images.push(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, this.partBytes));
    this.parts = [];
    this.partBytes = 0;
  }

  private emit(decoded: Buffer): void {
    this.partBytes += decoded.length;
    this.decodedTotal += decoded.length;
    if (this.decodedTotal > this.options.maxImageBytes) {
      const limit = Math.round(this.options.maxImageBytes / 1024 / 1024);
      throw this.invalid(`holds more than ${limit} MB of images`);
    }
    this.parts.push(decoded);
  }

  private invalid(problem: string): ProviderError {
    return new ProviderError({
      kind: 'invalidResponse',
      message: `${this.options.provider}'s response ${problem}.`,
    });
  }
}

/** Feeds a whole body stream through a StreamingImagesParser. */
export async function parseImagesStream(body: AsyncIterable<Uint8Array>, options: StreamingImagesParserOptions): Promise<StreamedImagesBody> {
  const parser = new StreamingImagesParser(options);
  for await (const chunk of body) parser.push(chunk);
  return parser.end();
}
