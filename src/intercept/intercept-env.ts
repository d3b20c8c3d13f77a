/**
 * The environment that routes an unchanged integration to the harness (issue 12): proxy variables
 * for the clients that honour them, the run's CA for the TLS stacks that read one from the
 * environment, and a Node preload for Node programs that ignore proxy variables. Pure.
 */
import { fileURLToPath } from 'node:url';

export const PRELOAD_FILE = fileURLToPath(new URL('./preload.cjs', import.meta.url));

/** Loopback never goes through the proxy: the harness's own URLs are reached directly. */
export const NO_PROXY_VALUE = 'localhost,127.0.0.1,::1,[::1]';

export interface InterceptEnvOptions {
  /** The proxy, `http://127.0.0.1:PORT`. */
  proxyUrl: string;
  /** The run's CA certificate (PEM file). */
  caFile: string;
  /** `host:port` of the simulator's HTTPS listener and HTTP listener, for the preload. */
  simulatorHttps: string;
  simulatorHttp: string;
  /** The NODE_OPTIONS already in the integration's environment, kept. */
  nodeOptions?: string;
  /** Leave out the Node preload. */
  preload?: boolean;
}

/** A path as one NODE_OPTIONS argument (it splits on spaces unless quoted). */
function quoteNodeOption(path: string): string {
  return /[\s"\\]/.test(path) ? `"${path.replace(/(["\\])/g, '\\$1')}"` : path;
}

export function interceptEnv(options: InterceptEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    // Both spellings: curl reads only the lower-case http_proxy, most others either.
    HTTPS_PROXY: options.proxyUrl,
    https_proxy: options.proxyUrl,
    HTTP_PROXY: options.proxyUrl,
    http_proxy: options.proxyUrl,
    NO_PROXY: NO_PROXY_VALUE,
    no_proxy: NO_PROXY_VALUE,
    // Node adds it to its roots; OpenSSL programs (Python, Ruby), requests and curl replace
    // theirs with it, which is what a harness that never leaves the machine wants.
    NODE_EXTRA_CA_CERTS: options.caFile,
    SSL_CERT_FILE: options.caFile,
    REQUESTS_CA_BUNDLE: options.caFile,
    CURL_CA_BUNDLE: options.caFile,
  };
  if (options.preload !== false) {
    env.BC_HARNESS_INTERCEPT = JSON.stringify({ https: options.simulatorHttps, http: options.simulatorHttp, domain: 'bigcommerce.com' });
    env.NODE_OPTIONS = [options.nodeOptions?.trim(), `--require ${quoteNodeOption(PRELOAD_FILE)}`].filter(Boolean).join(' ');
  }
  return env;
}

/** `host:port` of a URL (IPv6 in brackets). */
export function hostPortOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
}
