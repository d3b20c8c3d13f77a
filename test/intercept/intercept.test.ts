/**
 * Issue 12: an integration that hard-codes https://api.bigcommerce.com reaches the simulator
 * unchanged, through the harness's CONNECT proxy (HTTPS_PROXY) or the Node preload, trusting the
 * run's CA; every other host is refused, an unknown TLS name fails clearly, and nothing listens
 * beyond loopback. Real servers on loopback port 0, real child processes.
 */
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateError, loadOrCreateCa, prepareTls, readGivenCa, SERVED_NAMES } from '../../src/intercept/certificates.ts';
import { routeRequest } from '../../src/intercept/route-request.ts';
import { routeOf, startIntercept, type RunningIntercept } from '../../src/intercept/start-intercept.ts';
import { startTestSim, type TestSim } from '../support/simulator.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bc-intercept-'));
  dirs.push(dir);
  return dir;
};

let sim: TestSim;
let intercept: RunningIntercept;
let caFile: string;
const proxyLog: string[] = [];
const tlsRefusals: { serverName: string | undefined; reason: string; code?: string }[] = [];
const routes: string[] = [];
let mocks: { url: string; close(): Promise<void> };

beforeAll(async () => {
  const dir = tempDir();
  const tls = await prepareTls({ dir: join(dir, 'tls') });
  caFile = tls.ca.certFile;
  sim = await startTestSim({ tls: { cert: tls.server.certPem, key: tls.server.keyPem, serverNames: SERVED_NAMES, onRefused: (r) => tlsRefusals.push(r) } });
  // A stand-in for a connected-system mock: the proxy may forward to it, being the harness's own.
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => res.end(JSON.stringify({ mock: true, path: req.url })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  mocks = { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((r) => server.close(() => r())) };
  intercept = await startIntercept({ simulatorUrl: sim.url, simulatorHttpsUrl: sim.running.httpsUrl!, caFile, harnessUrls: [mocks.url], log: (l) => proxyLog.push(l) });
}, 30_000);

afterAll(async () => {
  await intercept?.close();
  await sim?.close();
  await mocks?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Run a Node program with the given environment; resolve with its exit code and output. */
function runNode(code: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = tempDir();
  const file = join(dir, 'vendor-app.cjs');
  writeFileSync(file, code);
  return new Promise((resolve) => {
    const clean = { ...process.env };
    for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS']) delete clean[k];
    execFile(process.execPath, [file], { env: { ...clean, ...env }, cwd: process.cwd(), timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A vendor's program: hard-coded platform URL, plain `https.get` and global `fetch`, no harness code. */
const VENDOR_APP = (hash: string, token: string) => `
const https = require('node:https');
const url = 'https://api.bigcommerce.com/stores/${hash}/v2/orders?limit=1';
const headers = { 'X-Auth-Token': '${token}', Accept: 'application/json' };
https.get(url, { headers }, (res) => {
  let body = '';
  res.on('data', (c) => (body += c));
  res.on('end', async () => {
    const viaFetch = await fetch('https://api.bigcommerce.com/stores/${hash}/v3/catalog/products?limit=1', { headers });
    const products = await viaFetch.json();
    console.log(JSON.stringify({ https: res.statusCode, orders: JSON.parse(body).length, fetch: viaFetch.status, products: products.data.length, quota: viaFetch.headers.get('x-rate-limit-requests-quota') }));
  });
}).on('error', (e) => { console.error('https.get failed: ' + e.message); process.exit(3); });
`;

describe('certificates', () => {
  it('makes a CA per directory, key 0600 in a 0700 folder, and reuses it on the next start', async () => {
    const dir = join(tempDir(), 'tls');
    const first = await loadOrCreateCa(dir);
    expect(first.created).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateCa(dir);
    expect(again.created).toBe(false);
    expect(again.certPem).toBe(first.certPem);
    expect(new X509Certificate(first.certPem).ca).toBe(true);
  });

  it('issues a server certificate for the platform hosts and loopback, signed by the CA', async () => {
    const dir = join(tempDir(), 'tls');
    const { ca, server } = await prepareTls({ dir });
    const cert = new X509Certificate(server.certPem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.checkHost('api.bigcommerce.com')).toBe('api.bigcommerce.com');
    expect(cert.checkHost('login.bigcommerce.com')).toBe('login.bigcommerce.com');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('www.example.com')).toBeUndefined();
    expect(cert.checkHost('store.mybigcommerce.com')).toBeUndefined();
  });

  it('takes a CA given with --ca (a directory, or CERT,KEY) and refuses one that is not a CA or mismatched', async () => {
    const dir = join(tempDir(), 'tls');
    const made = await loadOrCreateCa(dir);
    expect(readGivenCa(dir).certPem).toBe(made.certPem);
    expect(readGivenCa(`${join(dir, 'ca.pem')},${join(dir, 'ca-key.pem')}`).certFile).toBe(join(dir, 'ca.pem'));
    const { server } = await prepareTls({ dir });
    const leafDir = tempDir();
    writeFileSync(join(leafDir, 'ca.pem'), server.certPem);
    writeFileSync(join(leafDir, 'ca-key.pem'), server.keyPem);
    expect(() => readGivenCa(leafDir)).toThrow(/is not a CA/);
    const other = await loadOrCreateCa(join(tempDir(), 'tls'));
    expect(() => readGivenCa(`${made.certFile},${join(other.certFile, '..', 'ca-key.pem')}`)).toThrow(/does not belong/);
    expect(() => readGivenCa(join(tempDir(), 'missing.pem'))).toThrow(CertificateError);
  });
});

describe('routing', () => {
  const table = { simulatorHttp: { host: '127.0.0.1', port: 1000 }, simulatorHttps: { host: '127.0.0.1', port: 1001 }, harness: [{ host: '127.0.0.1', port: 2000 }] };
  it.each([
    ['api.bigcommerce.com', 443, 'platform', 1001],
    ['LOGIN.BigCommerce.com.', 443, 'platform', 1001],
    ['api.bigcommerce.com', 80, 'platform', 1000],
    ['localhost', 2000, 'harness', 2000],
    ['127.0.0.1', 1000, 'harness', 1000],
  ])('sends %s:%i to the %s', (host, port, kind, target) => {
    const route = routeRequest({ host, port }, table);
    expect(route.kind).toBe(kind);
    expect(route.kind !== 'refuse' && route.target.port).toBe(target);
  });
  it.each([
    ['example.com', 443],
    ['evilbigcommerce.com', 443],
    ['api.bigcommerce.com.evil.net', 443],
    ['api.bigcommerce.com', 8443],
    ['127.0.0.1', 22],
    ['10.0.0.1', 2000],
  ])('refuses %s:%i', (host, port) => {
    expect(routeRequest({ host, port }, table).kind).toBe('refuse');
  });
});

describe('the HTTPS front', () => {
  it('serves the same routes as HTTP for https://api.bigcommerce.com, recording via https', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(sim.running.httpsUrl!).port), servername: 'api.bigcommerce.com', ca: [readFileSync(caFile, 'utf8')] }, () => {
        socket.write(`GET /stores/${sim.hash}/v2/orders/count HTTP/1.1\r\nHost: api.bigcommerce.com\r\nX-Auth-Token: ${sim.token}\r\nConnection: close\r\n\r\n`);
      });
      let raw = '';
      socket.on('data', (c) => (raw += c));
      socket.on('end', () => resolve({ status: Number(raw.split(' ')[1]), body: raw.slice(raw.indexOf('\r\n\r\n') + 4) }));
      socket.on('error', reject);
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('count');
    const ledger = await sim.control('GET', '/ledger?kinds=api:request');
    const lines = ledger.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ path: `/stores/${sim.hash}/v2/orders/count`, status: 200, via: 'https' });
  });

  it('refuses a TLS handshake for a name it does not serve, and says which name', async () => {
    const error = await new Promise<Error>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(sim.running.httpsUrl!).port), servername: 'www.example.com', rejectUnauthorized: false });
      socket.on('secureConnect', () => resolve(new Error('handshake succeeded')));
      socket.on('error', resolve);
    });
    expect(error.message).not.toBe('handshake succeeded');
    await expect.poll(() => tlsRefusals.map((r) => r.reason).join('\n')).toMatch(/Refused a TLS connection for www\.example\.com: the simulator serves HTTPS only for api\.bigcommerce\.com/);
  });

  it('tells a handshake the client hung up on (a reset) from a refusal, by its code', async () => {
    // The start of a ClientHello, then a reset: what a client killed mid-handshake leaves behind.
    // The UAT counts such a cut as an interception failure only while the run is going on, not once
    // it is stopping the integration (orchestrator.ts, CUT_HANDSHAKE_CODES).
    const { connect } = await import('node:net');
    const before = tlsRefusals.length;
    const socket = connect(Number(new URL(sim.running.httpsUrl!).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.resetAndDestroy();
    await expect.poll(() => tlsRefusals.slice(before).map((r) => r.code)).toContain('ECONNRESET');
    expect(tlsRefusals.slice(before).every((r) => !/Refused a TLS connection for/.test(r.reason))).toBe(true);
  });

  it('listens on loopback only', () => {
    for (const server of [sim.running.server, sim.running.https!.server]) {
      expect((server.address() as { address: string }).address).toBe('127.0.0.1');
    }
    expect(new URL(intercept.proxy.url).hostname).toBe('127.0.0.1');
  });
});

