import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { SessionState } from '../../../../shared/contract/session'
import { uuidv7 } from '../../../../shared/domain/ids'
import { type UserProblem, userChangeProblems } from '../../../../shared/domain/users'
import { AppError } from '../../../../shared/errors'
import {
  currentActor,
  IDLE_KEY,
  idleMinutes,
  requireActor,
  signIn,
  signOut,
  toUser,
  touch,
} from '../auth'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import { clearAttempts, requirePin } from '../pin-check'
import { hashPin } from '../pin-hash'
import { openChecklist } from './setup'
import type { Handlers } from './types'

const { users, teamMembers, appSettings } = schema

async function sessionState(ctx: AppContext): Promise<SessionState> {
  const actor = await currentActor(ctx)
  return {
    user: actor?.user ?? null,
    setupRequired: actor?.setup ?? false,
    role: actor?.role ?? null,
    cappedBy: actor?.cappedBy ?? null,
    crew: actor?.crew ?? null,
    idleMinutes: await idleMinutes(ctx),
  }
}

async function findUser(ctx: AppContext, userId: string) {
  const [row] = await ctx.db.db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
  if (!row) throw new AppError('NOT_FOUND', 'user not found')
  return row
}

async function setPin(ctx: AppContext, userId: string, pin: string) {
  const [row] = await ctx.db.db
    .update(users)
    .set({ pinHash: await hashPin(pin), updatedAt: sql`now()` })
    .where(eq(users.id, userId))
    .returning()
  if (!row) throw new AppError('NOT_FOUND', 'user not found')
  await clearAttempts(ctx, userId)
  return { user: toUser(row) }
}

/** Every user who can pick themselves at this laptop. */
async function liveUsers(ctx: AppContext) {
  return (await ctx.db.db.select().from(users).where(isNull(users.deletedAt))).map(toUser)
}

/** Refuses a change its problems forbid; a removal or its undo in a sentence naming the user. */
function refuseProblems(problems: UserProblem[], named?: string) {
  const [first] = problems
  if (!first) return
  throw new AppError(
    'VALIDATION',
    named ? `${named} ${first.message}` : 'invalid input',
    named ? undefined : problems,
  )
}

/** The crew a crew lead is to lead exists and is not removed. */
async function requireCrew(ctx: AppContext, teamMemberId: string) {
  const [member] = await ctx.db.db
    .select({ id: teamMembers.id })
    .from(teamMembers)
    .where(and(eq(teamMembers.id, teamMemberId), isNull(teamMembers.deletedAt)))
  if (!member) {
    throw new AppError('NOT_FOUND', 'team member not found', [
      { path: 'teamMemberId', message: 'no such team member' },
    ])
  }
}

