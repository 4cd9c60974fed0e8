/**
 * Whether the app looks for updates, where, and when: decided here, under plain Node, so
 * it is tested; electron/main/updates.ts only carries it out with electron-updater.
 *
 * Off unless configured: an installed app contacts no update server until
 * GROUNDSKEEPER_UPDATE_URL names one (a folder on a web server holding what `npm run
 * dist` made: the installers and their latest*.yml). Then it looks shortly after start
 * and every few hours, downloads in the background and installs when the app quits.
 */
export const UPDATE_URL_ENV = 'GROUNDSKEEPER_UPDATE_URL'
/** Long enough for the window and the database to be up first. */
export const FIRST_CHECK_AFTER_MS = 30_000
export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000

export type UpdatePlan =
  | {
      enabled: false
      reason: 'not configured' | 'not installed' | 'invalid address'
      detail?: string
    }
  | {
      enabled: true
      feed: { provider: 'generic'; url: string }
      firstCheckAfterMs: number
      checkEveryMs: number
    }

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export function updatePlan(input: {
  env: Record<string, string | undefined>
  isPackaged: boolean
}): UpdatePlan {
  const raw = input.env[UPDATE_URL_ENV]?.trim()
  if (!raw) return { enabled: false, reason: 'not configured' }
  const invalid = (detail: string): UpdatePlan => ({
    enabled: false,
    reason: 'invalid address',
    detail: `${UPDATE_URL_ENV} ${detail}; updates stay off`,
  })
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return invalid('is not a web address')
  }
  // The installers' checksums come from the same server, so only a secure connection
  // stops someone on the network from handing the laptop a different app. Plain http
  // is accepted only on this machine, for trying a feed out.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    return invalid('must start with https://')
  if (url.username || url.password) return invalid('must not contain a user name or password')
  if (url.search || url.hash) return invalid('must not contain ? or #')
  // electron-updater checks only in an installed app (it needs the app's app-update.yml).
  if (!input.isPackaged) return { enabled: false, reason: 'not installed' }
  return {
    enabled: true,
    feed: { provider: 'generic', url: url.href },
    firstCheckAfterMs: FIRST_CHECK_AFTER_MS,
    checkEveryMs: CHECK_EVERY_MS,
  }
}

/**
 * How long until the next check: the first one shortly after start, then a full interval
 * after the last one began (a slow download does not make checks pile up; a laptop that
 * slept past its time checks at once).
 */
export function nextCheckInMs(
  plan: Extract<UpdatePlan, { enabled: true }>,
  lastCheckAt: number | null,
  now: number,
): number {
  if (lastCheckAt === null) return plan.firstCheckAfterMs
  return Math.max(0, lastCheckAt + plan.checkEveryMs - now)
}

/** What the person using the laptop is told once an update has been downloaded. */
export function updateReadyNotice(version: string): { title: string; body: string } {
  return {
    title: 'Update ready',
    body: `Groundskeeper ${version} has been downloaded. It will be installed when you quit Groundskeeper.`,
  }
}
