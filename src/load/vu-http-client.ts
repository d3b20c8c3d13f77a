/**
 * One VU's HTTP client over undici, with the timings k6 reports per request.
 *
 * k6 gives every VU its own connection pool, so each VU here has its own undici Agent. That also
 * makes k6's per-iteration `data_sent`/`data_received` exact: they are the byte counters of this
 * VU's sockets, read at the start and end of an iteration.
 *
 * Phases, measured with undici's dispatch handler and its `undici:client:sendHeaders` diagnostics
 * channel (k6's httptrace equivalents):
 *   blocked    dispatch -> the request gets a socket (includes connecting, as in k6)
 *   connecting TCP connect of a socket this request was the first to use
 *   tls        TLS handshake of that socket
 *   sending    socket assigned -> request fully written
 *   waiting    request written -> first response byte
 *   receiving  first response byte -> response complete
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';

export interface HttpTimings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

export interface HopRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  timeoutMs: number;
  /** Read and drop the body (responseType 'none' or discardResponseBodies). */
  discardBody: boolean;
  /** Called with a function that aborts this request (interruption). */
  onAbortable(abort: (error: Error) => void): void;
}

export interface HopResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  timings: HttpTimings;
  remoteIp: string;
  remotePort: number;
  proto: string;
  /** Set when no HTTP response was received (k6: status 0 plus `error` and `error_code`). */
  error?: { message: string; code: number };
}

export interface VuHttpClient {
  request(request: HopRequest): Promise<HopResponse>;
  /** Bytes written and read on this VU's sockets so far (wire bytes, headers included). */
  bytes(): { sent: number; received: number };
  close(): Promise<void>;
}

interface SocketInfo {
  connectMs: number;
  tlsMs: number;
  used: boolean;
}

interface Claim {
  socket?: Socket;
}

const socketInfo = new WeakMap<Socket, SocketInfo>();
let pendingClaim: Claim | undefined;
let subscribed = false;

// undici calls the handler's onConnect and then, synchronously while writing the request,
// publishes sendHeaders with the socket: the claim set in onConnect is that request's.
function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (message) => {
    if (!pendingClaim) return;
    pendingClaim.socket = (message as { socket: Socket }).socket;
    pendingClaim = undefined;
  });
}

/** Map a network error to k6's error codes (k6 docs, "Error codes"). */
export function k6NetworkErrorCode(error: { code?: string; name?: string; message?: string }): number {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 1212;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 1220;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 1101;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 1211;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 1050;
    default:
      if (error.name === 'TimeoutError') return 1050;
      return 1000;
  }
}

