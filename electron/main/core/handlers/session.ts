import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { uuidv7 } from '../../../../shared/domain/ids'
import { AppError } from '../../../../shared/errors'
import { currentActor, requireActor, SESSION_KEY, toUser } from '../auth'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import type { Handlers } from './types'

const { users, teamMembers, appSettings } = schema

async function switchTo(ctx: AppContext, userId: string) {
  await ctx.db.db
    .insert(appSettings)
    .values({ key: SESSION_KEY, value: userId })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: userId, updatedAt: sql`now()` } })
  ctx.session.userId = userId
}

export const sessionHandlers = {
  'session.get': async (ctx) => {
    const actor = await currentActor(ctx)
    return { user: actor?.user ?? null, setupRequired: actor?.setup ?? false }
  },
  'session.users': async (ctx) => {
    const rows = await ctx.db.db
      .select()
      .from(users)
      .where(isNull(users.deletedAt))
      .orderBy(asc(users.name), asc(users.id))
    return { users: rows.map(toUser) }
  },
  'session.switch': async (ctx, input) => {
    const [row] = await ctx.db.db
      .select()
      .from(users)
      .where(and(eq(users.id, input.userId), isNull(users.deletedAt)))
    if (!row) throw new AppError('NOT_FOUND', 'user not found')
    await switchTo(ctx, row.id)
    return { user: toUser(row) }
  },
  'session.createUser': async (ctx, input) => {
    const actor = await requireActor(ctx, 'users.write')
    const teamMemberId = input.teamMemberId ?? null
    if (input.role === 'crew_lead' && !teamMemberId) {
      throw new AppError('VALIDATION', 'a crew lead must lead a crew', [
        { path: 'teamMemberId', message: 'is required for a crew lead' },
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
    const [row] = await ctx.db.db
      .insert(users)
      .values({ id, name: input.name, email: input.email ?? null, role: input.role, teamMemberId })
      .returning()
    if (!row) throw new AppError('INTERNAL', 'the user was not saved')
    // The first user created while setting up the laptop becomes its user.
    if (actor.setup) await switchTo(ctx, id)
    return { user: toUser(row) }
  },
} satisfies Partial<Handlers>
