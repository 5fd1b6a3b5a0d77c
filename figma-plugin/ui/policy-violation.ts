// Whether a Content-Security-Policy violation is about a given socket. Browsers report the blocked
// address as `blockedURI`: the whole URL, or only its origin where they strip it (CSP3, "Strip URL for
// use in reports"), so either form counts.

const originOf = (url: string): string | undefined => /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.exec(url)?.[0]?.toLowerCase();

export function violationBlocks(blockedUri: string, socketUrl: string): boolean {
  if (blockedUri === '' || !/^wss?:/i.test(blockedUri)) return false;
  if (blockedUri === socketUrl || socketUrl.startsWith(blockedUri)) return true;
  const blocked = originOf(blockedUri);
  return blocked !== undefined && blocked === originOf(socketUrl);
}
