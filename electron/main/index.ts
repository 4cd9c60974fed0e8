import { join } from 'node:path'
import { app, type BrowserWindow, dialog, net, powerMonitor } from 'electron'
import { appBase, devServerUrl as devServerFrom } from './app-protocol'
import { closeCore, openCore } from './core/app-core'
import type { AppContext } from './core/context'
import { resourcesAt } from './core/paths'
import { forwardChanges, registerIpc } from './ipc'
import { registerShellIpc } from './ipc-shell'
import { keychainSecretBox } from './secrets'
import {
  createMainWindow,
  installContentSecurityPolicy,
  registerAppScheme,
  serveAppScheme,
} from './window'

/** Lifecycle only: one instance, open the database, register IPC, show the window. */
const devServerUrl = devServerFrom(process.env, app.isPackaged)
let ctx: AppContext | undefined
let win: BrowserWindow | undefined
let quitting = false

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore()
    win?.focus()
  })
  app.enableSandbox()
  registerAppScheme()

  void app.whenReady().then(async () => {
    installContentSecurityPolicy(appBase(devServerUrl))
    serveAppScheme()
    registerIpc(
      () => ctx,
      () => win,
      appBase(devServerUrl),
    )
    registerShellIpc(() => win, appBase(devServerUrl))
    const dataDir = process.env.GROUNDSKEEPER_DATA_DIR ?? join(app.getPath('userData'), 'data')
    // Packaged: migrations and the template ship as extra resources; in development
    // they are read from the source tree.
    const root = app.isPackaged ? join(process.resourcesPath, 'app-resources') : app.getAppPath()
    try {
      const secrets = keychainSecretBox()
      ctx = await openCore({
        dataDir,
        resources: resourcesAt(root),
        version: app.getVersion(),
        weather: {},
        ...(secrets ? { secrets } : {}),
      })
    } catch (e) {
      dialog.showErrorBox(
        'Groundskeeper cannot open its data',
        `${e instanceof Error ? e.message : String(e)}\n\nData folder: ${dataDir}`,
      )
      app.exit(1)
      return
    }
    win = createMainWindow(devServerUrl)
    forwardChanges(ctx, () => win, appBase(devServerUrl))
    watchWakeUps(() => ctx)
  })

  app.on('window-all-closed', () => app.quit())

  // Close the database cleanly (checkpoint, release the lock) before the process ends.
  app.on('before-quit', (event) => {
    if (quitting || !ctx) return
    event.preventDefault()
    quitting = true
    const open = ctx
    ctx = undefined
    void closeCore(open).finally(() => app.quit())
  })
}

/**
 * Back from sleep, or the network came back: the sync loop asks the server at once
 * instead of waiting out its back-off. Electron has no network-change event in the main
 * process, so the OS's view of being online is read every few seconds (a cheap local
 * call, no traffic).
 */
function watchWakeUps(current: () => AppContext | undefined) {
  powerMonitor.on('resume', () => current()?.sync.wake())
  powerMonitor.on('unlock-screen', () => current()?.sync.wake())
  let online = net.isOnline()
  setInterval(() => {
    const now = net.isOnline()
    if (now && !online) current()?.sync.wake()
    online = now
  }, 3_000).unref()
}
