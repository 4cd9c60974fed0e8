import { join } from 'node:path'
import { app, type BrowserWindow, dialog, net, powerMonitor } from 'electron'
import { appBase, devServerUrl as devServerFrom } from './app-protocol'
import { closeCore, openCore } from './core/app-core'
import type { AppContext } from './core/context'
import { log } from './core/log'
import { appResources, windowIconFor } from './core/paths'
import { forwardChanges, registerIpc } from './ipc'
import { registerShellIpc } from './ipc-shell'
import { startLogging } from './logging'
import { installAppMenu } from './menu'
import { keychainSecretBox } from './secrets'
import { updatePlan } from './update-plan'
import { startUpdates } from './updates'
import { watchWakeUps } from './wake-ups'
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
  startLogging(app.isPackaged)
  log.info('app', `Groundskeeper ${app.getVersion()} starting`, {
    electron: process.versions.electron,
    platform: `${process.platform} ${process.arch}`,
  })
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
    // Packaged: migrations, the template and the icon ship as extra resources; in
    // development they are read from the source tree (paths.ts appResources).
    const layout = {
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: app.getAppPath(),
    }
    const { windowIcon, ...resources } = appResources(layout)
    const icon = windowIconFor({ ...layout, platform: process.platform }, windowIcon)
    installAppMenu(icon)
    try {
      const secrets = keychainSecretBox()
      ctx = await openCore({
        dataDir,
        resources,
        version: app.getVersion(),
        weather: {},
        ...(secrets ? { secrets } : {}),
      })
    } catch (e) {
      log.error('app', 'the data folder could not be opened', { error: e })
      dialog.showErrorBox(
        'Groundskeeper cannot open its data',
        `${e instanceof Error ? e.message : String(e)}\n\nData folder: ${dataDir}`,
      )
      app.exit(1)
      return
    }
    win = createMainWindow(devServerUrl, icon)
    forwardChanges(ctx, () => win, appBase(devServerUrl))
    watchWakeUps(
      powerMonitor,
      () => net.isOnline(),
      () => ctx?.sync.wake(),
    )
    startUpdates(updatePlan({ env: process.env, isPackaged: app.isPackaged }))
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
