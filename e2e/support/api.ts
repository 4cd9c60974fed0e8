import type { APIRequestContext } from '@playwright/test'
import { DEMO_PIN } from '../../electron/main/core/seed/demo-pin'
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract'

/** The seeded admin's and office manager's PIN (and Olive Office's, made here). */
export { DEMO_PIN }

/** The bridge's API secret (playwright.config.ts chooses it and hands it to the bridge). */
export const bridgeAuth = () => ({
  authorization: `Bearer ${process.env.GROUNDSKEEPER_BRIDGE_TOKEN ?? ''}`,
})

/** Calls the app's own handlers through the bridge, for setting up what a test is not about. */
export async function api<C extends Channel>(
  request: APIRequestContext,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const res = await request.post('/rpc', { data: { channel, input }, headers: bridgeAuth() })
  const body = (await res.json()) as { ok: boolean; data?: unknown; error?: { message: string } }
  if (!body.ok) throw new Error(`${channel}: ${body.error?.message}`)
  return body.data as ChannelOutput<C>
}

export interface Business {
  adminId: string
  managerId: string
  leadId: string
  mowingId: string
  pruningId: string
  anaId: string
  benId: string
  smithId: string
  jonesId: string
}

/**
 * The business every spec works in: the seeded demo company (so screens look lived
 * in), plus two crew members the specs own (Ana mows, Ben prunes), two clients, an
 * office manager and a crew lead who leads Ana's crew. Created once per run through the
 * API; leaves the office manager as the laptop's user.
 */
export async function ensureBusiness(request: APIRequestContext): Promise<Business> {
  const seeded = await api(request, 'session.users', {})
  const admin = seeded.users.find((u) => u.role === 'admin')
  if (!admin) throw new Error('the e2e database is not seeded')
  await api(request, 'session.switch', { userId: admin.id, pin: DEMO_PIN })
  const services = await api(request, 'catalog.services.list', {
    includeArchived: true,
    limit: 100,
  })
  const id = <T extends { id: string; name: string }>(rows: T[], name: string) =>
    rows.find((r) => r.name === name)?.id ?? ''
  const mowingId = id(services.results, 'Lawn mowing')
  const pruningId = id(services.results, 'Tree pruning')
  const team = await api(request, 'team.list', { search: 'Crew', limit: 100 })
  let anaId = id(team.results, 'Ana Crew')
  let benId = id(team.results, 'Ben Crew')
  if (!anaId) {
    anaId = (
      await api(request, 'team.create', {
        name: 'Ana Crew',
        color: '#1565c0',
        specialtyIds: [mowingId],
      })
    ).id
    benId = (
      await api(request, 'team.create', {
        name: 'Ben Crew',
        color: '#6a1b9a',
        specialtyIds: [pruningId],
      })
    ).id
    await api(request, 'clients.create', { name: 'Smith Residence', email: 'smith@example.com' })
    await api(request, 'clients.create', { name: 'Jones HOA' })
    await api(request, 'session.createUser', {
      name: 'Olive Office',
      role: 'office_manager',
      pin: DEMO_PIN,
    })
    await api(request, 'session.createUser', {
      name: 'Leo Lead',
      role: 'crew_lead',
      teamMemberId: anaId,
    })
  }
  const { users } = await api(request, 'session.users', {})
  const user = (name: string) => users.find((u) => u.name === name)?.id ?? ''
  const smith = await api(request, 'clients.list', { search: 'Smith Residence' })
  const jones = await api(request, 'clients.list', { search: 'Jones HOA' })
  const business = {
    adminId: admin.id,
    managerId: user('Olive Office'),
    leadId: user('Leo Lead'),
    mowingId,
    pruningId,
    anaId,
    benId,
    smithId: smith.results[0]?.id ?? '',
    jonesId: jones.results[0]?.id ?? '',
  }
  await api(request, 'session.switch', { userId: business.managerId, pin: DEMO_PIN })
  return business
}

/** Books through the API (the spec is about something else), accepting any clash. */
export async function book(
  request: APIRequestContext,
  input: ChannelInput<'appointments.create'>,
): Promise<ChannelOutput<'appointments.get'>> {
  const { appointment } = await api(request, 'appointments.create', {
    acceptConflict: true,
    ...input,
  })
  return appointment
}
