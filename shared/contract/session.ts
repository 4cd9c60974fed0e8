import { z } from 'zod'
import { USER_ROLES } from '../domain/enums'
import { email, id, name } from './common'

export const user = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(USER_ROLES),
  /** The crew a crew lead leads. */
  teamMemberId: id.nullable(),
})
export type User = z.infer<typeof user>

/**
 * Who is using this laptop. Local users carry a role that decides what the app lets
 * them do; they are not a login (the sync server authenticates devices itself). While
 * no user exists at all the laptop is being set up and acts as an admin.
 */
export const sessionContract = {
  'session.get': {
    input: z.strictObject({}),
    output: z.object({ user: user.nullable(), setupRequired: z.boolean() }),
  },
  'session.users': { input: z.strictObject({}), output: z.object({ users: z.array(user) }) },
  'session.switch': { input: z.strictObject({ userId: id }), output: z.object({ user }) },
  'session.createUser': {
    input: z.strictObject({
      name,
      email: email.optional(),
      role: z.enum(USER_ROLES),
      teamMemberId: id.nullable().optional(),
    }),
    output: z.object({ user }),
  },
} as const
