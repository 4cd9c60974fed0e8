import { and, eq, isNotNull, isNull } from 'drizzle-orm'
import { FREE_PIN_TRIES, needsPin, pinWaitSeconds, waitInWords } from '../../../shared/domain/pin'
import { AppError } from '../../../shared/errors'
import type { AppContext } from './context'
import { schema } from './db/schema'
import { verifyPin } from './pin-hash'

const { pinAttempts, users } = schema

type UserRow = typeof schema.users.$inferSelect

const pinError = (code: 'VALIDATION' | 'FORBIDDEN', message: string, retryAfterMs?: number) =>
  new AppError(
    code,
    message,
    [{ path: 'pin', message }],
    retryAfterMs ? { retryAfterMs: Math.ceil(retryAfterMs) } : undefined,
  )

/**
 * PIN checks run one at a time in this process (the only one that has the data folder
 * open): otherwise a caller could fire many guesses at once, all read before the first
 * wrong one is counted.
 */
let queue: Promise<unknown> = Promise.resolve()
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work)
  queue = run.catch(() => {})
  return run
}

/**
 * Refuses unless `pin` is the user's PIN. Wrong PINs are counted per user in the
 * database; from the third in a row each further try must wait (30 s, doubling), and a
 * try during the wait is refused without being checked or counted. The right PIN
 * clears the count. A user whose role needs no PIN and who has none passes.
 *
 * A laptop upgraded from before PINs has admins and office managers without one, and
 * only an admin may set someone's PIN. So while no admin here has a PIN yet, an admin
 * without one is let in without it (as the first user of a new laptop is), and may do
 * nothing until they have set their own (`requireActor`); from then on the rule above
 * holds for everyone. An office manager without a PIN waits for an admin to set one.
 */
export async function requirePin(ctx: AppContext, user: UserRow, pin: string | undefined) {
  if (!user.pinHash && !needsPin(user.role as never)) return
  const hash = user.pinHash
  if (!hash) {
    if (user.role === 'admin' && !(await anyAdminHasPin(ctx))) return
    throw pinError('FORBIDDEN', `${user.name} has no PIN yet: an admin must set one first`)
  }
  if (!pin) throw pinError('VALIDATION', `Enter ${user.name}'s PIN`)
  return oneAtATime(() => check(ctx, user.id, hash, pin))
}

async function anyAdminHasPin(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNotNull(users.pinHash), isNull(users.deletedAt)))
    .limit(1)
  return !!row
}

async function check(ctx: AppContext, userId: string, hash: string, pin: string) {
  const { db } = ctx.db
  const [attempts] = await db.select().from(pinAttempts).where(eq(pinAttempts.userId, userId))
  const now = Date.now()
  const lockedUntil = attempts?.lockedUntil ? Date.parse(attempts.lockedUntil) : 0
  if (lockedUntil > now) {
    throw pinError(
      'FORBIDDEN',
      `Too many wrong PINs: try again in ${waitInWords((lockedUntil - now) / 1000)}`,
      lockedUntil - now,
    )
  }
  if (await verifyPin(pin, hash)) {
    if (attempts) await clearAttempts(ctx, userId)
    return
  }
  const failures = (attempts?.failures ?? 0) + 1
  const wait = pinWaitSeconds(failures)
  const values = {
    failures,
    lockedUntil: wait ? new Date(now + wait * 1000).toISOString() : null,
    updatedAt: new Date(now).toISOString(),
  }
  await db
    .insert(pinAttempts)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: pinAttempts.userId, set: values })
  const left = FREE_PIN_TRIES - failures
  throw pinError(
    'FORBIDDEN',
    wait
      ? `Wrong PIN: try again in ${waitInWords(wait)}`
      : `Wrong PIN: ${left} more ${left === 1 ? 'try' : 'tries'} before you have to wait`,
    wait ? wait * 1000 : undefined,
  )
}

export async function clearAttempts(ctx: AppContext, userId: string): Promise<void> {
  await ctx.db.db.delete(pinAttempts).where(eq(pinAttempts.userId, userId))
}
