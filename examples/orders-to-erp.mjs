// A worked example of an integration under test (docs/integration-contract.md): BigCommerce orders to ERP sales orders in
// plain Node 20, no packages. Webhooks as triggers, API reads within the quota, idempotent PUTs, dead letters to ALERT_URL.
// The mapping is the spec written out in ./orders-to-erp-sales-order.mjs, not imported from the harness, so you can read it.
// Short on purpose: no hook health monitor, backfill sweep or durable queue, so it passes doorbuster, not webhook-outage.
import { Agent, createServer, request } from 'node:http';
import { toSalesOrder } from './orders-to-erp-sales-order.mjs';

const env = process.env, TIME_SCALE = Number(env.TIME_SCALE || 1);
const sleep = (simMs) => new Promise((r) => setTimeout(r, simMs / TIME_SCALE)); // durations are simulated, on the harness's clock
const backoff = (attempt) => Math.min(300_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2); // 1 s doubling to 5 min, jittered
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const BC_HEADERS = { ...JSON_HEADERS, 'x-auth-token': env.BIGCOMMERCE_ACCESS_TOKEN };
const bc = (path, options) => call(env.BIGCOMMERCE_API_URL + path, { ...options, headers: BC_HEADERS }); // the Management API
const agent = new Agent({ keepAlive: true }); // node:http rather than fetch: a quarter of the CPU a call, and at 300x CPU is time
const send = (url, method, headers, body) => new Promise((resolve, reject) => request(url, { method, headers, agent }, (res) => {
  let text = '';
  res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
}).on('error', reject).end(body && JSON.stringify(body)));
async function deadLetter(key, reason) { // a record the ERP will not get, reported where the harness (and people) see it
  console.error(`dead letter ${key}: ${reason}`);
  await call(env.ALERT_URL, { method: 'POST', body: { kind: 'dead-letter', key: String(key), reason, spec: 'orders-to-erp-sales-order' } })
    .catch((error) => console.error(`could not report dead letter ${key}: ${error.message}`));
}
let quotaOpensAt = 0; // Date.now() at which the store's spent 30-second quota window refreshes
async function call(url, { method = 'GET', headers = JSON_HEADERS, body } = {}) { // gives up after 12 tries (an hour, simulated)
  for (let attempt = 0; attempt < 12; ) {
    if (headers === BC_HEADERS && quotaOpensAt > Date.now()) await new Promise((r) => setTimeout(r, quotaOpensAt - Date.now()));
    const res = await send(url, method, headers, body).catch(() => null);
    const resetMs = Number(res?.headers['x-rate-limit-time-reset-ms']); // real milliseconds, whatever the time scale
    if (resetMs >= 0 && (res.status === 429 || res.headers['x-rate-limit-requests-left'] === '0')) quotaOpensAt = Date.now() + resetMs;
    if (res && res.status !== 429 && res.status < 500) return { status: res.status, body: res.text ? JSON.parse(res.text) : [] };
    if (!(res?.status === 429 && resetMs >= 0)) await sleep(backoff(attempt++)); // no answer, 5xx, or a 429 without the headers
  }
  throw new Error(`${method} ${url} still failing after 12 tries`);
}
async function all(path, page = 1) { // every page of a V2 list (an empty page answers 204)
  const { status, body } = await bc(`${path}?limit=250&page=${page}`);
  return status !== 200 ? [] : body.length < 250 ? body : [...body, ...(await all(path, page + 1))];
}
async function sync(id) { // the webhook only names the order: read it, map it, upsert it by order id
  const [order, products, shipping_addresses] = await Promise.all([ // three reads at once: less waiting, same quota
    bc(`/v2/orders/${id}`), all(`/v2/orders/${id}/products`), all(`/v2/orders/${id}/shipping_addresses`)]);
  if (order.status !== 200) return deadLetter(id, `GET /v2/orders/${id} answered ${order.status}`);
  const { record, errors } = toSalesOrder({ ...order.body, products, shipping_addresses });
  if (errors) return deadLetter(id, `the spec rejects it: ${errors.join('; ')}`);
  if (!record) return; // the spec skips it (an incomplete checkout)
  const put = await call(`${env.ERP_URL}/sales-orders/${id}`, { method: 'PUT', body: record }); // PUT, never POST: a replay updates
  if (put.status >= 300) return deadLetter(id, `the ERP answered ${put.status}: ${JSON.stringify(put.body)}`);
}
const WORKERS = 2, queues = Array.from({ length: WORKERS }, () => new Set()), wakes = []; // ids waiting, per worker
async function worker(n) { // worker n syncs the ids with id % WORKERS = n, so two versions of one order never race to the ERP
  for (const queue = queues[n]; ;) {
    const [id] = queue; // the oldest; an order named by several webhooks meanwhile is read once
    if (id === undefined) { await new Promise((r) => (wakes[n] = r)); continue; }
    queue.delete(id);
    await sync(id).catch((error) => deadLetter(id, error.message));
  }
}
const server = createServer((req, res) => {
  if (req.headers['x-webhook-secret'] !== env.BIGCOMMERCE_WEBHOOK_SECRET) return void res.writeHead(401).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk)).on('end', () => {
    res.writeHead(200).end(); // answer at once: the work happens afterwards
    try {
      const { data } = JSON.parse(body);
      if (data?.type === 'order' && data.id) { queues[data.id % WORKERS].add(data.id); wakes[data.id % WORKERS]?.(); }
    } catch { console.error('ignored a webhook that is not JSON'); }
  });
});
// Register the hook before listening: to the harness an open WEBHOOK_PORT already means ready.
const webhookUrl = `http://127.0.0.1:${env.WEBHOOK_PORT}/webhooks`;
const hook = await bc('/v3/hooks', { method: 'POST', body: { scope: 'store/order/*', destination: webhookUrl, is_active: true,
  headers: { 'x-webhook-secret': env.BIGCOMMERCE_WEBHOOK_SECRET } } }); // the platform sends these headers with every event
if (hook.status !== 200) throw new Error(`could not register the webhook: ${hook.status} ${JSON.stringify(hook.body)}`);
server.listen(Number(env.WEBHOOK_PORT), '127.0.0.1', () => {
  console.log(JSON.stringify({ webhookUrl })); // ready
  for (let n = 0; n < WORKERS; n++) worker(n);
});
