// Figma lets a plugin in development reach only the hosts its manifest's devAllowedDomains lists, and
// this plugin's lists localhost alone: an address that names the loopback interface by IP
// (127.0.0.1, [::1]) is refused by the window's Content-Security-Policy, though it is the same machine.

/** The same relay named as localhost, when `relayUrl` names the loopback interface by IP; else undefined. */
export function localhostInstead(relayUrl: string): string | undefined {
  const match = /^(https?):\/\/(127\.0\.0\.1|\[::1\])(:\d+)?\/?$/.exec(relayUrl);
  return match ? `${match[1]}://localhost${match[3] ?? ''}` : undefined;
}

/** What to tell a designer about such an address, or undefined for any other. */
export function loopbackAdvice(relayUrl: string): string | undefined {
  const localhost = localhostInstead(relayUrl);
  if (!localhost) return undefined;
  return (
    `Figma lets a plugin in development reach only localhost, not ${relayUrl.replace(/^https?:\/\//, '').replace(/\/$/, '')}: ` +
    `in the sheet’s sidebar, set the relay address to ${localhost}, connect, and paste the new pairing code here.`
  );
}
