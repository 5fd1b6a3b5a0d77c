// Who may store state on the relay: an unsigned PUT needs the registration key (read before the body),
// a claim its id derives from (checked before anything is stored), and fits the per-address and total
// registration rates and MAX_CHANNELS; a channel the relay forgot is claimed again with the same id,
// secret and claim; rotations are counted only once signed correctly, and rate limited.

import { randomBytes } from 'node:crypto';
import { channelIdForClaim } from '../../shared/protocol/channel-claim';
import { paths } from '../../shared/protocol/messages';
import { openConnection } from '../helpers/raw-connection';
import { subscribe } from '../helpers/ws-client';
import { expectError } from './support/expect-error';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getJson, getStatus, ModelSheet, newChannel, postChange, register } from './support/relay-api';

const relays: InProcessRelay[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
});

async function start(env: Record<string, string> = {}): Promise<InProcessRelay> {
  const relay = await startInProcessRelay(env);
  relays.push(relay);
  return relay;
}

/** The value of one relay_limited_total series, read from /metrics. */
async function limited(relay: InProcessRelay, limit: string): Promise<number> {
  const text = (await getJson(`${relay.url}/metrics`)).body as string;
  const m = new RegExp(`^relay_limited_total\\{limit="${limit}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe('the claim proof', () => {
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start();
  });

  test('an unsigned PUT without a claim answers 403 BAD_CLAIM and registers nothing', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, channel, channel.secret, { claim: null }), 'BAD_CLAIM', 'an unsigned PUT must bring the claim the channel id is derived from');
    expectError(await getStatus(relay.url, channel), 'UNKNOWN_CHANNEL');
  });

  test('a claim that does not derive the id answers 403 BAD_CLAIM and registers nothing', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, channel, channel.secret, { claim: newChannel().claim }), 'BAD_CLAIM', 'this claim does not derive this channel id');
    expectError(await getStatus(relay.url, channel), 'UNKNOWN_CHANNEL');
  });

  test('a malformed claim answers 403 BAD_CLAIM naming the field', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, channel, channel.secret, { claim: 'short' }), 'BAD_CLAIM', 'claim must be at least 43 base64url characters (32 random bytes)');
  });

  test('a signed PUT for a channel the relay does not hold answers 404 UNKNOWN_CHANNEL (a first claim is unsigned)', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, channel, channel.secret, { signWith: channel.secret }), 'UNKNOWN_CHANNEL');
  });

  test('the documented example id is registered with its claim', async () => {
    const claim = 'Zq8vN3rT0xW5yB2cL7kP4mH9jD6fS1aG-eU_iO8nQ3w';
    const secret = randomBytes(32).toString('base64url');
    const answer = await register(relay.url, { channelId: channelIdForClaim(claim), claim }, secret);
    expect([answer.status, (answer.body as { channelId: string }).channelId]).toEqual([201, 'cnQkakVRfd4dA3IvNU3hXbRglUT1wNfI']);
  });
});

describe('a channel the relay forgot', () => {
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start({ CHANNEL_IDLE_SECONDS: '1' });
  });

  async function forgotten(): Promise<ReturnType<typeof newChannel>> {
    const channel = newChannel();
    expect((await register(relay.url, channel, channel.secret)).status).toBe(201);
    const deadline = Date.now() + 10_000;
    // Expiry is a matter of time: the sweep runs every second once the channel has been idle for one.
    while ((await getStatus(relay.url, channel)).status !== 404) {
      if (Date.now() > deadline) throw new Error('the idle channel did not expire within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return channel;
  }

  test('is claimed again with the same id, secret and claim: 201 at seq 0 with a new epoch, and the old pairing token works', async () => {
    const channel = await forgotten();
    const again = await register(relay.url, channel, channel.secret);
    expect([again.status, (again.body as { seq: number }).seq]).toEqual([201, 0]);
    const sheet = new ModelSheet();
    expect((await postChange(relay.url, channel, sheet.patch(1, 'T', 1, 1, [['back']]))).status).toBe(200);
    const { socket, welcome } = await subscribe(relay.url, channel.channelId, channel.token);
    expect(welcome.seq).toBe(1);
    await socket.close();
  });

  test('cannot be claimed by someone holding only its pairing code (the id and the token)', async () => {
    const channel = await forgotten();
    const attacker = randomBytes(32).toString('base64url');
    expectError(await register(relay.url, channel, attacker, { claim: null }), 'BAD_CLAIM', /must bring the claim/);
    expectError(await register(relay.url, channel, attacker, { claim: channel.token }), 'BAD_CLAIM', 'this claim does not derive this channel id');
    expect((await register(relay.url, channel, channel.secret)).status).toBe(201);
  });
});

describe('the registration key', () => {
  const KEYS = ['first-registration-key-0001', 'second-registration-key-002'];
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start({ REGISTRATION_KEY: KEYS.join(',') });
  });

  test('each key of the comma list registers (a key can be replaced without a gap)', async () => {
    for (const key of KEYS) {
      const channel = newChannel();
      expect((await register(relay.url, channel, channel.secret, { registrationKey: key })).status).toBe(201);
    }
  });

  test('a re-claim needs the key too', async () => {
    const channel = newChannel();
    await register(relay.url, channel, channel.secret, { registrationKey: KEYS[0] });
    expectError(await register(relay.url, channel, channel.secret), 'REGISTRATION_KEY_REQUIRED');
    expect((await register(relay.url, channel, channel.secret, { registrationKey: KEYS[1] })).status).toBe(200);
  });

  test('a PUT without the key is refused before its body is read', async () => {
    const channel = newChannel();
    const connection = await openConnection(relay.url);
    // Headers announcing a body that never comes: the answer must not wait for it.
    connection.write(`PUT ${paths.channel(channel.channelId)} HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n`);
    const answer = await connection.answer();
    connection.destroy();
    expect([answer.status, (answer.body as { error: { code: string } }).error.code]).toEqual([401, 'REGISTRATION_KEY_REQUIRED']);
  });
});

describe('registration rates and the channel cap', () => {
  test('past REGISTRATIONS_PER_IP_PER_MINUTE, an address gets 429 RATE_LIMITED, counted in relay_limited_total', async () => {
    const relay = await start({ REGISTRATIONS_PER_IP_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) {
      const channel = newChannel();
      expect((await register(relay.url, channel, channel.secret)).status).toBe(201);
    }
    const refused = await register(relay.url, newChannel(), newChannel().secret);
    expectError(refused, 'RATE_LIMITED', 'more than 3 registrations per minute from this address');
    expect(await limited(relay, 'registrations_per_ip')).toBe(1);
  });

  test('past REGISTRATIONS_PER_SECOND, every address gets 429 RATE_LIMITED', async () => {
    const relay = await start({ REGISTRATIONS_PER_SECOND: '2' });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const channel = newChannel();
      answers.push(await register(relay.url, channel, channel.secret));
    }
    expect(answers.slice(0, 2).map((a) => a.status)).toEqual([201, 201]);
    expectError(answers[2]!, 'RATE_LIMITED', 'more than 2 registrations per second on this relay');
    expect(await limited(relay, 'registrations')).toBe(1);
  });

  test('past MAX_CHANNELS a new channel gets 503 RELAY_FULL with Retry-After, while a held one can still be re-claimed', async () => {
    const relay = await start({ MAX_CHANNELS: '2' });
    const held = newChannel();
    expect((await register(relay.url, held, held.secret)).status).toBe(201);
    const other = newChannel();
    expect((await register(relay.url, other, other.secret)).status).toBe(201);
    const refused = await register(relay.url, newChannel(), newChannel().secret);
    expectError(refused, 'RELAY_FULL', 'this relay holds 2 channels (MAX_CHANNELS)');
    expect(refused.headers.get('retry-after')).toBe('60');
    expect((await register(relay.url, held, held.secret)).status).toBe(200);
    expect(await limited(relay, 'channels')).toBe(1);
    expect((await getJson(`${relay.url}/metrics`)).body).toMatch(/^relay_stored_channels 2$/m);
  });
});

describe('rotations', () => {
  test('past ROTATIONS_PER_HOUR a rotation gets 429; rotations refused for their signature do not count', async () => {
    const relay = await start({ ROTATIONS_PER_HOUR: '2' });
    const channel = newChannel();
    await register(relay.url, channel, channel.secret);
    // Someone with the pairing code but not the secret tries to use up the owner's rotations.
    for (let i = 0; i < 5; i++) expectError(await register(relay.url, channel, randomBytes(32).toString('base64url'), { signWith: randomBytes(32).toString('base64url') }), 'BAD_SIGNATURE');
    let secret = channel.secret;
    for (let i = 0; i < 2; i++) {
      const next = randomBytes(32).toString('base64url');
      const answer = await register(relay.url, channel, next, { signWith: secret });
      expect([answer.status, (answer.body as { rotated: boolean }).rotated]).toEqual([200, true]);
      secret = next;
    }
    expectError(await register(relay.url, channel, randomBytes(32).toString('base64url'), { signWith: secret }), 'RATE_LIMITED', 'more than 2 rotations per hour for this channel');
    // Confirming the current secret is no rotation: still answered.
    expect((await register(relay.url, channel, secret, { signWith: secret })).status).toBe(200);
    expect(await limited(relay, 'rotations')).toBe(1);
  });
});
