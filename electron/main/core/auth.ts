import { and, count, eq, isNull, sql } from 'drizzle-orm'
import type { User } from '../../../shared/contract/session'
import type { UserRole } from '../../../shared/domain/enums'
import { type Action, aRole, may } from '../../../shared/domain/permissions'
import { DEFAULT_IDLE_MINUTES, needsPin } from '../../../shared/domain/pin'
import { effectiveRole } from '../../../shared/domain/role-cap'
import { AppError } from '../../../shared/errors'
import type { AppContext } from './context'
import { schema } from './db/schema'
import { getState } from './sync/store'

const { users, appSettings } = schema

export interface Actor {
  user: User | null
  /** The role the app lets them act with: their own, capped by the device token's. */
  role: UserRole
  /** The device token's role when it lowers the user's own; null otherwise. */
  cappedBy: UserRole | null
  /** No user exists yet: the laptop is being set up and acts as an admin. */
  setup: boolean
  /**
   * The crew whose jobs they act on as a crew lead: while the laptop syncs with a crew
   * lead's token, that token's crew (the only jobs the server lets it change, whoever
   * picked themselves here); otherwise the crew the user leads. Null: none.
   */
  crew: string | null
}

export const SESSION_KEY = 'session.userId'
export const IDLE_KEY = 'session.idleMinutes'

export function toUser(row: typeof users.$inferSelect): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role as UserRole,
    teamMemberId: row.teamMemberId,
    hasPin: row.pinHash !== null,
  }
}

export async function idleMinutes(ctx: AppContext): Promise<number> {
  const [row] = await ctx.db.db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, IDLE_KEY))
  return typeof row?.value === 'number' ? row.value : DEFAULT_IDLE_MINUTES
}

/** The role and crew of this laptop's device token while it is connected; null when it is not. */
async function deviceToken(ctx: AppContext): Promise<{ role: string; crew: string | null } | null> {
  const device = (await getState(ctx.db.pg, 'config'))?.device
  return device ? { role: device.role, crew: device.crew ?? null } : null
}

/** Signs whoever is using the laptop in, as of now (the PIN, if any, was checked). */
export async function signIn(ctx: AppContext, userId: string): Promise<void> {
  await ctx.db.db
    .insert(appSettings)
    .values({ key: SESSION_KEY, value: userId })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: userId, updatedAt: sql`now()` } })
  ctx.session.userId = userId
  ctx.session.activeAt = Date.now()
}

/** Back to the user picker. */
export async function signOut(ctx: AppContext): Promise<void> {
  await ctx.db.db.delete(appSettings).where(eq(appSettings.key, SESSION_KEY))
  ctx.session.userId = null
  ctx.session.activeAt = 0
}

/**
 * Idle sessions. The renderer watches input and drops back to the picker after the
 * idle time; that alone would leave the rights with any caller that skips the
 * renderer's timer. So the core keeps the time of the last activity too: the renderer
 * reports input (`session.touch`, at most every 30 s while someone is working) and a
 * PIN-protected session with no activity for the idle time is signed out here, before
 * any check of what it may do. The time lives in memory only: a reopened app therefore
 * asks for an elevated user's PIN again (the safe side), and activity costs no write.
 */
function idleExpired(ctx: AppContext, user: User, minutes: number): boolean {
  if (!needsPin(user.role) && !user.hasPin) return false
  return Date.now() - ctx.session.activeAt > minutes * 60_000
}

interface Resolved {
  actor: Actor | null
  /** The session was signed out just now for being idle. */
  expired: boolean
}

async function resolveSession(ctx: AppContext): Promise<Resolved> {
  const { db } = ctx.db
  const token = await deviceToken(ctx)
  const acting = (user: User | null, own: UserRole): Actor => {
    const role = effectiveRole(own, token?.role ?? null)
    return {
      user,
      role,
      cappedBy: role !== own ? role : null,
      setup: user === null,
      crew: (token?.role === 'crew_lead' && token.crew) || (user?.teamMemberId ?? null),
    }
  }
  let expired = false
  if (ctx.session.userId) {
    const [row] = await db
      .select()
      .from(users)
      .where(and(eq(users.id, ctx.session.userId), isNull(users.deletedAt)))
    if (row) {
      const user = toUser(row)
      if (!idleExpired(ctx, user, await idleMinutes(ctx))) {
        return { actor: acting(user, user.role), expired }
      }
      await signOut(ctx)
      expired = true
    }
  }
  const [total] = await db.select({ n: count() }).from(users).where(isNull(users.deletedAt))
  return { actor: total?.n === 0 ? acting(null, 'admin') : null, expired }
}

export async function currentActor(ctx: AppContext): Promise<Actor | null> {
  return (await resolveSession(ctx)).actor
}

/** Records activity; false when the session had already ended (idle or signed out). */
export async function touch(ctx: AppContext): Promise<boolean> {
  const { actor } = await resolveSession(ctx)
  if (!actor?.user) return false
  ctx.session.activeAt = Date.now()
  return true
}

/**
 * The acting user, who must be allowed `action` (when given); FORBIDDEN otherwise.
 * `uncapped`: judged by the user's own role, not the sync token's cap (only for
 * leaving the server, which the cap must not make impossible, and for the laptop's own
 * users, PINs and lock time, which are no business data the token guards). `settingOwnPin`: the one
 * thing an office manager or admin without a PIN may do.
 */
export async function requireActor(
  ctx: AppContext,
  action?: Action,
  options: { uncapped?: boolean; settingOwnPin?: boolean } = {},
): Promise<Actor> {
  const { actor, expired } = await resolveSession(ctx)
  if (!actor) {
    throw new AppError(
      'FORBIDDEN',
      expired
        ? 'signed out after a while without activity: choose who is using this laptop'
        : 'choose who is using this laptop before making changes',
    )
  }
  // An admin let in without a PIN (a laptop upgraded from before PINs: see `requirePin`)
  // sets their own before anything else.
  if (!options.settingOwnPin && actor.user && needsPin(actor.user.role) && !actor.user.hasPin) {
    throw new AppError('FORBIDDEN', 'set your own PIN before doing anything else')
  }
  // While setting up, the first user can always be created, whatever the laptop's token.
  const setupUser = actor.setup && action === 'users.write'
  const role = options.uncapped ? (actor.user?.role ?? actor.role) : actor.role
  if (action && !setupUser && !may(role, action)) {
    throw new AppError(
      'FORBIDDEN',
      actor.cappedBy
        ? `this laptop's sync token is ${aRole(actor.cappedBy)}'s, so you act as ${aRole(actor.cappedBy)} here and may not do this`
        : `${aRole(actor.role)} may not do this`,
    )
  }
  return actor
}

/**
 * After a restore the session the backup saved is not trusted (it may be another
 * laptop's admin): whoever restored stays signed in if the restored data knows them,
 * and the laptop otherwise goes back to the user picker.
 */
export async function keepSessionAfterRestore(ctx: AppContext, userId: string | null) {
  const activeAt = ctx.session.activeAt
  if (userId) {
    const [row] = await ctx.db.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    if (row) {
      // Written only when it differs: a backup of this very session restores unchanged.
      const [saved] = await ctx.db.db
        .select({ value: appSettings.value })
        .from(appSettings)
        .where(eq(appSettings.key, SESSION_KEY))
      if (saved?.value === row.id) ctx.session.userId = row.id
      else await signIn(ctx, row.id)
      ctx.session.activeAt = activeAt
      return
    }
  }
  await signOut(ctx)
}
