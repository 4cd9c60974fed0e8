import type { AppContext } from '../context'
import { call } from './helpers'

/** The admin's and the office manager's PIN (the crew lead has none). */
export const TEST_PIN = '1357'

/**
 * A small business built through the real handlers: two clients, a mowing and a
 * pruning service plus an archived one, two crew members (Ana mows, Ben prunes and is
 * unavailable), and an admin, an office manager (both with `TEST_PIN`) and a crew lead
 * (Ana's crew). Ana has a week off in June 2027. The session ends as the office manager.
 */
export async function buildFixture(ctx: AppContext) {
  const admin = (
    await call(ctx, 'session.createUser', { name: 'Ada Admin', role: 'admin', pin: TEST_PIN })
  ).user
  const mowing = await call(ctx, 'catalog.services.create', {
    name: 'Lawn mowing',
    basePrice: '55',
    durationMinutes: 60,
  })
  const pruning = await call(ctx, 'catalog.services.create', {
    name: 'Tree pruning',
    basePrice: '350.00',
    durationMinutes: 120,
    priority: 'HIGH',
  })
  const retired = await call(ctx, 'catalog.services.create', {
    name: 'Retired service',
    basePrice: '10',
    durationMinutes: 30,
  })
  await call(ctx, 'catalog.services.archive', { id: retired.id })
  const ana = await call(ctx, 'team.create', { name: 'Ana Crew', specialtyIds: [mowing.id] })
  const ben = await call(ctx, 'team.create', {
    name: 'Ben Crew',
    specialtyIds: [pruning.id],
    isAvailable: false,
  })
  const mulch = await call(ctx, 'catalog.products.create', {
    name: 'Hardwood mulch',
    unit: 'cu yd',
    unitPrice: '42',
  })
  const smith = await call(ctx, 'clients.create', {
    name: 'Smith Residence',
    email: 'smith@example.com',
  })
  const jones = await call(ctx, 'clients.create', { name: 'Jones HOA' })
  const manager = (
    await call(ctx, 'session.createUser', {
      name: 'Olive Office',
      role: 'office_manager',
      pin: TEST_PIN,
    })
  ).user
  const lead = (
    await call(ctx, 'session.createUser', {
      name: 'Leo Lead',
      role: 'crew_lead',
      teamMemberId: ana.id,
    })
  ).user
  await call(ctx, 'session.switch', { userId: manager.id, pin: TEST_PIN })
  const anaTimeOff = (
    await call(ctx, 'team.timeOff.add', {
      teamMemberId: ana.id,
      startsOn: '2027-06-01',
      endsOn: '2027-06-05',
      reason: 'holiday',
    })
  ).timeOff
  return {
    admin,
    manager,
    lead,
    mowing,
    pruning,
    retired,
    mulch,
    ana,
    ben,
    smith,
    jones,
    anaTimeOff,
  }
}

export type Fixture = Awaited<ReturnType<typeof buildFixture>>

/** A DB snapshot to prove a failed call changed nothing. */
export async function snapshot(ctx: AppContext): Promise<string> {
  const { rows } = await ctx.db.pg.query<{ h: string }>(`SELECT md5(
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM appointments t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM services t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM products t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM clients t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM team_members t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY team_member_id, service_id)
                FROM team_member_specialties t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM users t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY key) FROM app_settings t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM notifications t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM notification_templates t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM time_off t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM weather_forecasts t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM geocodes t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY id) FROM series t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY seq) FROM sync_outbox t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY table_name, row_id) FROM sync_versions t), '') ||
      coalesce((SELECT string_agg(t::text, '|' ORDER BY key) FROM sync_state t), '')) AS h`)
  return rows[0]?.h ?? ''
}
