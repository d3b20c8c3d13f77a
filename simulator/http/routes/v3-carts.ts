/**
 * Carts V3: `GET /v3/carts/{cartId}`, which an integration calls after `store/cart/abandoned`
 * because the webhook only names the cart (facts section c). The simulator keeps active and
 * abandoned carts; a converted cart became an order and answers 404, as on the platform.
 * Scope: `store_cart` (or `_read_only`), which the default account has.
 */
import { Router } from 'express';
import type { Cart } from '../../domain/model.ts';
import type { Simulator } from '../../domain/simulator.ts';
import type { Store } from '../../domain/store.ts';
import { HttpError } from '../errors.ts';
import { handle, locals, requireScope } from '../middleware.ts';

export function renderCart(store: Store, cart: Cart) {
  const items = cart.line_items.map((line, i) => {
    const product = store.products.get(line.product_id);
    const digital = product?.type === 'digital';
    return {
      digital,
      item: {
        id: `${cart.id.slice(0, 8)}-${i + 1}`,
        parent_id: null,
        variant_id: line.variant_id,
        product_id: line.product_id,
        sku: line.sku,
        name: product?.name ?? line.sku,
        url: `https://store-${store.info.hash}.example${product?.custom_url.url ?? '/'}`,
        quantity: line.quantity,
        is_taxable: true,
        // carts.v3.yml types image_url as a URI, so an empty string is not allowed; the simulator keeps
        // no cart images, so every line gets the store's placeholder picture.
        image_url: `https://store-${store.info.hash}.example/images/ProductDefault.gif`,
        discount_amount: 0,
        coupon_amount: 0,
        original_price: line.list_price,
        list_price: line.list_price,
        sale_price: line.list_price,
        extended_list_price: line.list_price * line.quantity,
        extended_sale_price: line.list_price * line.quantity,
        is_require_shipping: !digital,
        options: [],
      },
    };
  });
  return {
    id: cart.id,
    parent_id: null,
    customer_id: cart.customer_id,
    email: cart.email,
    currency: { code: cart.currency },
    tax_included: false,
    base_amount: cart.base_amount,
    discount_amount: 0,
    cart_amount: cart.cart_amount,
    coupons: [],
    discounts: [],
    line_items: {
      physical_items: items.filter((i) => !i.digital).map((i) => i.item),
      digital_items: items.filter((i) => i.digital).map((i) => i.item),
      gift_certificates: [],
      custom_items: [],
    },
    created_time: cart.created_time,
    updated_time: cart.updated_time,
    channel_id: cart.channel_id,
    locale: 'en',
  };
}

export function createV3CartsRouter(_sim: Simulator): Router {
  const router = Router({ mergeParams: true });
  router.get(
    '/carts/:cartId',
    requireScope('store_cart'),
    handle((req, res) => {
      const store = locals(res).store;
      const cart = store.carts.get(String(req.params.cartId));
      if (!cart || cart.state === 'converted') throw new HttpError(404, `Cart ${req.params.cartId} was not found. A cart that became an order no longer exists.`);
      res.json({ data: renderCart(store, cart), meta: {} });
    }),
  );
  return router;
}