describe('the proxy', () => {
  function connectThrough(authority: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: intercept.proxy.port, method: 'CONNECT', path: authority });
      // Node reports every answer to a CONNECT here, a refusal too; its body follows on the socket.
      req.on('connect', (res, socket, head) => {
        if (res.statusCode === 200) {
          socket.destroy();
          return resolve({ status: 200, text: '' });
        }
        let text = head.toString();
        socket.on('data', (c) => (text += c));
        socket.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('refuses a CONNECT to any other host with 403 and a log line naming it', async () => {
    const before = proxyLog.length;
    const res = await connectThrough('example.com:443');
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/example\.com:443 is neither a BigCommerce host/);
    expect(proxyLog.slice(before).join('\n')).toMatch(/\[intercept\] refused CONNECT example\.com:443: .*never sends traffic off this machine/);
    expect(intercept.proxy.stats().refused['example.com:443']).toBe(1);
  });

  it('refuses a plain-HTTP request for another host, and forwards one for a harness server', async () => {
    const get = (url: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: intercept.proxy.port, method: 'GET', path: url, headers: { host: new URL(url).host } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end();
      });
    const refused = await get('http://registry.example.org/some/package');
    expect(refused.status).toBe(403);
    expect(proxyLog.join('\n')).toMatch(/refused GET http:\/\/registry\.example\.org:80\/some\/package/);
    const forwarded = await get(`${mocks.url}/erp/sales-orders/1`);
    expect(forwarded.status).toBe(200);
    expect(JSON.parse(forwarded.text)).toEqual({ mock: true, path: '/erp/sales-orders/1' });
  });

  it('tunnels api.bigcommerce.com:443 to the simulator', async () => {
    const res = await connectThrough('api.bigcommerce.com:443');
    expect(res.status).toBe(200);
    expect(intercept.proxy.stats().tunnels['api.bigcommerce.com:443']).toBeGreaterThanOrEqual(1);
  });
});

