// /readyz says whether the relay can take changes: 503 STORE_UNAVAILABLE when the store cannot write
// (a full disk: here its write probe fails), even though it still answers reads.

import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { expectError } from './support/expect-error';
import { getJson } from './support/relay-api';

let relay: InProcessRelay;
beforeAll(async () => {
  relay = await startInProcessRelay({});
});
afterAll(async () => {
  await relay?.close();
});

test('/readyz answers 503 STORE_UNAVAILABLE while the store cannot write, and 200 again once it can', async () => {
  const store = relay.relay.store;
  const probe = store.probeWrite.bind(store);
  store.probeWrite = async () => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };
  try {
    expectError(await getJson(`${relay.url}/readyz`), 'STORE_UNAVAILABLE');
    const logged = await relay.waitForLog((e) => e.msg === 'store not ready');
    expect(logged.err).toBe('database or disk is full');
  } finally {
    store.probeWrite = probe;
  }
  expect((await getJson(`${relay.url}/readyz`)).status).toBe(200);
});
