/**
 * What happens after the run's end is not the integration's to carry. The simulated clock keeps
 * running while the harness stops the integration (a full-size flash sale at 144x saw three
 * simulated minutes), and a shopper cart abandoned then was counted as lost by the integration: a
 * false FAIL. Abandoned carts now end where every other source ends, at the run's end.
 */
import { expect, it } from 'vitest';
import { cartRenderer } from '../../src/verify/verify-run-directory.ts';
import { streamInvariants } from '../../src/verify/criteria.ts';
import { createTestRun } from './support/run-builder.ts';

it('counts a cart abandoned after the run ended as nothing to carry, and one abandoned before as lost when it never arrived', () => {
  const run = createTestRun();
  const renderCart = cartRenderer({ storeHash: 'stest', products: [...run.store.products.values()].map((p) => ({ id: p.id, name: p.name, type: p.type, url: p.custom_url.url })) });
  // Guest carts without an email are skipped by the spec: only carts with one must arrive.
  const withEmail = (carts: { id: string; email: string }[]) => carts.filter((c) => c.email !== '').map((c) => c.id).sort();
  const before = withEmail(run.store.createShopperCarts(6, 60 * 60_000));
  run.advance(61 * 60_000);
  const endAt = run.now();
  const after = withEmail(run.store.createShopperCarts(6, 60_000));
  run.advance(2 * 60_000);
  expect(before.length).toBeGreaterThan(0);
  expect(after.length).toBeGreaterThan(0);
  expect(run.ledger.filter((l) => l.kind === 'cart:abandoned')).toHaveLength(12);

  const criteria = streamInvariants('carts', { mustHaveCorrect: false });
  const v = run.verify({ criteria, scope: ['carts'], endAt, renderCart });
  const carts = v.streams.find((s) => s.stream.id === 'carts')!;
  expect(carts.records.filter((r) => r.outcome === 'lost').map((r) => r.sourceId).sort()).toEqual(before);
  expect(v.measures['carts.lost']).toBe(before.length);
  // Judged at the later end, all of them were the integration's to carry.
  expect(run.verify({ criteria, scope: ['carts'], renderCart }).measures['carts.lost']).toBe(before.length + after.length);
});
