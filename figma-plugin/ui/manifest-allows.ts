// Whether the plugin's manifest lets its window open a socket to a URL, matched the way the window's
// Content-Security-Policy (built by Figma from networkAccess) matches it in Chromium: an entry needs a
// scheme (a scheme-less or https:// entry does not allow a wss:// socket in the plugin's null-origin
// window; ws:// allows wss://), `*.` allows subdomains, a port of `*` any port and no port the default
// one, and a path ending in "/" is a prefix. Checked in Chromium 156 (test/figma-plugin/ui/figma-csp.ts).

export interface NetworkAccess {
  allowedDomains: readonly string[];
  devAllowedDomains: readonly string[];
}

export interface Allowance {
  /** The entry that allows it, and which list it is in; undefined when none does. */
  entry?: string;
  list?: 'allowedDomains' | 'devAllowedDomains';
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', ws: '80', https: '443', wss: '443' };

/** Whether one manifest entry allows a socket to `url`. */
export function entryAllows(entry: string, url: string): boolean {
  const e = /^([a-z][a-z0-9+.-]*):\/\/(\*|\*\.[^/:]+|[^/:]+|\[[^\]]+\])(?::(\d+|\*))?(\/.*)?$/i.exec(entry.trim());
  const u = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+|\[[^\]]+\])(?::(\d+))?(\/[^?#]*)?/i.exec(url);
  if (!e || !u) return false;
  const [, eScheme, eHost, ePort, ePath] = e;
  const [, uScheme, uHost, uPort, uPath] = u;
  const es = eScheme!.toLowerCase();
  const us = uScheme!.toLowerCase();
  if (!(es === us || (es === 'ws' && us === 'wss') || (es === 'http' && us === 'https'))) return false;
  const host = uHost!.toLowerCase();
  const want = eHost!.toLowerCase();
  if (want !== '*' && !(want.startsWith('*.') ? host.endsWith(want.slice(1)) : host === want)) return false;
  const port = uPort ?? DEFAULT_PORTS[us];
  if (ePort !== '*' && (ePort ?? DEFAULT_PORTS[es]) !== port) return false;
  if (ePath && ePath !== '/') {
    const path = uPath || '/';
    if (ePath.endsWith('/') ? !path.startsWith(ePath) : path !== ePath) return false;
  }
  return true;
}

/**
 * Which entry allows a socket to `url`: allowedDomains first, then devAllowedDomains (which Figma
 * applies only while the plugin runs in development, not once published).
 */
export function manifestAllows(access: NetworkAccess, url: string): Allowance {
  for (const entry of access.allowedDomains) if (entryAllows(entry, url)) return { entry, list: 'allowedDomains' };
  for (const entry of access.devAllowedDomains) if (entryAllows(entry, url)) return { entry, list: 'devAllowedDomains' };
  return {};
}
