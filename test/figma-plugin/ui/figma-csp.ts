// The Content-Security-Policy Figma puts on a plugin's window, built from its manifest's networkAccess,
// so the Chromium tests exercise allowedDomains as Figma enforces them.
//
// What this relies on:
// - Figma enforces networkAccess with a CSP: a request to a domain the manifest does not list "is
//   blocked" with "content-security policy (CSP) errors" (developers.figma.com/docs/plugins/updates/
//   2023/05/10/version-1-update-66, and the manifest page's networkAccess section).
// - The policy's shape, from a real Figma refusal quoted in lukasoppermann/design-tokens issue #302
//   (2024-03-08): `default-src data: blob: https://github.com https://bitbucket.org/ https://gitlab.com/
//   https://rsms.me https://*.bitbucket.org/ https://*.gitlab.com/ https://*.github.com`, "Note that
//   'connect-src' was not explicitly set, so 'default-src' is used as a fallback". That plugin's
//   manifest listed exactly those allowedDomains, in that order (its commit 4d330d6): Figma copies the
//   entries verbatim into default-src after `data: blob:`.
// - Chromium 156 under such a policy, in a null-origin window: a blocked socket fires a violation and
//   `error`, never `close`; an entry without a scheme, or an https:// one, does not allow a wss://
//   socket, a ws:// one allows wss://, a path ending in "/" is a prefix (so the build lists wss:// forms).
//
// What is assumed (not documented, not seen):
// - A plugin run in development also gets its devAllowedDomains in the same list (the manifest page:
//   devAllowedDomains are allowed "during development"); a published plugin gets only allowedDomains.
// - Inline scripts and styles are allowed by directives of their own (every plugin's ui.html is one
//   inlined file, so Figma must allow them); they are modelled as `'unsafe-inline'`.
// - How the policy reaches the window (a header or a <meta>) is not known; the host page puts it in a
//   <meta http-equiv> at the top of the document, which enforces default-src for sockets the same way.
// - "none" in allowedDomains allows nothing beyond data: and blob:.

export interface NetworkAccess {
  allowedDomains: string[];
  devAllowedDomains?: string[];
}

export function figmaCsp(networkAccess: NetworkAccess, options: { development: boolean }): string {
  const domains = [...networkAccess.allowedDomains, ...(options.development ? (networkAccess.devAllowedDomains ?? []) : [])].filter((d) => d !== 'none');
  return [`default-src data: blob:${domains.map((d) => ` ${d}`).join('')}`, "script-src 'unsafe-inline'", "style-src 'unsafe-inline'"].join('; ');
}
