/**
 * One place that wires interception for a run (`bc-harness uat` and `bc-harness run`): the proxy
 * with its route table, the environment for the integration, and the count of which way each of
 * the integration's API requests came.
 */
import { startInterceptProxy, type InterceptProxy, type ProxyStats } from './connect-proxy.ts';
import { hostPortOf, interceptEnv } from './intercept-env.ts';
import { normalizeHost, type HostPort } from './route-request.ts';

export interface InterceptOptions {
  /** The simulator's HTTP URL (what BIGCOMMERCE_API_URL starts with). */
  simulatorUrl: string;
  /** The simulator's HTTPS URL (its `httpsUrl`). */
  simulatorHttpsUrl: string;
  caFile: string;
  /** The harness's other URLs a proxied request may reach (mocks, alert sink). */
  harnessUrls: string[];
  log: (line: string) => void;
  /** NODE_OPTIONS to keep (the integration's own). */
  nodeOptions?: string;
  preload?: boolean;
}

export interface RunningIntercept {
  proxy: InterceptProxy;
  env: Record<string, string>;
  close(): Promise<void>;
}

function hostPort(url: string): HostPort {
  const u = new URL(url);
  return { host: normalizeHost(u.hostname), port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
}

export async function startIntercept(options: InterceptOptions): Promise<RunningIntercept> {
  const proxy = await startInterceptProxy({
    routes: { simulatorHttp: hostPort(options.simulatorUrl), simulatorHttps: hostPort(options.simulatorHttpsUrl), harness: options.harnessUrls.map(hostPort) },
    log: options.log,
  });
  const env = interceptEnv({
    proxyUrl: proxy.url,
    caFile: options.caFile,
    simulatorHttps: hostPortOf(options.simulatorHttpsUrl),
    simulatorHttp: hostPortOf(options.simulatorUrl),
    ...(options.nodeOptions !== undefined ? { nodeOptions: options.nodeOptions } : {}),
    ...(options.preload !== undefined ? { preload: options.preload } : {}),
  });
  return { proxy, env, close: () => proxy.close() };
}

/**
 * Which way one of the simulator's `api:request` lines came: `proxy` (HTTPS to the platform's
 * name through the harness's CONNECT proxy), `preload` (HTTPS to the simulator on a socket the
 * proxy did not open: the Node preload, or a client given the HTTPS URL), `direct` (HTTP, the
 * BIGCOMMERCE_API_URL the harness gave, or a plain-HTTP request the proxy did not carry).
 * Decided when the line is written, while the proxy's socket is still open.
 */
export type RequestRoute = 'proxy' | 'preload' | 'direct';

export function routeOf(entry: { via?: unknown; peerPort?: unknown; [key: string]: unknown }, proxy: Pick<InterceptProxy, 'carries'> | undefined): RequestRoute {
  const carried = proxy?.carries(typeof entry.peerPort === 'number' ? entry.peerPort : undefined) ?? false;
  if (carried) return 'proxy';
  return entry.via === 'https' ? 'preload' : 'direct';
}

export interface RouteCounts {
  proxy: number;
  preload: number;
  direct: number;
}

/** One sentence for the run's notes, e.g. "The integration's API requests: 120 through the proxy ...". */
export function describeRoutes(counts: RouteCounts, stats: ProxyStats | undefined): string {
  const refused = Object.entries(stats?.refused ?? {});
  const refusedText = refused.length > 0 ? ` The proxy refused ${refused.map(([h, n]) => `${h} (${n})`).join(', ')}: the harness never sends traffic off the machine.` : '';
  return `Management API requests by route: ${counts.proxy} through the harness's proxy (HTTPS_PROXY to https://api.bigcommerce.com), ${counts.preload} over HTTPS without it (the Node preload), ${counts.direct} over HTTP (BIGCOMMERCE_API_URL).${refusedText}`;
}