describe('an unchanged Node program', () => {
  it('reaches the simulator through the preload, with https.get and global fetch', async () => {
    const out = await runNode(VENDOR_APP(sim.hash, sim.token), { ...intercept.env, HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '' });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ https: 200, orders: 1, fetch: 200, products: 1, quota: '150' });
  });

  it('reaches the simulator through HTTPS_PROXY (a proxy-aware client, no preload)', async () => {
    const tunnels = intercept.proxy.stats().tunnels['api.bigcommerce.com:443'] ?? 0;
    const undiciPath = JSON.stringify(createRequire(import.meta.url).resolve('undici'));
    const code = `
const { EnvHttpProxyAgent, fetch } = require(${undiciPath});
const dispatcher = new EnvHttpProxyAgent();
fetch('https://api.bigcommerce.com/stores/${sim.hash}/v2/orders?limit=2', { dispatcher, headers: { 'X-Auth-Token': '${sim.token}', Accept: 'application/json' } })
  .then(async (r) => { console.log(JSON.stringify({ status: r.status, orders: (await r.json()).length })); process.exit(0); })
  .catch((e) => { console.error(String(e.cause ?? e)); process.exit(3); });
`;
    const { NODE_OPTIONS: _n, BC_HARNESS_INTERCEPT: _b, ...env } = intercept.env;
    const out = await runNode(code, env);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ status: 200, orders: 2 });
    expect(intercept.proxy.stats().tunnels['api.bigcommerce.com:443']).toBe(tunnels + 1);
  });

  it('fails clearly when it asks for a platform host the simulator does not serve', async () => {
    const code = `
const https = require('node:https');
https.get('https://www.bigcommerce.com/', (res) => { console.log('reached ' + res.statusCode); process.exit(0); })
  .on('error', (e) => { console.error('failed: ' + e.message); process.exit(4); });
`;
    const out = await runNode(code, { ...intercept.env });
    expect(out.stdout).toBe('');
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(/^failed: /);
    await expect.poll(() => tlsRefusals.map((r) => r.reason).join('\n')).toMatch(/Refused a TLS connection for www\.bigcommerce\.com/);
  });
});

describe('which way each request came', () => {
  it('tells proxied requests from preloaded and plain-HTTP ones', () => {
    expect(routeOf({ via: 'http', peerPort: 1 }, { carries: () => false })).toBe('direct');
    expect(routeOf({ via: 'https', peerPort: 5 }, { carries: (p) => p === 5 })).toBe('proxy');
    expect(routeOf({ via: 'https', peerPort: 6 }, { carries: (p) => p === 5 })).toBe('preload');
    expect(routeOf({ via: 'https', peerPort: 6 }, undefined)).toBe('preload');
  });
});

const curl = spawnSync('curl', ['--version'], { encoding: 'utf8' });
describe.skipIf(curl.status !== 0)('curl', () => {
  it('reaches https://api.bigcommerce.com through HTTPS_PROXY with CURL_CA_BUNDLE, and is refused elsewhere', async () => {
    const run = (url: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = { ...process.env, ...intercept.env };
        delete env.NODE_OPTIONS;
        execFile('curl', ['-sS', '--max-time', '10', '-H', `X-Auth-Token: ${sim.token}`, url], { env }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      });
    const ok = await run(`https://api.bigcommerce.com/stores/${sim.hash}/v2/orders/count`);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toHaveProperty('count');
    const refused = await run('https://www.example.com/');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403/);
  });
});
