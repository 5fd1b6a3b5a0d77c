// google.script.run as promises: each call runs the add-on function of that name on Google's side
// (main.ts exports) and resolves with what it returns, or rejects with its error message.

import type { ImportResult } from '../core/offer-import';
import type { SetupReport } from '../core/setup-report';
import type { SidebarState } from '../core/sidebar-state';

/** The add-on functions the sidebar calls, with their arguments and results. */
export interface ServerApi {
  getSidebarState(): SidebarState;
  refreshStatus(): SidebarState;
  connect(relayUrl: string, registrationKey: string): SidebarState;
  setSyncedTabs(ids: number[]): SidebarState;
  rotateKey(): SidebarState;
  disconnect(): SidebarState;
  syncNow(): SidebarState;
  pauseSync(): SidebarState;
  resumeSync(): SidebarState;
  selectCell(tab: string, cell: string): void;
  checkSetup(): SetupReport;
  importOffer(offerId: string, confirmReplace: string[]): { result: ImportResult; state: SidebarState };
}

interface ScriptRun {
  withSuccessHandler(fn: (value: unknown) => void): ScriptRun;
  withFailureHandler(fn: (error: Error | string) => void): ScriptRun;
  [name: string]: unknown;
}

declare const google: { script: { run: ScriptRun } };

export function call<K extends keyof ServerApi>(name: K, ...args: Parameters<ServerApi[K]>): Promise<ReturnType<ServerApi[K]>> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((value) => resolve(value as ReturnType<ServerApi[K]>))
      .withFailureHandler((error) => reject(new Error(typeof error === 'string' ? error : error.message)));
    (runner[name] as (...a: unknown[]) => void)(...args);
  });
}
