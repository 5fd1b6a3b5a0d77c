// Headless Chromium as every browser test starts it: the system's /usr/bin/chromium (nothing is
// downloaded), no sandbox (containers), no GPU, no background traffic.

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** `timeout` bounds the launch itself (Playwright's default is 30 s). */
export function launchChromium(options: { timeout?: number } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, ...options });
}
