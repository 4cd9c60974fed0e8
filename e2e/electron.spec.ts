import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { electronBinary } from '../scripts/lib/electron-binary'

const binary = electronBinary()

test('the desktop app starts, opens its database and asks for its first user', async () => {
  test.skip(
    binary === null,
    "Electron's binary is not installed here (it could not be downloaded); " +
      'run `node node_modules/electron/install.js` where the network allows it',
  )
  const dataDir = mkdtempSync(join(tmpdir(), 'gk-electron-'))
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['.'],
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, GROUNDSKEEPER_DATA_DIR: dataDir },
  })
  try {
    const window = await app.firstWindow()
    // A new data folder: the app asks for its first user.
    await expect(window.getByRole('heading', { name: 'Welcome to Groundskeeper' })).toBeVisible()
    const exposed = await window.evaluate(() =>
      Object.keys((globalThis as unknown as { api?: object }).api ?? {}),
    )
    expect(exposed).toEqual(['invoke', 'shell', 'onChanged'])
    await window.screenshot({ path: 'test-results/electron-smoke.png' })
  } finally {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
