import { and, count, eq, isNull } from 'drizzle-orm'
import type { User } from '../../../shared/contract/session'
import type { UserRole } from '../../../shared/domain/enums'
import { type Action, may } from '../../../shared/domain/permissions'
import { AppError } from '../../../shared/errors'
import type { AppContext } from './context'
import { schema } from './db/schema'

const { users } = schema

export interface Actor {
  user: User | null
  role: UserRole
  /** No user exists yet: the laptop is being set up and acts as an admin. */
  setup: boolean
}

export const SESSION_KEY = 'session.userId'

export function toUser(row: typeof users.$inferSelect): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role as UserRole,
    teamMemberId: row.teamMemberId,
  }
}

export async function currentActor(ctx: AppContext): Promise<Actor | null> {
  const { db } = ctx.db
  if (ctx.session.userId) {
    const [row] = await db
      .select()
      .from(users)
      .where(and(eq(users.id, ctx.session.userId), isNull(users.deletedAt)))
    if (row) {
      const user = toUser(row)
      return { user, role: user.role, setup: false }
    }
  }
  const [total] = await db.select({ n: count() }).from(users).where(isNull(users.deletedAt))
  return total?.n === 0 ? { user: null, role: 'admin', setup: true } : null
}

/** The acting user, who must be allowed `action` (when given); FORBIDDEN otherwise. */
export async function requireActor(ctx: AppContext, action?: Action): Promise<Actor> {
  const actor = await currentActor(ctx)
  if (!actor) {
    throw new AppError('FORBIDDEN', 'choose who is using this laptop before making changes')
  }
  if (action && !may(actor.role, action)) {
    throw new AppError('FORBIDDEN', `a ${actor.role.replace('_', ' ')} may not do this`)
  }
  return actor
}
