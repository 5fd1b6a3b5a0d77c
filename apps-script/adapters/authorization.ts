// AuthPort over ScriptApp: whether the user must approve the add-on again before a trigger may work.

import type { AuthPort } from '../core/ports';

export const authPort: AuthPort = {
  reauthorizationUrl(): string | undefined {
    const info = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
    return info.getAuthorizationStatus() === ScriptApp.AuthorizationStatus.REQUIRED ? info.getAuthorizationUrl() : undefined;
  },
};
