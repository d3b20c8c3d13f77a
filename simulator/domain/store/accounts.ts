/**
 * The store's API accounts: the default full-access one, extra ones given at start (read-only
 * twins, apps), and the accounts apps add or remove. A token finds its account here.
 */
import { randomBytes } from 'node:crypto';
import type { ApiAccount } from '../model.ts';
import type { StoreContext } from './context.ts';

/** Every scope a full-access account gets; read-only twins allow only GET and HEAD. */
export const FULL_SCOPES = [
  'store_v2_orders',
  'store_v2_transactions',
  'store_v2_products',
  'store_v2_customers',
  'store_v2_information',
  'store_inventory',
  'store_v2_content',
  'store_v2_marketing',
  'store_cart',
  // Checkouts (checkouts.v3.yml), served by the declared carts and checkouts families.
  'store_checkout',
  // Channels and sites (channels.v3.yml, sites.v3.yml), served by the declared families.
  'store_channel_settings',
  'store_sites',
  // Inventory locations (locations.v3.yml), served by the declared families.
  'store_locations',
] as const;

export function createAccounts(ctx: StoreContext) {
  const { options } = ctx;
  const defaultAccount: ApiAccount = {
    name: 'integration',
    clientId: `client_${options.hash}_${options.seed}`,
    accessToken: options.accessToken ?? randomToken(),
    scopes: [...FULL_SCOPES],
  };
  const accounts: ApiAccount[] = [defaultAccount, ...(options.accounts ?? [])];

  return {
    accounts,

    findAccount(token: string): ApiAccount | undefined {
      return accounts.find((a) => a.accessToken === token);
    },

    /** Add an app's API account, replacing the client's previous one (its old token stops working). */
    putAccount(account: ApiAccount): void {
      const at = accounts.findIndex((a) => a.clientId === account.clientId);
      if (at >= 0) accounts.splice(at, 1, account);
      else accounts.push(account);
    },

    /** Remove a client's API account: its token answers 401 from now on. */
    removeAccount(clientId: string): ApiAccount | undefined {
      const at = accounts.findIndex((a) => a.clientId === clientId);
      return at >= 0 ? accounts.splice(at, 1)[0] : undefined;
    },
  };
}

/**
 * A secret nobody can guess: 128 random bits as 32 lowercase hex characters (the platform's
 * tokens are lowercase alphanumerics too). The default for every token and secret.
 */
export function randomToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Deterministic per seed, so a test or script can know the token in advance. Only with
 * `deterministicTokens: true` (`--fixed-tokens`): anyone who knows the seed knows the token.
 */
export function tokenFor(hash: string, seed: number, name: string): string {
  let h = 2166136261 ^ seed;
  const text = `${hash}:${name}:${seed}`;
  let out = '';
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 2246822507) >>> 0;
    out += h.toString(36).padStart(7, '0');
  }
  return out.slice(0, 27);
}
