import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from '../scripts/lib/chromium'

/**
 * End-to-end tests drive the real renderer, served with the real handlers by the
 * loopback bridge, in Debian's Chromium where it is installed (Playwright's own browser
 * download is not needed).
 */
const PORT = Number(process.env.E2E_PORT ?? 5181)
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'gk-e2e-'))
// The bridge's API secret, chosen here so that the specs' own API calls (support/api.ts)
// can send it: set before the bridge starts, it reaches the bridge and the workers through
// the environment. The page gets it from the bridge, as it would in development.
process.env.GROUNDSKEEPER_BRIDGE_TOKEN ??= randomBytes(32).toString('base64url')

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
    // The laptop's own zone differs from the business's (America/Chicago) on purpose.
    timezoneId: 'Europe/Berlin',
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    // A realistic company (seeded around today) that the specs add their own records to.
    command:
      `node --import tsx scripts/db-seed.ts --data-dir "${dataDir}" --appointments 3000 --replace && ` +
      `node --import tsx scripts/bridge.ts --data-dir "${dataDir}" --port ${PORT}`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
})
