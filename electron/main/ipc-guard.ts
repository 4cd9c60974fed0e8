/**
 * Who may call the main process: only the app's own window, from its main frame, on
 * the app's own page. Kept free of `electron` imports so it can be tested under Node.
 */

/**
 * True when `url` is inside the app: the same scheme and host (and port) as `appBase`,
 * which is `app://groundskeeper/` or, unpackaged, the dev server. Compared by parts, not
 * by `URL.origin`, which is "null" for a custom scheme. Nothing else counts, `file://`
 * included.
 */
export function isAppUrl(url: string, appBase: string): boolean {
  let target: URL
  let base: URL
  try {
    target = new URL(url)
    base = new URL(appBase)
  } catch {
    return false
  }
  if (base.protocol === 'file:' || target.username || target.password) return false
  return target.protocol === base.protocol && target.host === base.host && target.host !== ''
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

/** The facts of an IPC call: who sent it, from which frame, compared with the app window. */
export function callerFacts(
  event: {
    sender: unknown
    senderFrame?: { url: string } | null
  },
  win: { webContents: { mainFrame: unknown } } | undefined,
): CallerFacts {
  return {
    fromAppWindow: win !== undefined && event.sender === win.webContents,
    fromMainFrame: win !== undefined && event.senderFrame === win.webContents.mainFrame,
    frameUrl: event.senderFrame?.url ?? '',
  }
}

/**
 * The one permission the app asks for: showing notifications (a crew lead's notice of a
 * job moved), and only for the app's own pages. Anything else, or anyone else, is
 * refused: the camera, location, and so on are never needed.
 */
export function permissionAllowed(permission: string, url: string, appBase: string): boolean {
  return permission === 'notifications' && isAppUrl(url, appBase)
}
