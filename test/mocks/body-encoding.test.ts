/**
 * The connected-system mocks answer a body they cannot decode (a charset other than UTF-8, an
 * unknown or broken Content-Encoding) with a 4xx in their envelope, as the simulator does, not a
 * 500 "bug in the harness". Found by the fuzz suite (npm run fuzz -- --surface mocks --seed
 * 20261206: 80 of 1000 cases answered 500).
 */
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it, vi, type MockInstance } from 'vitest';
import { startMocks, type RunningMocks } from '../../src/mocks/http/server.ts';

let mocks: RunningMocks;
let consoleError: MockInstance<typeof console.error>;
beforeAll(async () => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  mocks = await startMocks({ seed: 7, products: 20, customers: 10, timeScale: 0, start: Date.UTC(2026, 10, 27, 12) });
});
afterAll(async () => {
  await mocks.close();
  consoleError.mockRestore();
});

const cases: { name: string; headers: Record<string, string>; body: string | Buffer; status: number; message: RegExp }[] = [
  { name: 'charset=latin1', headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}', status: 415, message: /charset/i },
  { name: 'charset=koi8-r', headers: { 'content-type': 'application/json; charset=koi8-r' }, body: '0', status: 415, message: /charset/i },
  { name: 'an unknown Content-Encoding', headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' }, body: '{}', status: 415, message: /encoding/i },
  { name: 'a gzip body that is not gzip', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"a":1}', status: 400, message: /./ },
];

for (const c of cases) {
  it(`answers ${c.name} with a ${c.status} in the mocks' envelope, not a 500`, async () => {
    const res = await request(`${mocks.url}/erp/sales-orders`, { method: 'POST', headers: c.headers, body: c.body });
    const body = (await res.body.json()) as { errors: { field: string; message: string }[] };
    expect(res.statusCode).toBe(c.status);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.field).toBe('body');
    expect(body.errors[0]!.message).toMatch(c.message);
    expect(consoleError).not.toHaveBeenCalled();
  });
}

it('still reads a real gzip body', async () => {
  const record = { externalId: 'gz-1' };
  const res = await request(`${mocks.url}/erp/sales-orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(record)) });
  await res.body.dump();
  expect(res.statusCode).not.toBe(500);
  expect(res.statusCode).not.toBe(415);
});
