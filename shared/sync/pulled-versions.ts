import { ClockError, decode, MAX_DRIFT_MS } from './hlc'
import { clockOf } from './merge'

/**
 * Checks the field versions of a pulled row before they may move the laptop's clock.
 * After a pull the laptop sets its clock past every version it applied, so that its own
 * later writes win over what it has seen. One malformed version, or one stamped far in
 * the future (a broken server row, a device whose clock ran years ahead), would otherwise
 * carry the laptop's clock along: every later local write would be stamped in that
 * future, refused by the server's drift check, and would beat honest writes for years.
 *
 * The bound is the server's own (MAX_DRIFT_MS ahead of this laptop's wall clock): a clock
 * the server would refuse writes from must never be adopted. A row refused for being
 * ahead waits in the inbox and applies once this laptop's clock has caught up.
 */
export function pulledVersionsRefusal(
  versions: Record<string, unknown>,
  nowMs: number,
): string | null {
  let newest = Number.NEGATIVE_INFINITY
  for (const [field, version] of Object.entries(versions)) {
    let ms: number
    try {
      if (typeof version !== 'string') throw new ClockError('not a clock value')
      ms = decode(clockOf(version)).ms
    } catch {
      return `the server sent a malformed version for ${field.slice(0, 64)}`
    }
    newest = Math.max(newest, ms)
  }
  const ahead = newest - nowMs
  if (ahead > MAX_DRIFT_MS) {
    const minutes = Math.ceil(ahead / 60_000)
    return `it was written ${minutes} minutes ahead of this laptop's clock; it waits until the clock catches up`
  }
  return null
}
