import { contentType, rendererFile } from './core/renderer-files'

/**
 * Where the app's pages come from, kept free of `electron` imports so it can be tested
 * under Node. The packaged app serves its renderer from its own privileged scheme,
 * `app://groundskeeper/`, not from `file://`: a page there is one origin (CSP 'self',
 * navigation lock and IPC sender check all mean exactly the app's files), and it gets
 * none of the privileges Electron gives file pages over the rest of the disk.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'groundskeeper'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** The Content-Security-Policy of the app's pages (the same text as in window.ts). */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * The development server's address, honoured only in an unpackaged app: a packaged app
 * never loads its pages from an address an environment variable names.
 */
export function devServerUrl(
  env: Record<string, string | undefined>,
  isPackaged: boolean,
): string | undefined {
  return isPackaged ? undefined : env.ELECTRON_RENDERER_URL || undefined
}

/** The address the app's pages live under: the dev server, or the app scheme. */
export function appBase(devServer: string | undefined): string {
  return devServer ?? `${APP_ORIGIN}/`
}

export type AppFile = { ok: true; file: string; type: string } | { ok: false; status: 400 | 404 }

/**
 * The file of the built renderer (`root`) that an app:// request asks for, or why there
 * is none. Only this host, only GET, and never a path outside `root` (`..`, encoded or
 * not, backslashes, NUL): those are refused rather than resolved.
 */
export function resolveAppFile(url: string, root: string, method = 'GET'): AppFile {
  let target: URL
  let path: string
  try {
    target = new URL(url)
    path = decodeURIComponent(target.pathname)
  } catch {
    return { ok: false, status: 400 }
  }
  if (target.protocol !== `${APP_SCHEME}:` || target.host !== APP_HOST) return notFound
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 400 }
  const file = rendererFile(root, path)
  if (!file) return notFound
  return { ok: true, file, type: contentType(file) }
}

const notFound = { ok: false, status: 404 } as const
