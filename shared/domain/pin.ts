import type { UserRole } from './enums'

/**
 * PINs guard the elevated roles on a shared laptop: switching to an office manager or
 * an admin asks for that user's PIN. A crew lead may have one too (then it is asked
 * for), but needs none.
 */
export const PIN_PATTERN = /^\d{4,12}$/
export const PIN_HINT = 'must be 4 to 12 digits'

/** Roles that cannot be used without a PIN. */
export function needsPin(role: UserRole): boolean {
  return role === 'admin' || role === 'office_manager'
}

/** Wrong PINs allowed before each further try has to wait. */
export const FREE_PIN_TRIES = 3
const FIRST_WAIT_SECONDS = 30
const LONGEST_WAIT_SECONDS = 60 * 60

/**
 * How long the next try must wait after `failures` wrong PINs in a row: nothing for the
 * first two, then 30 s doubling with each further failure, at most an hour. Guessing a
 * 4-digit PIN this way takes months.
 */
export function pinWaitSeconds(failures: number): number {
  if (failures < FREE_PIN_TRIES) return 0
  const doublings = Math.min(failures - FREE_PIN_TRIES, 20)
  return Math.min(FIRST_WAIT_SECONDS * 2 ** doublings, LONGEST_WAIT_SECONDS)
}

/** "45 seconds", "2 minutes", "1 hour": a wait in words, rounded up. */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds))
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`
  const m = Math.ceil(s / 60)
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`
  const h = Math.ceil(m / 60)
  return `${h} hour${h === 1 ? '' : 's'}`
}

/** Idle minutes after which the laptop drops back to the user picker. */
export const DEFAULT_IDLE_MINUTES = 15
export const MIN_IDLE_MINUTES = 1
export const MAX_IDLE_MINUTES = 240
