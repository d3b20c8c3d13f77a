/**
 * What the ledger must not keep in plain text.
 *
 * A hook's `headers` are sent with every callback and are how receivers authenticate the platform
 * (facts section c, "Authentication": custom headers, for example basic-auth credentials); the
 * reference engine puts its webhook secret there. The ledger is copied into every run directory
 * and read by people who should see what happened, not the secret, so header values (and any
 * credentials in a destination URL) are replaced by a fingerprint: the first 12 hex digits of the
 * SHA-256 of the value. The names stay, so a reader still sees which headers a hook carried; the
 * hook id, scope, destination and client id stay, so a hook is correlated by id across the ledger;
 * and someone who holds the secret can check it is the one a hook carried:
 *
 *     printf %s "$SECRET" | sha256sum | cut -c1-12
 */
import { createHash } from 'node:crypto';
import type { Hook } from './model.ts';

export const REDACTED_PREFIX = 'redacted:sha256:';

export function fingerprint(value: string): string {
  return `${REDACTED_PREFIX}${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

function redactDestination(destination: string): string {
  // Only URLs with user info change; anything unparseable is kept as it was (it holds no credentials we can find).
  const at = destination.indexOf('@');
  if (at < 0) return destination;
  try {
    const url = new URL(destination);
    if (!url.username && !url.password) return destination;
    const userinfo = fingerprint(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`);
    url.username = '';
    url.password = '';
    return url.toString().replace('://', `://${userinfo}@`);
  } catch {
    return destination;
  }
}

/** The hook as the ledger records it: header values and destination credentials fingerprinted. */
export function redactHook(hook: Hook): Hook {
  return {
    ...hook,
    destination: redactDestination(hook.destination),
    headers: hook.headers === null || hook.headers === undefined ? hook.headers : Object.fromEntries(Object.entries(hook.headers).map(([name, value]) => [name, fingerprint(String(value))])),
  };
}
