import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { BRIDGE_TOKEN_META } from '../../shared/contract/bridge'

/**
 * Who may use the bridge. It listens on loopback, but that alone does not stop a web page
 * open in any browser on this machine: the page can send requests to 127.0.0.1 (CSRF), or
 * rename its own host to 127.0.0.1 by DNS and read the answers (DNS rebinding). So:
 *
 * - Host must be a loopback name with the bridge's port: a rebound name is refused.
 * - Origin, when sent, must be the bridge's own: another site's page is refused.
 * - The API (`/rpc`, `/events`) needs the per-launch secret. The bridge hands it to the
 *   page it serves (in index.html, and as a cookie) and prints it for scripts; a foreign
 *   page can neither read that page nor guess the secret.
 */
export const TOKEN_META = BRIDGE_TOKEN_META

/** A fresh secret for one run of the bridge. */
export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The cookie carrying the secret; named by port, since cookies are shared across ports. */
export const tokenCookie = (port: number) => `gk_bridge_${port}`

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]']

/** True when the Host header names this machine's loopback, on the bridge's port. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false
  return LOOPBACK.some((name) => host.toLowerCase() === `${name}:${port}`)
}

/** True when there is no Origin (not a cross-site browser request) or it is the bridge's own. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return LOOPBACK.some((name) => origin.toLowerCase() === `http://${name}:${port}`)
}

/**
 * True for a browser request another site (or another port: same-site) started. Browsers
 * send Sec-Fetch-Site even where they omit Origin (a plain GET), so this covers `/events`.
 */
export function crossSite(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site']
  return site !== undefined && site !== 'same-origin' && site !== 'none'
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/**
 * True when the request carries the secret: as `Authorization: Bearer TOKEN` (the page's
 * fetches, scripts, tests), or, where `cookie` allows it, as the cookie set with the page.
 * The cookie exists for `GET /events`, because EventSource cannot set headers; it is
 * HttpOnly and SameSite=Strict, and `/rpc` does not accept it, so a state-changing call
 * always needs the header, which no other page can make a browser send.
 */
export function hasToken(
  headers: IncomingHttpHeaders,
  token: string,
  opts: { cookie?: { name: string } } = {},
): boolean {
  const auth = headers.authorization ?? ''
  if (auth.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), token)) return true
  if (!opts.cookie) return false
  const fromCookie = cookieValue(headers.cookie, opts.cookie.name)
  return fromCookie !== undefined && sameSecret(fromCookie, token)
}

/** The served page with the secret in it, for the renderer's HTTP transport to send. */
export function withToken(html: string, token: string): string {
  const meta = `<meta name="${TOKEN_META}" content="${token}" />`
  return html.includes('<head>') ? html.replace('<head>', `<head>\n    ${meta}`) : meta + html
}

/** True for a JSON media type (`application/json`, any parameters). */
export function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'
}
