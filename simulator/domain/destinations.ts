/**
 * Where the simulator may send a request it initiates: webhook destinations and app callbacks.
 * The platform demands https on port 443 for hook destinations (facts section c) and TLS for
 * every app callback URL ("In production, all app callback URLs must be ... served over TLS/SSL",
 * Single-Click App Callback Handlers). The simulator also accepts plain http to loopback
 * receivers, unless strict mode (`--strict-destinations`) asks for the platform's rule.
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Why the simulator will not call this URL, or undefined when it will. */
export function destinationProblem(value: string, strict: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  const httpsOn443 = url.protocol === 'https:' && (url.port === '' || url.port === '443');
  if (httpsOn443) return undefined;
  if (strict) return 'must be https on port 443';
  if (!LOOPBACK.has(url.hostname)) return 'must be https on port 443 (plain http is accepted only for loopback receivers)';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  return undefined;
}
