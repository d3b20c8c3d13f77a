/**
 * Carts the store itself makes or ends: shoppers' carts and their abandonment, and a checkout's
 * cart converted into an order. The cart API (`/v3/carts`) is the declared carts family, which
 * shares `ctx.carts` (`store.carts`) and calls `watchCart` for the carts it makes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { notFound } from '../errors.ts';
import { iso } from '../format.ts';
import type { Cart } from '../model.ts';
import type { StoreContext } from './context.ts';
import type { OrderKit } from './order-kit.ts';

export function createCarts(ctx: StoreContext, kit: OrderKit) {
  const { clock, info, carts, record, changed, emit } = ctx;
  const { orderContext } = kit;

  const api = {
    /**
     * A checkout became an order (`POST /v3/checkouts/{id}/orders`): the cart is converted and, as
     * webhooks.v3.yml says, "automatically deleted and no longer accessible". Like a shopper's
     * converted cart, it lives on only in the ledger, so a long run keeps no converted cart in memory.
     */
    convertCart(cartId: string, orderId: number): void {
      const cart = carts.get(cartId);
      if (!cart) throw notFound('cart');
      cart.state = 'converted';
      cart.order_id = orderId;
      carts.delete(cartId);
      changed('resource:deleted', 'cart', cartId, cart);
      emit('store/cart/converted', { type: 'cart', id: cartId, orderId });
    },

    /**
     * Abandon a cart after `abandonAfterMs` without activity (the platform: >= 1 h idle), once.
     * Reads the cart from the map each time, since an API change replaces the record and moves
     * `lastActivityAt` on (the carts family calls this for the carts it makes).
     */
    watchCart(id: string, abandonAfterMs = 3_600_000): void {
      const check = () => {
        const cart = carts.get(id);
        if (!cart || cart.state !== 'active') return;
        const idle = clock.now() - cart.lastActivityAt;
        if (idle < abandonAfterMs) {
          clock.setTimer(abandonAfterMs - idle, check);
          return;
        }
        cart.state = 'abandoned';
        cart.abandonedToken = randomBytes(16).toString('hex');
        record({ kind: 'cart:abandoned', id: cart.id, body: cart });
        emit('store/cart/abandoned', { type: 'cart', id: cart.id, token: cart.abandonedToken });
      };
      clock.setTimer(abandonAfterMs, check);
    },

    /** A shopper fills a cart and leaves; the platform raises abandoned after >= 1 h idle. */
    createShopperCarts(count: number, abandonAfterMs = 3_600_000): Cart[] {
      const made: Cart[] = [];
      const orderCtx = orderContext(clock.now());
      for (let i = 0; i < count; i++) {
        const product = ctx.faker.helpers.arrayElement(orderCtx.products);
        const variant = ctx.variantsByProduct.get(product.id)![0]!;
        const customer = ctx.faker.number.float() < 0.6 && ctx.customers.size > 0 ? ctx.faker.helpers.arrayElement([...ctx.customers.values()]) : undefined;
        const at = clock.now();
        const cart: Cart = {
          id: randomUUID(),
          customer_id: customer?.id ?? 0,
          channel_id: 1,
          email: customer?.email ?? '',
          currency: info.defaultCurrency,
          base_amount: product.price,
          cart_amount: product.price,
          line_items: [{ id: randomUUID(), product_id: product.id, variant_id: variant.id, sku: variant.sku, quantity: 1, list_price: product.price }],
          created_time: iso(at),
          updated_time: iso(at),
          lastActivityAt: at,
          state: 'active',
        };
        carts.set(cart.id, cart);
        changed('resource:created', 'cart', cart.id, cart);
        emit('store/cart/created', { type: 'cart', id: cart.id });
        api.watchCart(cart.id, abandonAfterMs);
        made.push(cart);
      }
      return made;
    },
  };
  return api;
}
