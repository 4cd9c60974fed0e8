import { extname, resolve, sep } from 'node:path'

/**
 * Files of the built renderer, as both of its doors serve them: the desktop app's
 * `app://` scheme and the loopback bridge. Plain Node, so both (and their tests) use
 * this one check.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

export const contentType = (file: string): string =>
  CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'

/**
 * The file a decoded request path names inside the renderer folder, or null when it
 * would leave it: `..` segments (a decoded `%2F` can still make one), NUL or
 * backslashes. This is the one check that keeps requests inside the folder.
 */
export function rendererFile(root: string, path: string): string | null {
  if (path.includes('\0') || path.includes('\\')) return null
  const base = resolve(root)
  const file = resolve(base, `.${path === '/' ? '/index.html' : path}`)
  return file.startsWith(base + sep) ? file : null
}
