import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../../shared/contract'
import { ERROR_CODES } from '../../../../shared/errors'
import type { AppContext } from '../context'
import { dispatch } from '../dispatch'
import { buildFixture, type Fixture, snapshot, TEST_PIN } from '../test/fixture'
import { call, memoryCore } from '../test/helpers'
import { validInputs } from './valid-inputs'

/**
 * Random inputs at every channel, as each user: no crash, no untyped or internal
 * error, and a refused call leaves the database exactly as it was.
 */
let ctx: AppContext
let f: Fixture
let appointmentIds: string[] = []
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  for (let i = 0; i < 5; i++) {
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: `2026-09-0${i + 1}T15:00:00Z`,
    })
    appointmentIds.push(appointment.id)
  }
})
afterAll(() => ctx.db.close())

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('', ' ', '-1', '1e309', '__proto__', "'; DROP TABLE clients; --", '%', '\u0000'),
)
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(fc.string(), scalar),
)

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.nat(), value }),
  fc.record({ kind: fc.constant('drop' as const), key: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), name: fc.string({ minLength: 1 }), value }),
)

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never

function mutate(base: Record<string, unknown>, steps: Mutation[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const step of steps) {
    const keys = Object.keys(out)
    if (step.kind === 'add') out[step.name] = step.value
    else if (keys.length) {
      const key = keys[step.key % keys.length] as string
      if (step.kind === 'drop') delete out[key]
      else out[key] = step.value
    }
  }
  return out
}

/**
 * Makes `userId` the acting user. A PIN check costs a scrypt hash (~50 ms), so the
 * switch goes through `session.switch` only when someone else is signed in (a run may
 * have locked, switched or idled the session); otherwise the session is only marked
 * active, as the renderer's `session.touch` would.
 */
async function actAs(userId: string) {
  if (ctx.session.userId === userId && (await call(ctx, 'session.touch', {})).active) return
  await call(ctx, 'session.switch', { userId, pin: TEST_PIN })
}

/**
 * Every channel but removing a user: its valid input removes the crew lead the runs act
 * as (its refusals are the channels test's and the session test's).
 */
const PROBED = CHANNELS.filter((c) => c !== 'session.removeUser')

// Each user in turn (not a random user per run), so that PINs are checked only when a
// run itself changed who is signed in.
describe('random input at every channel', () => {
  it.each(['admin', 'manager', 'lead'] as const)(
    'always answers with a typed result and never writes on refusal, as the %s',
    async (who) => {
      const userId = f[who].id
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...PROBED),
          fc.nat(),
          fc.oneof(
            { weight: 1, arbitrary: value.map((v) => ({ raw: true as const, v })) },
            {
              weight: 4,
              arbitrary: fc
                .array(mutation, { maxLength: 3 })
                .map((m) => ({ raw: false as const, m })),
            },
          ),
          async (channel, pick, shape) => {
            await actAs(userId)
            const appointmentId = appointmentIds[pick % appointmentIds.length] as string
            const base = validInputs[channel](f, appointmentId) as Record<string, unknown>
            const input = shape.raw ? shape.v : mutate(base, shape.m)
            const before = await snapshot(ctx)
            const result = await dispatch(ctx, channel, input)
            expect(typeof result.ok).toBe('boolean')
            if (result.ok) {
              if (channel === 'appointments.create') {
                appointmentIds = [
                  ...appointmentIds,
                  (result.data as { appointment: { id: string } }).appointment.id,
                ]
              }
              return
            }
            expect(ERROR_CODES).toContain(result.error.code)
            expect(result.error.code, `${channel} ${JSON.stringify(input)}`).not.toBe('INTERNAL')
            expect(typeof result.error.message).toBe('string')
            expect(await snapshot(ctx), `${channel} wrote on refusal`).toBe(before)
          },
        ),
        { numRuns: 500, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31) },
      )
    },
    120_000,
  )
})
