/**
 * Where a laptop may send its device token and the business's data. Over plain http://
 * both travel in clear, readable and alterable by anyone on the network; only this
 * machine's own loopback address is exempt (a server on the same computer, as in tests).
 * Anything else needs https://, or an explicit `allowInsecure` from the admin.
 */
const LOOPBACK_NAMES = new Set(['localhost', '[::1]'])

/** True for names that never leave this machine: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (LOOPBACK_NAMES.has(host)) return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** Why a (normalized) server address is refused, or null when it may be used. */
export function insecureServerRefusal(serverUrl: string, allowInsecure: boolean): string | null {
  const url = new URL(serverUrl)
  if (url.protocol === 'https:' || allowInsecure || isLoopbackHost(url.hostname)) return null
  return 'must start with https:// (http:// sends the device token and the data unencrypted; it is accepted only for this computer, or when insecure connections are allowed explicitly)'
}

export const PLAIN_HTTP_REFUSAL =
  'must start with https:// (http:// would send the account token unencrypted; it is accepted only for this computer)'

/**
 * Why the address of a provider's API (Twilio's), which is sent an account's secret with
 * every request, is refused: plain http:// anywhere but this computer (a local stand-in,
 * as in tests). Null when it may be used, or is not an address at all (said elsewhere).
 */
export function plainHttpRefusal(address: string): string | null {
  let url: URL
  try {
    url = new URL(address)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return null
  return PLAIN_HTTP_REFUSAL
}
