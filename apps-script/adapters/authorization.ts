// AuthPort over ScriptApp: whether the user must approve the add-on again, the check that every
// scope was granted (granular consent lets a user untick some), and which were.

import type { AuthPort } from '../core/ports';

/** AuthorizationInfo as Google's reference documents it (getAuthorizedScopes is newer than the typings). */
type Info = GoogleAppsScript.Script.AuthorizationInfo & { getAuthorizedScopes?: () => string[] | null };

export const authPort: AuthPort = {
  reauthorizationUrl(): string | undefined {
    const info = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
    return info.getAuthorizationStatus() === ScriptApp.AuthorizationStatus.REQUIRED ? info.getAuthorizationUrl() : undefined;
  },
  requireAllScopes(): void {
    ScriptApp.requireAllScopes(ScriptApp.AuthMode.FULL);
  },
  authorizedScopes(): string[] | undefined {
    const info = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL) as Info;
    if (typeof info.getAuthorizedScopes !== 'function') return undefined;
    return info.getAuthorizedScopes() ?? undefined;
  },
};
