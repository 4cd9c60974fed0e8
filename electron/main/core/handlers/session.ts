import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { SessionState } from '../../../../shared/contract/session'
import { uuidv7 } from '../../../../shared/domain/ids'
import { needsPin } from '../../../../shared/domain/pin'
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
    const teamMemberId = input.teamMemberId ?? null
    if (input.role === 'crew_lead' && !teamMemberId) {
      throw new AppError('VALIDATION', 'a crew lead must lead a crew', [
        { path: 'teamMemberId', message: 'is required for a crew lead' },
      ])
    }
    if (needsPin(input.role) && !input.pin) {
      throw new AppError('VALIDATION', 'an office manager or admin needs a PIN', [
        { path: 'pin', message: 'is required for an office manager or admin' },
      ])
    }
    if (teamMemberId) {
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
    const id = uuidv7()
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
