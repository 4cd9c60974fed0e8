import { MAP_HOST } from '../../shared/domain/job-links'
import { isAppUrl } from './ipc-guard'

/**
 * Which links the app window may hand to the operating system (the browser, the
 * dialer, the mail or maps app) through `shell.openExternal`. Kept free of `electron`
 * imports so it can be tested under Node.
 *
 * The allow-list is strict because `openExternal` runs whatever the OS has registered
 * for a scheme: `file:`, `smb:` or an app's custom scheme could run or fetch something
 * on the laptop. Only what the app itself links to passes: web pages on the hosts below
 * (over https), phone numbers, e-mail addresses and `geo:` coordinates, each in the
 * shape shared/domain/job-links.ts builds. Anything else is dropped, never opened in
 * the app window either.
 */
export const WEB_HOSTS: ReadonlySet<string> = new Set([MAP_HOST, 'openstreetmap.org'])

const MAX_URL_LENGTH = 2048

const TEL = /^tel:\+?\d{3,15}(;ext=\d{1,6})?$/
const MAILTO = /^mailto:[^\s@/?#:%]+@[a-z0-9.-]+\.[a-z]{2,}$/i
const GEO = /^geo:-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/

/**
 * The URL to open outside, normalised, or null when it may not be. http is upgraded to
 * https (the hosts serve both; nothing sent over plain http).
 */
export function externalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  switch (url.protocol) {
    case 'http:':
    case 'https:': {
      if (url.username || url.password || url.port) return null
      if (!WEB_HOSTS.has(url.hostname.toLowerCase())) return null
      url.protocol = 'https:'
      return url.href
    }
    case 'tel:':
      return TEL.test(url.href) ? url.href : null
    case 'mailto:':
      return MAILTO.test(url.href) ? url.href : null
    case 'geo:':
      return GEO.test(url.href) ? url.href : null
    default:
      return null
  }
}

/**
 * Electron asks the permission handler ('openExternal') before it hands a link with a
 * scheme it does not load itself (tel:, mailto:) to the OS: yes only for the app's own
 * page asking, and only for a link the allow-list takes.
 */
export function mayOpenExternal(
  requestingUrl: string,
  externalURL: string | undefined,
  appBase: string,
): boolean {
  return isAppUrl(requestingUrl, appBase) && externalUrl(externalURL) !== null
}
