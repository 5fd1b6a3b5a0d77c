// Headless Chromium as every browser test starts it: the system's /usr/bin/chromium (nothing is
// downloaded), no sandbox (containers), no GPU, no background traffic, and sandboxed iframes kept in
// the page's process. By default Chromium (IsolateSandboxedIframes) puts the plugin window, a sandboxed
// srcdoc iframe, in a process of its own; after a screenshot the browser then now and then routed
// clicks by stale hit-test data (CI: a click on the window's Diagnostics button never reached it, and
// another was "intercepted" by what the previous screenshot's layout had there). In the page's process
// the window keeps what the tests rely on: Origin "null", its own Content-Security-Policy, postMessage.

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-features=IsolateSandboxedIframes'];

/** `timeout` bounds the launch itself (Playwright's default is 30 s). */
export function launchChromium(options: { timeout?: number } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, ...options });
}
