/**
 * bc-harness preload, loaded into an integration's Node processes with
 * `NODE_OPTIONS=--require <this file>`: for programs that ignore HTTPS_PROXY (Node's https module
 * and its global fetch both do, in Node 20), connections to the platform's hosts
 * (`*.bigcommerce.com`) go to the simulator instead, unchanged otherwise:
 *
 * - `tls.connect` (used by `https`, the https Agent and fetch/undici) to such a host on port 443 is
 *   sent to the simulator's HTTPS listener, keeping the original name as the TLS server name, so
 *   SNI and the certificate check are done against `api.bigcommerce.com` (the run's CA, trusted
 *   through NODE_EXTRA_CA_CERTS, vouches for it);
 * - `net.connect` to such a host on port 80 or 443 is sent to the simulator's HTTP or HTTPS listener
 *   (http.request and clients that open their own sockets);
 * - `dns.lookup` of such a host answers the simulator's address, for code that resolves first.
 *
 * A connection made over an existing socket (a CONNECT tunnel through the harness's proxy) is left
 * alone. Nothing else is touched. Configuration: BC_HARNESS_INTERCEPT, JSON
 * `{"https":"127.0.0.1:PORT","http":"127.0.0.1:PORT","domain":"bigcommerce.com"}`, set by the
 * harness (src/intercept/intercept-env.ts). Plain CommonJS with no dependencies: it runs inside
 * the integration's Node, whatever that program has installed.
 */
'use strict';

(function install() {
  const raw = process.env.BC_HARNESS_INTERCEPT;
  if (!raw || globalThis.__bcHarnessInterceptInstalled) return;
  let config;
  try {
    config = JSON.parse(raw);
  } catch (error) {
    process.emitWarning(`bc-harness: BC_HARNESS_INTERCEPT is not JSON (${error.message}); the platform's hosts are not redirected.`);
    return;
  }
  globalThis.__bcHarnessInterceptInstalled = true;
  const net = require('node:net');
  const tls = require('node:tls');
  const dns = require('node:dns');
  const http = require('node:http');

  const split = (hostPort) => {
    if (!hostPort) return undefined;
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort);
    return m ? { host: m[1], port: Number(m[2]) } : undefined;
  };
  const targets = { 443: split(config.https), 80: split(config.http) };
  const domain = String(config.domain || 'bigcommerce.com').toLowerCase();
  const isPlatform = (host) => {
    if (typeof host !== 'string') return false;
    const h = host.replace(/\.$/, '').toLowerCase();
    return h === domain || h.endsWith(`.${domain}`);
  };

  /** The (port, host, options, callback) and (options, callback) forms, as one options object. */
  const normalize = (args) => {
    const list = Array.from(args);
    const callback = typeof list[list.length - 1] === 'function' ? list.pop() : undefined;
    let options;
    if (list[0] !== null && typeof list[0] === 'object') options = { ...list[0] };
    else {
      options = { ...(list.find((a, i) => i > 0 && a !== null && typeof a === 'object') || {}) };
      if (list[0] !== undefined) options.port = list[0];
      if (typeof list[1] === 'string') options.host = list[1];
    }
    return { options, callback };
  };

  /** The options with the platform's host swapped for the simulator, or undefined when untouched. */
  const redirect = (options, secure) => {
    if (options.socket || options.path) return undefined;
    const host = options.host || options.hostname;
    if (!isPlatform(host)) return undefined;
    const port = Number(options.port || (secure ? 443 : 80));
    const target = targets[port];
    if (!target) return undefined;
    const out = { ...options, host: target.host, port: target.port };
    delete out.hostname;
    delete out.lookup;
    if (secure) out.servername = options.servername || host;
    return out;
  };

  const originalTlsConnect = tls.connect;
  tls.connect = function connect(...args) {
    const { options, callback } = normalize(args);
    const changed = redirect(options, true);
    if (!changed) return originalTlsConnect.apply(this, args);
    return callback ? originalTlsConnect.call(this, changed, callback) : originalTlsConnect.call(this, changed);
  };

  for (const name of ['connect', 'createConnection']) {
    const original = net[name];
    net[name] = function connect(...args) {
      const { options, callback } = normalize(args);
      const changed = redirect(options, false);
      if (!changed) return original.apply(this, args);
      return callback ? original.call(this, changed, callback) : original.call(this, changed);
    };
  }
  // http.Agent took net.createConnection by value when it was loaded, before this file ran.
  if (http.Agent.prototype.createConnection !== net.createConnection) {
    const original = http.Agent.prototype.createConnection;
    http.Agent.prototype.createConnection = function createConnection(options, callback) {
      const changed = options && typeof options === 'object' ? redirect(options, false) : undefined;
      return original.call(this, changed || options, callback);
    };
  }

  const address = (targets[443] || targets[80] || { host: '127.0.0.1' }).host;
  const family = net.isIPv6(address) ? 6 : 4;
  const originalLookup = dns.lookup;
  dns.lookup = function lookup(hostname, options, callback) {
    if (!isPlatform(hostname)) return originalLookup.apply(this, arguments);
    const cb = typeof options === 'function' ? options : callback;
    const all = options !== null && typeof options === 'object' && options.all;
    process.nextTick(() => (all ? cb(null, [{ address, family }]) : cb(null, address, family)));
    return {};
  };
  if (dns.promises && typeof dns.promises.lookup === 'function') {
    const originalPromise = dns.promises.lookup;
    dns.promises.lookup = function lookup(hostname, options) {
      if (!isPlatform(hostname)) return originalPromise.apply(this, arguments);
      const all = options !== null && typeof options === 'object' && options.all;
      return Promise.resolve(all ? [{ address, family }] : { address, family });
    };
  }
})();
