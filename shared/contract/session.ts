import { z } from 'zod'
import { USER_ROLES } from '../domain/enums'
import { MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, PIN_HINT, PIN_PATTERN } from '../domain/pin'
import { email, id, name } from './common'

export const user = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(USER_ROLES),
  /** The crew a crew lead leads. */
  teamMemberId: id.nullable(),
  /** Whether switching to this user asks for a PIN (never the PIN or its hash). */
  hasPin: z.boolean(),
})
export type User = z.infer<typeof user>

/** A user as the user picker lists them: with the name of the crew a crew lead leads. */
export const listedUser = user.extend({ crewName: z.string().nullable() })
export type ListedUser = z.infer<typeof listedUser>

export const pin = z.string().regex(PIN_PATTERN, PIN_HINT)

const sessionState = z.object({
  user: user.nullable(),
  setupRequired: z.boolean(),
  /** The role the app lets the user act with: their own, capped by the sync token's. */
  role: z.enum(USER_ROLES).nullable(),
  /** The sync token's role when it lowers the user's own role; null otherwise. */
  cappedBy: z.enum(USER_ROLES).nullable(),
  /** Minutes without input after which the laptop drops back to the user picker. */
  idleMinutes: z.number().int(),
  /**
   * The crew whose day is theirs as a crew lead: a crew lead's sync token's crew while
   * the laptop syncs with one, else the crew the user leads; null: none.
   */
  crew: id.nullable(),
})
export type SessionState = z.infer<typeof sessionState>

/**
 * Who is using this laptop. Local users carry a role that decides what the app lets
 * them do; they are not a login (the sync server authenticates devices itself), but
 * office managers and admins need their PIN to switch in, and an idle laptop drops
 * back to the user picker. While no user exists at all the laptop is being set up and
 * acts as an admin. Users and PINs stay on the laptop: they are never synced.
 */
export const sessionContract = {
  'session.get': { input: z.strictObject({}), output: sessionState },
  'session.users': {
    input: z.strictObject({}),
    output: z.object({ users: z.array(listedUser) }),
  },
  /** An office manager's or admin's PIN (or a crew lead's, when they have one) is required. */
  'session.switch': {
    input: z.strictObject({ userId: id, pin: pin.optional() }),
    output: z.object({ user }),
  },
  /** Back to the user picker. */
  'session.lock': { input: z.strictObject({}), output: sessionState },
  /** Someone is working: the idle time starts again. `active` is false once signed out. */
  'session.touch': { input: z.strictObject({}), output: z.object({ active: z.boolean() }) },
  /** Office managers and admins are created with a PIN; crew leads may have one. */
  'session.createUser': {
    input: z.strictObject({
      name,
      email: email.optional(),
      role: z.enum(USER_ROLES),
      teamMemberId: id.nullable().optional(),
      pin: pin.optional(),
    }),
    output: z.object({ user }),
  },
  /**
   * An admin changes a user: name, email, role, the crew a crew lead leads (any other
   * role leads none), and a PIN (needed when the role now needs one and they had none).
   * Refused where shared/domain/users.ts says so: a name taken, the last admin demoted.
   */
  'session.updateUser': {
    input: z.strictObject({
      id,
      name: name.optional(),
      email: email.nullable().optional(),
      role: z.enum(USER_ROLES).optional(),
      teamMemberId: id.nullable().optional(),
      pin: pin.optional(),
    }),
    output: z.object({ user }),
  },
  /** An admin removes a user from this laptop: never the last admin, nor themselves. */
  'session.removeUser': {
    input: z.strictObject({ id }),
    output: z.object({ user }),
  },
  /** Undoes a removal: the user and their PIN come back, unless their name is taken. */
  'session.restoreUser': {
    input: z.strictObject({ id }),
    output: z.object({ user }),
  },
  /** The current user changes their own PIN, giving the current one if they have one. */
  'session.changePin': {
    input: z.strictObject({ currentPin: pin.optional(), pin }),
    output: z.object({ user }),
  },
  /** An admin sets another user's PIN (a forgotten one, or a crew lead's first). */
  'session.resetPin': {
    input: z.strictObject({ userId: id, pin }),
    output: z.object({ user }),
  },
  'session.setIdleMinutes': {
    input: z.strictObject({
      minutes: z
        .number()
        .int('must be whole minutes')
        .min(MIN_IDLE_MINUTES, `must be at least ${MIN_IDLE_MINUTES} minute`)
        .max(MAX_IDLE_MINUTES, `must be at most ${MAX_IDLE_MINUTES} minutes`),
    }),
    output: sessionState,
  },
} as const
