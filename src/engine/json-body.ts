/**
 * A JSON answer read as it arrives. A batch order read (250 orders with their line items) is
 * several MB: undici's text() decoded it into one string and JSON.parse parsed that, one block of
 * 70-150 ms on the event loop the webhook receiver shares (issue 15). Most of it was the decoding,
 * not the parse: for a 7.6 MB page of the flash-sale mix, about 50 ms to build the one string
 * against about 20 ms to parse it, where decoding the same bytes chunk by chunk took about 5 ms.
 *
 * So a top-level array is split into its elements as the bytes come in, and each element is
 * decoded and parsed on its own, with the network chunk that completes it: no string of the whole
 * body is ever built, and no step takes more than a few ms. The result is exactly `JSON.parse` of
 * the whole text. Anything else (an object, a scalar, an empty or malformed body, a byte-order
 * mark) is read the plain way at the end, with the same outcome as `parseJson(text)`: undefined
 * for no body, the text when it is not JSON.
 */

/** A body's text as JSON: undefined for no body, the text itself when it is not JSON. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

type State = 'start' | 'array' | 'after' | 'plain';

/**
 * Feed the body's chunks in order with `push`, then `end` for the value. A structural byte
 * (quote, backslash, bracket, brace, comma) is ASCII and never part of a multi-byte UTF-8
 * sequence, so the bytes can be scanned without decoding them.
 */
export function createJsonBodyReader() {
  const chunks: Buffer[] = [];
  const elements: unknown[] = [];
  let state: State = 'start';
  /** Nesting inside the current element (0: between the array's elements). */
  let depth = 0;
  let inString = false;
  /** A backslash in a string was the last byte of a chunk: the next chunk's first byte is escaped. */
  let escaped = false;
  /** The current element's bytes from earlier chunks, and where it starts in the current one. */
  let pieces: Buffer[] = [];
  let from = 0;
  let sawComma = false;

  /** The element that ends before `end` of `chunk`; false when it is not JSON (read the plain way). */
  const takeElement = (chunk: Buffer, end: number, last: boolean): boolean => {
    pieces.push(chunk.subarray(from, end));
    const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    pieces = [];
    let blank = true;
    for (const b of bytes) {
      if (!isSpace(b)) {
        blank = false;
        break;
      }
    }
    // `[]` and `[ ]` are empty arrays; a blank element anywhere else (`[1,]`, `[,1]`) is malformed.
    if (blank) return last && !sawComma && elements.length === 0;
    try {
      elements.push(JSON.parse(bytes.toString('utf8')));
      return true;
    } catch {
      return false;
    }
  };

  const scan = (chunk: Buffer) => {
    from = 0;
    let i = 0;
    if (state === 'start') {
      while (i < chunk.length && isSpace(chunk[i]!)) i++;
      if (i === chunk.length) return;
      if (chunk[i] !== OPEN_BRACKET) {
        state = 'plain';
        return;
      }
      state = 'array';
      from = ++i;
    }
    if (state === 'after') {
      for (; i < chunk.length; i++) {
        if (!isSpace(chunk[i]!)) {
          state = 'plain';
          return;
        }
      }
      return;
    }
    const n = chunk.length;
    if (escaped && i < n) {
      // The byte after a backslash that ended the previous chunk.
      escaped = false;
      i++;
    }
    while (i < n) {
      if (inString) {
        // Most of a body is text inside strings: run through it looking only for its end.
        let b = chunk[i]!;
        while (b !== QUOTE && b !== BACKSLASH && ++i < n) b = chunk[i]!;
        if (i === n) break;
        if (b === QUOTE) inString = false;
        else if (i + 1 === n) escaped = true;
        else i++;
        i++;
        continue;
      }
      const b = chunk[i]!;
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (depth > 0) depth--;
        else {
          if (b === CLOSE_BRACE || !takeElement(chunk, i, true)) {
            state = 'plain';
            return;
          }
          state = 'after';
          for (i++; i < n; i++) {
            if (!isSpace(chunk[i]!)) {
              state = 'plain';
              return;
            }
          }
          return;
        }
      } else if (b === COMMA && depth === 0) {
        if (!takeElement(chunk, i, false)) {
          state = 'plain';
          return;
        }
        sawComma = true;
        from = i + 1;
      }
      i++;
    }
    pieces.push(chunk.subarray(from));
  };

  return {
    push(chunk: Uint8Array): void {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      chunks.push(buffer);
      if (state !== 'plain') scan(buffer);
    },
    end(): unknown {
      if (state === 'after') return elements;
      // The plain way, as undici's text() read it (a byte-order mark is not part of the text).
      let all = Buffer.concat(chunks);
      if (all.length >= 3 && all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf) all = all.subarray(3);
      return parseJson(all.toString('utf8'));
    },
  };
}

/** Read and parse a JSON body from its chunks (an undici response body). */
export async function readJsonBody(body: AsyncIterable<Uint8Array>): Promise<unknown> {
  const reader = createJsonBodyReader();
  for await (const chunk of body) reader.push(chunk);
  return reader.end();
}
