/**
 * Where the harness's proxy sends a request an integration makes: the platform's hosts go to the
 * simulator, the harness's own URLs (simulator, mocks, alert sink) to themselves, and everything
 * else is refused, because the harness never sends traffic off the machine. Pure: the proxy
 * (connect-proxy.ts) only carries out the decision.
 */
import { PLATFORM_DOMAIN } from './certificates.ts';

export interface HostPort {
  host: string;
  port: number;
}

export interface RouteTable {
  /** The simulator's HTTPS listener: where `*.bigcommerce.com:443` goes. */
  simulatorHttps?: HostPort;
  /** The simulator's HTTP listener: where `http://*.bigcommerce.com` (port 80) goes. */
  simulatorHttp: HostPort;
  /** The harness's own listeners a proxied request may reach as they are (mocks, alert sink, the simulator). */
  harness: HostPort[];
  /** The platform's domain (default bigcommerce.com). */
  platformDomain?: string;
}

export type Route =
  | { kind: 'platform'; target: HostPort }
  | { kind: 'harness'; target: HostPort }
  | { kind: 'refuse'; reason: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Lower case, without the brackets of an IPv6 literal and without a trailing dot. */
export function normalizeHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

export function isPlatformHost(host: string, domain = PLATFORM_DOMAIN): boolean {
  const h = normalizeHost(host);
  return h === domain || h.endsWith(`.${domain}`);
}

function sameListener(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port) return false;
  const x = normalizeHost(a.host);
  const y = normalizeHost(b.host);
  // localhost and 127.0.0.1 name the same listener when it is bound to 127.0.0.1.
  return x === y || (LOOPBACK.has(x) && LOOPBACK.has(y) && x !== '::1' && y !== '::1');
}

/** Split `host:port` (CONNECT's authority form, IPv6 in brackets). */
export function parseAuthority(authority: string, defaultPort: number): HostPort | undefined {
  const m = /^(\[[^\]]+\]|[^:\s]+)(?::(\d{1,5}))?$/.exec(authority.trim());
  if (!m) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: normalizeHost(m[1]!), port };
}

export function routeRequest(to: HostPort, table: RouteTable): Route {
  const host = normalizeHost(to.host);
  if (isPlatformHost(host, table.platformDomain)) {
    if (to.port === 443) {
      return table.simulatorHttps
        ? { kind: 'platform', target: table.simulatorHttps }
        : { kind: 'refuse', reason: `${host}:443 is the platform, but the simulator serves no HTTPS in this run. Start it with --tls.` };
    }
    if (to.port === 80) return { kind: 'platform', target: table.simulatorHttp };
    return { kind: 'refuse', reason: `${host}:${to.port} is not a port the platform serves (443, or 80).` };
  }
  const harness = [table.simulatorHttp, ...(table.simulatorHttps ? [table.simulatorHttps] : []), ...table.harness].find((h) => sameListener(h, { host, port: to.port }));
  if (harness) return { kind: 'harness', target: harness };
  return { kind: 'refuse', reason: `${host}:${to.port} is neither a BigCommerce host (*.${table.platformDomain ?? PLATFORM_DOMAIN}) nor one of the harness's own servers, and the harness never sends traffic off this machine. Point the integration at the harness's URLs (ERP_URL, THREEPL_URL, ...), or add the host to NO_PROXY if it is a local service of your own.` };
}
