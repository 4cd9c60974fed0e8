import { existsSync } from 'node:fs'

/**
 * How Playwright launches Chromium here: Debian's build when it is installed (the
 * browser download Playwright would do is not needed), without the background network
 * traffic that a closed network refuses.
 */
const SYSTEM_CHROMIUM = '/usr/bin/chromium'

export const chromiumLaunchOptions = {
  ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}
