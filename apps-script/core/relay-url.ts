// Checks the relay address typed into the sidebar. UrlFetchApp runs on Google's servers, so the
// relay must be a public https:// address (and listed in the manifest's urlFetchWhitelist).
// Plain http (and loopback hosts) pass only when a test sets ALLOW_INSECURE_RELAY_FOR_TESTS.

/** Script or document property that lets the test fakes use http://127.0.0.1. Never set it in a deployment. */
export const ALLOW_INSECURE_RELAY_FOR_TESTS = 'ALLOW_INSECURE_RELAY_FOR_TESTS';

export type RelayUrlCheck = { ok: true; url: string } | { ok: false; message: string };

const EXAMPLE = 'https://relay.example.com';

function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.startsWith('[')) return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(h);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** The relay's base URL without trailing slashes, or a message saying what to type instead. */
export function checkRelayUrl(text: unknown, allowInsecure: boolean): RelayUrlCheck {
  const raw = typeof text === 'string' ? text.trim() : '';
  if (!raw) return { ok: false, message: `Enter the relay's address, such as ${EXAMPLE}.` };
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/i.exec(raw);
  if (!m) return { ok: false, message: `"${raw}" is not a web address. Enter the relay's address, such as ${EXAMPLE}.` };
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  const path = m[3]!.replace(/\/+$/, '');
  if (scheme !== 'https' && !(scheme === 'http' && allowInsecure)) {
    return {
      ok: false,
      message:
        scheme === 'http'
          ? `The relay address must start with https://. Apps Script fetches from Google's servers, which reach a relay only over public HTTPS; to try a relay on your own machine, expose it with a tunnel (see the README).`
          : `The relay address must start with https:// (not ${scheme}://), such as ${EXAMPLE}.`,
    };
  }
  if (m[4] || authority.includes('@')) {
    return { ok: false, message: `The relay address must be just https://host, without a user name, "?" or "#".` };
  }
  const hm = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i.exec(authority);
  const port = hm?.[2] === undefined ? undefined : Number(hm[2]);
  if (!hm || hm[1]!.startsWith('.') || hm[1]!.endsWith('.') || hm[1]!.includes('..') || (port !== undefined && (port < 1 || port > 65535))) {
    return { ok: false, message: `"${authority}" is not a valid host name. Enter the relay's address, such as ${EXAMPLE}.` };
  }
  if (!allowInsecure && (isPrivateHost(hm[1]!) || !hm[1]!.includes('.'))) {
    return {
      ok: false,
      message: `${hm[1]} is not reachable from Google's servers, where Apps Script runs. Give the relay a public https:// address (a tunnel works for trying it; see the README).`,
    };
  }
  if (path) {
    // The relay's routes start at /v2 and requests are signed over that exact path, so a relay lives at
    // the root of its own address (the build's RELAY_URL and the pairing code follow the same rule).
    return { ok: false, message: `The relay address must be just https://host, without a path like "${path.length > 40 ? `${path.slice(0, 39)}…` : path}": give the relay its own host name.` };
  }
  return { ok: true, url: `${scheme}://${authority.toLowerCase()}` };
}
