/**
 * A JSON answer is parsed as it arrives (issue 15: a page of 250 orders is several MB, and
 * decoding and parsing it in one piece blocked the webhook receiver for 70-150 ms). The value must
 * be exactly what parsing the whole text gave, however the bytes are cut into chunks: strings
 * holding brackets, commas and escaped quotes, multi-byte characters cut in the middle, and
 * anything that is not a well-formed array read the plain way (undefined for no body, the text
 * when it is not JSON).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../../src/engine/http.ts';
import { createJsonBodyReader, parseJson } from '../../src/engine/json-body.ts';

const read = (bytes: Buffer, size: number) => {
  const reader = createJsonBodyReader();
  for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
  return reader.end();
};

const tricky = [
  '[]',
  ' [ ] ',
  '[1, 2.5e3, -0, true, false, null, "x"]',
  '[{"note":"a ] } , [ { \\" \\\\ still text","lines":[{"sku":"A,1"},{"sku":"B]"}]},{}]',
  '[ "Zoë", "注文", "👍🏽", "\\u00e9\\ud83d\\ude00", {"po":"PO-ÄÖÜ-注文-2026-00042"} ]\n',
  '[["a"],["b",{"c":[1,{"d":"]"}]}]]',
  '[{"__proto__":{"polluted":1}}]',
];
const malformed = ['', '   ', '[1,]', '[,1]', '[1 2]', '[1],', '[1] x', '[{]}]', '[1', '[{"a":1}', 'not json', '\ufeff[1]', '{"a":[1,2]}', '"text"', '42'];

describe('reading a JSON body in chunks', () => {
  it('gives exactly JSON.parse of the whole text, however the bytes are cut', () => {
    for (const text of tricky) {
      const bytes = Buffer.from(text, 'utf8');
      // Sizes of 1 to 5 bytes cut every multi-byte character and every escape somewhere.
      for (const size of [1, 2, 3, 4, 5, 64]) expect(read(bytes, size), `${text} in chunks of ${size}`).toEqual(JSON.parse(text));
    }
  });

  it('reads whatever is not a well-formed array as the whole text did: undefined, the value or the text', () => {
    for (const text of malformed) {
      // What undici's text() and parseJson gave: the byte-order mark is not part of the text.
      const expected = parseJson(text.replace(/^\ufeff/, ''));
      for (const size of [1, 3, 1000]) expect(read(Buffer.from(text, 'utf8'), size), `${JSON.stringify(text)} in chunks of ${size}`).toEqual(expected);
    }
    expect(read(Buffer.from('[1,]'), 2)).toBe('[1,]');
    expect(read(Buffer.from(''), 1)).toBeUndefined();
  });

  it('keeps a prototype-named key as data, as JSON.parse does', () => {
    const [first] = read(Buffer.from('[{"__proto__":{"polluted":1}}]'), 3) as Record<string, unknown>[];
    expect(Object.keys(first!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the transport over real HTTP', () => {
  let server: Server;
  let url: string;
  let transport: HttpTransport;
  // A page of large orders, written in small pieces so it arrives in many chunks.
  const orders = Array.from({ length: 250 }, (_, id) => ({
    id,
    customer_message: `Bitte vor 10 Uhr liefern, Tür 注文 ${'é'.repeat(id % 7)} ] } , "`,
    products: Array.from({ length: 1 + (id % 60) }, (_, n) => ({ id: n, sku: `SKU-${id}-${n}`, name: `Produkt 👍🏽 [${n}]` })),
  }));
  const page = JSON.stringify(orders);

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/orders') {
        const bytes = Buffer.from(page, 'utf8');
        for (let i = 0; i < bytes.length; i += 4093) res.write(bytes.subarray(i, i + 4093));
        res.end();
      } else if (req.url === '/empty') res.end();
      else res.end('<html>not json</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    transport = createHttpTransport();
  });
  afterAll(async () => {
    await transport.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('parses a multi-chunk page of orders into exactly the page', async () => {
    const res = await transport.sendJson({ method: 'GET', url: `${url}/orders` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(page));
  });

  it('gives undefined for no body and the text for a body that is not JSON', async () => {
    expect((await transport.sendJson({ method: 'GET', url: `${url}/empty` })).body).toBeUndefined();
    expect((await transport.sendJson({ method: 'GET', url: `${url}/html` })).body).toBe('<html>not json</html>');
  });
});