export function createVuHttpClient(options: { insecureSkipTLSVerify: boolean; noConnectionReuse: boolean }): VuHttpClient {
  subscribeOnce();
  const live = new Set<Socket>();
  let closedSent = 0;
  let closedReceived = 0;
  const connector = buildConnector({ rejectUnauthorized: !options.insecureSkipTLSVerify });
  const agent = new Agent({
    // k6's own request timeout applies (params.timeout); undici's must not fire first.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect(connectOptions, callback) {
      const started = performance.now();
      let tcpDone = 0;
      const socket = (connector as unknown as (o: buildConnector.Options, cb: buildConnector.Callback) => Socket)(connectOptions, (error, connected) => {
        if (connected) {
          const end = performance.now();
          const tcp = tcpDone || end;
          socketInfo.set(connected as Socket, { connectMs: tcp - started, tlsMs: connectOptions.protocol === 'https:' ? end - tcp : 0, used: false });
        }
        if (error) callback(error, null);
        else callback(null, connected!);
      });
      socket.once('connect', () => (tcpDone = performance.now()));
      live.add(socket);
      socket.once('close', () => {
        live.delete(socket);
        closedSent += socket.bytesWritten;
        closedReceived += socket.bytesRead;
      });
      return socket as never;
    },
  });

  return {
    bytes() {
      let sent = closedSent;
      let received = closedReceived;
      for (const s of live) {
        sent += s.bytesWritten;
        received += s.bytesRead;
      }
      return { sent, received };
    },
    close: () => agent.close(),
    request(req) {
      return new Promise<HopResponse>((resolve) => {
        const t0 = performance.now();
        let tConn = 0;
        let tSent = 0;
        let tFirst = 0;
        const claim: Claim = {};
        let status = 0;
        let statusText = '';
        let rawHeaders: Buffer[] = [];
        const chunks: Buffer[] = [];
        let abortFn: ((error: Error) => void) | undefined;
        let settled = false;
        let pendingAbort: Error | undefined;

        const timings = (end: number): HttpTimings => {
          const info = claim.socket ? socketInfo.get(claim.socket) : undefined;
          let connecting = 0;
          let tls = 0;
          if (info && !info.used) {
            info.used = true;
            connecting = info.connectMs;
            tls = info.tlsMs;
          }
          const conn = tConn || end;
          const sent = tSent || conn;
          const first = tFirst || sent;
          const sending = sent - conn;
          const waiting = first - sent;
          const receiving = end - first;
          return { blocked: conn - t0, connecting, tls_handshaking: tls, sending, waiting, receiving, duration: sending + waiting + receiving };
        };
        const finish = (error?: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const end = performance.now();
          const socket = claim.socket;
          const base = { timings: timings(end), remoteIp: socket?.remoteAddress ?? '', remotePort: socket?.remotePort ?? 0, proto: 'HTTP/1.1' };
          if (error) {
            const code = k6NetworkErrorCode(error as { code?: string });
            resolve({ status: 0, statusText: '', headers: {}, body: undefined, ...base, proto: '', error: { message: describeNetworkError(error, req.url), code } });
            return;
          }
          resolve({ status, statusText, headers: headersToObject(rawHeaders), body: req.discardBody ? undefined : Buffer.concat(chunks), ...base });
        };
        const abort = (error: Error) => {
          if (settled) return;
          if (abortFn) abortFn(error);
          else pendingAbort = error;
          finish(error);
        };
        const timer = setTimeout(() => {
          const error = new Error(`request timeout`);
          error.name = 'TimeoutError';
          abort(error);
        }, req.timeoutMs);
        req.onAbortable(abort);

        const handler: Dispatcher.DispatchHandler & { onRequestSent(): void } = {
          onConnect(abortRequest) {
            if (pendingAbort) {
              abortRequest(pendingAbort);
              return;
            }
            abortFn = abortRequest;
            tConn = performance.now();
            pendingClaim = claim;
          },
          onRequestSent() {
            tSent = performance.now();
          },
          onResponseStarted() {
            tFirst = performance.now();
          },
          onHeaders(statusCode, headers, _resume, text) {
            status = statusCode;
            statusText = text;
            rawHeaders = headers;
            if (!tFirst) tFirst = performance.now();
            return true;
          },
          onData(chunk) {
            if (!req.discardBody) chunks.push(chunk);
            return true;
          },
          onComplete() {
            finish();
          },
          onError(error) {
            finish(error);
          },
        };
        agent.dispatch(
          {
            origin: req.url.origin,
            path: `${req.url.pathname}${req.url.search}`,
            method: req.method as Dispatcher.HttpMethod,
            headers: req.headers,
            body: req.body,
            ...(options.noConnectionReuse ? { reset: true } : {}),
          },
          handler,
        );
      });
    },
  };
}

function describeNetworkError(error: Error, url: URL): string {
  const code = (error as { code?: string }).code;
  if (error.name === 'TimeoutError') return 'request timeout';
  if (code === 'ECONNREFUSED') return `dial tcp ${url.host}: connect: connection refused`;
  if (code === 'ENOTFOUND') return `lookup ${url.hostname}: no such host`;
  if (code === 'ECONNRESET') return `read tcp ${url.host}: connection reset by peer`;
  return error.message || String(error);
}

/** Header names the way Go prints them (`content-type` -> `Content-Type`); repeats joined with ", ". */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function headersToObject(raw: Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = canonicalHeaderName(raw[i]!.toString('latin1'));
    const value = raw[i + 1]!.toString('latin1');
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}
