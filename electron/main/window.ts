import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BrowserWindow, protocol, session, shell } from 'electron'
import { APP_CSP, APP_ORIGIN, APP_SCHEME, appBase, resolveAppFile } from './app-protocol'
import { externalUrl, mayOpenExternal } from './external-links'
import { isAppUrl, permissionAllowed } from './ipc-guard'

/**
 * The app window, locked down: context isolation, a sandboxed renderer without Node,
 * a strict Content-Security-Policy, no new windows and no navigation away from the app.
 */

export function installContentSecurityPolicy(base: string): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        // Written out here (not built from parts) so that security scanners can read it;
        // the app scheme's responses carry the same (APP_CSP; a test keeps them equal).
        'Content-Security-Policy': [
          "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ],
      },
    })
  })
  // Notifications for the app's own pages; never the camera, location and so on.
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) => {
    const asking = details.requestingUrl ?? wc.getURL()
    // A phone or e-mail link: the OS may open it when the allow-list takes it.
    if (permission === 'openExternal') {
      const link = 'externalURL' in details ? details.externalURL : undefined
      return callback(mayOpenExternal(asking, link, base))
    }
    callback(permissionAllowed(permission, asking, base))
  })
  session.defaultSession.setPermissionCheckHandler((wc, permission, origin) =>
    permissionAllowed(permission, wc?.getURL() || origin, base),
  )
}

/**
 * Before the app is ready: `app:` is a standard, secure scheme (an origin of its own,
 * like https), so the renderer never runs from `file://`.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer at app://groundskeeper/ (resolveAppFile refuses the rest). */
export function serveAppScheme(): void {
  const root = join(import.meta.dirname, '../renderer')
  protocol.handle(APP_SCHEME, async (request) => {
    const found = resolveAppFile(request.url, root, request.method)
    if (!found.ok) return new Response(null, { status: found.status })
    try {
      return new Response(await readFile(found.file), {
        headers: {
          'content-type': found.type,
          'x-content-type-options': 'nosniff',
          // webRequest never sees a custom scheme's headers: the policy is set here too.
          'content-security-policy': APP_CSP,
        },
      })
    } catch {
      return new Response(null, { status: 404 })
    }
  })
}

/** `icon`: the window's own icon where the platform takes one (paths.ts windowIconFor). */
export function createMainWindow(devServerUrl: string | undefined, icon?: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Groundskeeper',
    ...(icon ? { icon } : {}),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: true,
      // Middle-click must not open windows either (window.open is denied below).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  win.once('ready-to-show', () => win.show())
  // The app opens no other windows and no web pages: a link out (a map, a phone number)
  // goes to the system browser or dialer when the allow-list takes it, else nowhere.
  win.webContents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, appBase(devServerUrl))) return
    event.preventDefault()
    openOutside(url)
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)
  return win
}

/** The one door from the window to the OS's handlers: only what externalUrl allows. */
function openOutside(raw: string): void {
  const url = externalUrl(raw)
  if (url) shell.openExternal(url).catch(() => {})
}
