// Who can read /metrics: with METRICS_PORT it has a listener of its own (loopback by default) and the
// main port answers 404 for it; with METRICS_TOKEN it needs that bearer token.

import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getJson } from './support/relay-api';

const TOKEN = 'metrics-token-0123456789abc';
const relays: InProcessRelay[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
});

async function start(env: Record<string, string>): Promise<InProcessRelay> {
  const relay = await startInProcessRelay(env);
  relays.push(relay);
  return relay;
}

test('with METRICS_PORT, /metrics is served on its own loopback listener (logged on start) and not on the main port', async () => {
  const relay = await start({ METRICS_PORT: '0' });
  const listening = await relay.waitForLog((e) => e.msg === 'listening');
  const metricsUrl = listening.metricsUrl as string;
  expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  expect(metricsUrl).not.toBe(`${relay.url}/metrics`);
  const served = await getJson(metricsUrl);
  expect(served.status).toBe(200);
  expect(served.body).toContain('# TYPE relay_limited_total counter');
  expect((await getJson(`${relay.url}/metrics`)).status).toBe(404);
  expect((await getJson(metricsUrl.replace('/metrics', '/healthz'))).status).toBe(404);
});

test('with METRICS_TOKEN, /metrics answers only a request bearing it', async () => {
  const relay = await start({ METRICS_TOKEN: TOKEN });
  expect((await getJson(`${relay.url}/metrics`)).status).toBe(404);
  expect((await getJson(`${relay.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-000000' } })).status).toBe(404);
  expect((await getJson(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
});

test('METRICS_PORT and METRICS_TOKEN together: the metrics listener asks for the token', async () => {
  const relay = await start({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
  const metricsUrl = (await relay.waitForLog((e) => e.msg === 'listening')).metricsUrl as string;
  expect((await getJson(metricsUrl)).status).toBe(404);
  expect((await getJson(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
});
