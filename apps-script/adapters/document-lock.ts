// LockPort over LockService: the document lock serializes every user's executions for one document.

import type { LockPort } from '../core/ports';

export function documentLockPort(): LockPort {
  let lock: GoogleAppsScript.Lock.Lock | null = null;
  return {
    tryLock(ms: number): boolean {
      // getDocumentLock() is null outside a document; the script lock is coarser but still safe.
      lock = LockService.getDocumentLock() ?? LockService.getScriptLock();
      return lock.tryLock(ms);
    },
    release(): void {
      lock?.releaseLock();
      lock = null;
    },
  };
}