export const sessionHandlers = {
  'session.get': (ctx) => sessionState(ctx),
  'session.users': async (ctx) => {
    const rows = await ctx.db.db
      .select({ user: users, crewName: teamMembers.name })
      .from(users)
      .leftJoin(teamMembers, eq(teamMembers.id, users.teamMemberId))
      .where(isNull(users.deletedAt))
      .orderBy(asc(users.name), asc(users.id))
    return { users: rows.map((r) => ({ ...toUser(r.user), crewName: r.crewName })) }
  },
  'session.switch': async (ctx, input) => {
    const row = await findUser(ctx, input.userId)
    await requirePin(ctx, row, input.pin)
    await signIn(ctx, row.id)
    return { user: toUser(row) }
  },
  'session.lock': async (ctx) => {
    await signOut(ctx)
    return sessionState(ctx)
  },
  'session.touch': async (ctx) => ({ active: await touch(ctx) }),
  'session.createUser': async (ctx, input) => {
    // The laptop's own users, not the business's data: its admin sets up a crew's laptop
    // (adds its crew lead) after connecting it with the crew's token, which caps the rest.
    const actor = await requireActor(ctx, 'users.write', { uncapped: true })
    // Only a crew lead leads a crew.
    const teamMemberId = input.role === 'crew_lead' ? (input.teamMemberId ?? null) : null
    const id = uuidv7()
    const next = { id, name: input.name, role: input.role, teamMemberId, hasPin: !!input.pin }
    refuseProblems(userChangeProblems(await liveUsers(ctx), null, next, actor.user?.id ?? null))
    if (teamMemberId) await requireCrew(ctx, teamMemberId)
    const pinHash = input.pin ? await hashPin(input.pin) : null
    const [row] = await ctx.db.db
      .insert(users)
      .values({
        id,
        name: input.name,
        email: input.email ?? null,
        role: input.role,
        teamMemberId,
        pinHash,
      })
      .returning()
    if (!row) throw new AppError('INTERNAL', 'the user was not saved')
    // The first user created while setting up the laptop becomes its user.
    if (actor.setup) {
      await signIn(ctx, id)
      // A laptop set up from empty gets the getting-started checklist.
      await openChecklist(ctx)
    }
    return { user: toUser(row) }
  },
  'session.updateUser': async (ctx, input) => {
    const actor = await requireActor(ctx, 'users.write', { uncapped: true })
    const row = await findUser(ctx, input.id)
    const before = toUser(row)
    const role = input.role ?? before.role
    // Only a crew lead leads a crew.
    const teamMemberId =
      role === 'crew_lead'
        ? input.teamMemberId === undefined
          ? before.teamMemberId
          : input.teamMemberId
        : null
    const next = {
      id: row.id,
      name: input.name ?? before.name,
      role,
      teamMemberId,
      hasPin: before.hasPin || !!input.pin,
    }
    refuseProblems(userChangeProblems(await liveUsers(ctx), before, next, actor.user?.id ?? null))
    if (teamMemberId && teamMemberId !== before.teamMemberId) await requireCrew(ctx, teamMemberId)
    const [updated] = await ctx.db.db
      .update(users)
      .set({
        name: next.name,
        role,
        teamMemberId,
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.pin ? { pinHash: await hashPin(input.pin) } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, row.id))
      .returning()
    if (!updated) throw new AppError('NOT_FOUND', 'user not found')
    if (input.pin) await clearAttempts(ctx, row.id)
    return { user: toUser(updated) }
  },
  'session.removeUser': async (ctx, input) => {
    const actor = await requireActor(ctx, 'users.write', { uncapped: true })
    const row = await findUser(ctx, input.id)
    refuseProblems(
      userChangeProblems(await liveUsers(ctx), toUser(row), null, actor.user?.id ?? null),
      row.name,
    )
    const [removed] = await ctx.db.db
      .update(users)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(users.id, row.id))
      .returning()
    if (!removed) throw new AppError('NOT_FOUND', 'user not found')
    await clearAttempts(ctx, row.id)
    return { user: toUser(removed) }
  },
  'session.restoreUser': async (ctx, input) => {
    const actor = await requireActor(ctx, 'users.write', { uncapped: true })
    const [row] = await ctx.db.db.select().from(users).where(eq(users.id, input.id))
    if (!row) throw new AppError('NOT_FOUND', 'user not found')
    if (!row.deletedAt) return { user: toUser(row) }
    refuseProblems(
      userChangeProblems(await liveUsers(ctx), null, toUser(row), actor.user?.id ?? null),
      row.name,
    )
    const [restored] = await ctx.db.db
      .update(users)
      .set({ deletedAt: null, updatedAt: sql`now()` })
      .where(eq(users.id, row.id))
      .returning()
    if (!restored) throw new AppError('NOT_FOUND', 'user not found')
    return { user: toUser(restored) }
  },
  'session.changePin': async (ctx, input) => {
    const actor = await requireActor(ctx, undefined, { settingOwnPin: true })
    if (!actor.user) throw new AppError('FORBIDDEN', 'choose who is using this laptop first')
    const row = await findUser(ctx, actor.user.id)
    // The current PIN, counted like any other try: an unattended session cannot change it.
    if (row.pinHash) {
      try {
        await requirePin(ctx, row, input.currentPin)
      } catch (e) {
        throw e instanceof AppError
          ? new AppError(
              e.code,
              e.message,
              e.issues?.map((i) => ({ ...i, path: 'currentPin' })),
            )
          : e
      }
    }
    return setPin(ctx, row.id, input.pin)
  },
  'session.resetPin': async (ctx, input) => {
    await requireActor(ctx, 'users.write', { uncapped: true })
    await findUser(ctx, input.userId)
    return setPin(ctx, input.userId, input.pin)
  },
  'session.setIdleMinutes': async (ctx, input) => {
    await requireActor(ctx, 'users.write', { uncapped: true })
    await ctx.db.db
      .insert(appSettings)
      .values({ key: IDLE_KEY, value: input.minutes })
      .onConflictDoUpdate({
        target: appSettings.key,
        set: { value: input.minutes, updatedAt: sql`now()` },
      })
    return sessionState(ctx)
  },
} satisfies Partial<Handlers>
