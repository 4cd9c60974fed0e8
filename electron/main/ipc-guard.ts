/**
 * Who may call the main process: only the app's own window, from its main frame, on
 * the app's own page. Kept free of `electron` imports so it can be tested under Node.
 */

/** True when `url` is inside the app: the dev server's origin, or the built renderer's folder. */
export function isAppUrl(url: string, appBase: string): boolean {
  let target: URL
  let base: URL
  try {
    target = new URL(url)
    base = new URL(appBase)
  } catch {
    return false
  }
  if (base.protocol === 'file:') {
    return target.protocol === 'file:' && target.pathname.startsWith(base.pathname)
  }
  return target.origin === base.origin
}

export interface CallerFacts {
  /** The call came from the app window's webContents. */
  fromAppWindow: boolean
  /** The call came from that window's main frame (not an iframe). */
  fromMainFrame: boolean
  frameUrl: string
}

/** Why a caller is refused, or null when it may call. */
export function refuseCaller(caller: CallerFacts, appBase: string): string | null {
  if (!caller.fromAppWindow) return 'caller is not the app window'
  if (!caller.fromMainFrame) return 'caller is not the app page'
  if (!isAppUrl(caller.frameUrl, appBase)) return 'caller is not the app page'
  return null
}
