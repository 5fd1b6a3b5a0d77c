// Fake LockService: the document lock is one per document, shared by every user's executions.
// tryLock(ms) waits (on the fake clock) and gives false when another execution keeps it;
// waitLock throws Apps Script's "Lock timeout" then. Apps Script releases a lock when the
// execution ends; the world records whether the script released it itself. Outside a document
// getDocumentLock() gives null, as the reference says.

import { gasError, strictFake } from './gas-error';
import type { CallCounter } from './spreadsheet';

export class LockState {
  /** The execution holding it, if any. */
  holder: number | undefined;
  /** Test side: another (imaginary) execution keeps the lock for as long as this is true. */
  heldByOther = false;
}

export function fakeLockService(
  locks: { document: LockState; script: LockState; user: LockState },
  execution: number,
  count: CallCounter,
  wait: (ms: number) => void,
  withoutDocument = false,
): GoogleAppsScript.Lock.LockService {
  const lockOn = (state: LockState, kind: string): GoogleAppsScript.Lock.Lock => {
    const tryLock = (ms: number): boolean => {
      count(`${kind}.tryLock`);
      if (state.holder === execution) return true;
      if (state.heldByOther || state.holder !== undefined) {
        wait(ms);
        return false;
      }
      state.holder = execution;
      return true;
    };
    return strictFake<GoogleAppsScript.Lock.Lock>(
      {
        tryLock,
        waitLock(ms: number) {
          if (!tryLock(ms)) throw gasError('Lock timeout: another process was holding the lock for too long.');
        },
        hasLock: () => state.holder === execution,
        releaseLock() {
          count(`${kind}.releaseLock`);
          if (state.holder === execution) state.holder = undefined;
        },
      },
      'Lock',
    );
  };
  return strictFake<GoogleAppsScript.Lock.LockService>(
    {
      // "null if called from a standalone script or web app" (LockService reference): outside a document.
      getDocumentLock: () => (withoutDocument ? null : lockOn(locks.document, 'DocumentLock')),
      getScriptLock: () => lockOn(locks.script, 'ScriptLock'),
      getUserLock: () => lockOn(locks.user, 'UserLock'),
    },
    'LockService',
  );
}
