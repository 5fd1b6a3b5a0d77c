// What the add-on says it is in Check setup: its version (package.json's, set by the build) and the
// scopes its manifest asks for (appsscript.json's; a test keeps the two lists equal).

declare const __ADDON_VERSION__: string | undefined;

/** The product version; "dev" when the code runs unbundled (unit tests). */
export const ADDON_VERSION: string = typeof __ADDON_VERSION__ === 'string' ? __ADDON_VERSION__ : 'dev';

/** The oauthScopes of appsscript.json. */
export const ADDON_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly',
  'https://www.googleapis.com/auth/script.external_request',
  'https://www.googleapis.com/auth/script.scriptapp',
  'https://www.googleapis.com/auth/script.container.ui',
];
