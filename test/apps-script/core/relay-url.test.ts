import { checkRelayUrl } from '../../../apps-script/core/relay-url';

const ok = (url: string) => ({ ok: true, url });

describe('the relay address typed into the sidebar', () => {
  it('accepts a public https address, without trailing slashes and with the host in lower case', () => {
    expect(checkRelayUrl(' https://Relay.Example.com/ ', false)).toEqual(ok('https://relay.example.com'));
    expect(checkRelayUrl('https://relay.example.com:8443//', false)).toEqual(ok('https://relay.example.com:8443'));
  });

  it('asks for an address when none is given', () => {
    expect(checkRelayUrl('  ', false)).toEqual({ ok: false, message: "Enter the relay's address, such as https://relay.example.com." });
    expect(checkRelayUrl(undefined, false)).toEqual({ ok: false, message: "Enter the relay's address, such as https://relay.example.com." });
  });

  it('refuses text that is not a web address', () => {
    expect(checkRelayUrl('relay.example.com', false)).toEqual({ ok: false, message: '"relay.example.com" is not a web address. Enter the relay\'s address, such as https://relay.example.com.' });
  });

  it('refuses plain http, saying why and pointing to the tunnel in the README', () => {
    expect(checkRelayUrl('http://relay.example.com', false)).toEqual({
      ok: false,
      message:
        "The relay address must start with https://. Apps Script fetches from Google's servers, which reach a relay only over public HTTPS; to try a relay on your own machine, expose it with a tunnel (see the README).",
    });
  });

  it('refuses other schemes such as wss://', () => {
    expect(checkRelayUrl('wss://relay.example.com', false)).toEqual({ ok: false, message: 'The relay address must start with https:// (not wss://), such as https://relay.example.com.' });
  });

  it('refuses a query, a fragment or a user name in the address', () => {
    const message = 'The relay address must be just https://host, without a user name, "?" or "#".';
    expect(checkRelayUrl('https://relay.example.com/?x=1', false)).toEqual({ ok: false, message });
    expect(checkRelayUrl('https://relay.example.com/#top', false)).toEqual({ ok: false, message });
    expect(checkRelayUrl('https://me:pw@relay.example.com', false)).toEqual({ ok: false, message });
  });

  it('refuses a malformed host or port', () => {
    expect(checkRelayUrl('https://relay..example.com', false)).toEqual({ ok: false, message: '"relay..example.com" is not a valid host name. Enter the relay\'s address, such as https://relay.example.com.' });
    expect(checkRelayUrl('https://relay.example.com:70000', false)).toEqual({ ok: false, message: '"relay.example.com:70000" is not a valid host name. Enter the relay\'s address, such as https://relay.example.com.' });
  });

  it('refuses loopback, private and single-label hosts, which Google cannot reach', () => {
    for (const host of ['localhost', '127.0.0.1', '10.1.2.3', '192.168.0.4', '172.20.0.1', 'relay']) {
      expect(checkRelayUrl(`https://${host}`, false)).toEqual({
        ok: false,
        message: `${host} is not reachable from Google's servers, where Apps Script runs. Give the relay a public https:// address (a tunnel works for trying it; see the README).`,
      });
    }
  });

  it('accepts http on loopback only when the test flag is set', () => {
    expect(checkRelayUrl('http://127.0.0.1:8787', true)).toEqual(ok('http://127.0.0.1:8787'));
  });

  it('refuses a path, since the relay answers at the root of its own host', () => {
    expect(checkRelayUrl('https://relay.example.com/sync', false)).toEqual({ ok: false, message: 'The relay address must be just https://host, without a path like "/sync": give the relay its own host name.' });
    expect(checkRelayUrl('https://relay.example.com/', false)).toEqual(ok('https://relay.example.com'));
  });
});
