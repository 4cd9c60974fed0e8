import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STARTER_SERVICES, starterServicesToAdd } from '../../../../shared/domain/starter-catalog'
import { SERVICE_KINDS } from '../../../../shared/weather/risk'
import { closeCore } from '../app-core'
import type { AppContext } from '../context'
import { call, callError, memoryCore } from '../test/helpers'

const PIN = '2468'
let ctx: AppContext
beforeAll(async () => {
  ctx = await memoryCore()
})
afterAll(() => closeCore(ctx))

const doneSteps = async () =>
  Object.entries((await call(ctx, 'setup.get', {})).done)
    .filter(([, done]) => done)
    .map(([step]) => step)

describe('the first-run checklist', () => {
  it('opens when the laptop is set up from empty, every step still to do', async () => {
    await call(ctx, 'session.createUser', { name: 'Ada Admin', role: 'admin', pin: PIN })
    expect(await call(ctx, 'setup.get', {})).toMatchObject({ open: true })
    expect(await doneSteps()).toEqual([])
  })

  it('ticks each step from the data it stands for', async () => {
    await call(ctx, 'notifications.updateSettings', { businessName: 'Greenway Gardens' })
    expect(await doneSteps()).toEqual(['businessName'])
    // Saving the time zone alone is not deciding the working hours.
    await call(ctx, 'settings.update', { timeZone: 'America/Chicago' })
    expect(await doneSteps()).toEqual(['businessName', 'timeZone'])
    await call(ctx, 'settings.update', {
      workingHours: { start: '08:00', end: '17:00', days: [1, 2, 3, 4, 5] },
    })
    expect(await call(ctx, 'settings.get', {})).toMatchObject({ timeZone: 'America/Chicago' })
    const service = await call(ctx, 'catalog.services.create', {
      name: 'Snow plowing',
      basePrice: '85',
      durationMinutes: 45,
    })
    const member = await call(ctx, 'team.create', { name: 'Ana Crew' })
    const client = await call(ctx, 'clients.create', { name: 'Smith Residence' })
    expect(await doneSteps()).toEqual([
      'businessName',
      'timeZone',
      'workingHours',
      'services',
      'crew',
      'client',
    ])
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: client.id,
      serviceId: service.id,
      teamMemberId: member.id,
      scheduledAt: '2027-05-04T15:00:00Z',
    })
    expect((await call(ctx, 'setup.get', {})).done.booking).toBe(true)
    // A deleted booking is no booking.
    await call(ctx, 'appointments.delete', { id: appointment.id })
    expect((await call(ctx, 'setup.get', {})).done.booking).toBe(false)
  })

  it('is dismissed for good by an office manager or admin, not by a crew lead', async () => {
    const { id: crewId } = (await call(ctx, 'team.list', { search: 'Ana' })).results[0] ?? {}
    const lead = await call(ctx, 'session.createUser', {
      name: 'Leo Lead',
      role: 'crew_lead',
      teamMemberId: crewId ?? '',
    })
    await call(ctx, 'session.switch', { userId: lead.user.id })
    expect((await callError(ctx, 'setup.dismiss', {})).code).toBe('FORBIDDEN')
    expect((await call(ctx, 'setup.get', {})).open).toBe(true)
    const { users } = await call(ctx, 'session.users', {})
    const admin = users.find((u) => u.role === 'admin')
    await call(ctx, 'session.switch', { userId: admin?.id ?? '', pin: PIN })
    expect((await call(ctx, 'setup.dismiss', {})).open).toBe(false)
    // A later first user (after a restore to empty, say) does not reopen a dismissed list.
    expect((await call(ctx, 'setup.get', {})).open).toBe(false)
  })
})

describe('the starter catalog', () => {
  it('is a sensible catalog: unique names, real lengths and prices, known kinds', () => {
    const names = STARTER_SERVICES.map((s) => s.name.toLowerCase())
    expect(new Set(names).size).toBe(names.length)
    expect(STARTER_SERVICES.length).toBeGreaterThanOrEqual(8)
    for (const s of STARTER_SERVICES) {
      expect(s.durationMinutes).toBeGreaterThanOrEqual(15)
      expect(s.basePrice).toMatch(/^\d+\.\d\d$/)
      if (s.weatherKind) expect(SERVICE_KINDS).toContain(s.weatherKind)
    }
  })

  it('skips names the catalog has, whatever their case or spacing', () => {
    const left = starterServicesToAdd(['  LAWN   mowing ', 'Mulching'])
    expect(left.map((s) => s.name)).not.toContain('Lawn mowing')
    expect(left.map((s) => s.name)).not.toContain('Mulching')
    expect(left).toHaveLength(STARTER_SERVICES.length - 2)
  })

  it('adds what is missing once; run again it adds nothing, and archived names stay out', async () => {
    const mowing = (await call(ctx, 'catalog.services.list', { search: 'Snow' })).results[0]
    await call(ctx, 'catalog.services.create', {
      name: 'lawn mowing',
      basePrice: '40',
      durationMinutes: 30,
    })
    const mulch = await call(ctx, 'catalog.services.create', {
      name: 'Mulching',
      basePrice: '200',
      durationMinutes: 120,
    })
    await call(ctx, 'catalog.services.archive', { id: mulch.id })
    const first = await call(ctx, 'catalog.services.addStarter', {})
    expect(first.added).toHaveLength(STARTER_SERVICES.length - 2)
    expect(first.skipped.sort()).toEqual(['Lawn mowing', 'Mulching'])
    const hedge = first.added.find((s) => s.name === 'Hedge trimming')
    expect(hedge).toMatchObject({ basePrice: '120.00', durationMinutes: 120, isActive: true })
    expect(first.added.find((s) => s.name === 'Weed control spraying')?.weatherKind).toBe(
      'spraying',
    )

    const again = await call(ctx, 'catalog.services.addStarter', {})
    expect(again.added).toEqual([])
    expect(again.skipped).toHaveLength(STARTER_SERVICES.length)
    const all = await call(ctx, 'catalog.services.list', { includeArchived: true, limit: 100 })
    // One of each starter name (two of them the business's own), plus the snow plowing.
    expect(all.count).toBe(STARTER_SERVICES.length + 1)
    expect(mowing?.name).toBe('Snow plowing')
  })

  it('is refused to a crew lead, adding nothing', async () => {
    const { users } = await call(ctx, 'session.users', {})
    const lead = users.find((u) => u.role === 'crew_lead')
    await call(ctx, 'session.switch', { userId: lead?.id ?? '' })
    const before = (await call(ctx, 'catalog.services.list', { includeArchived: true })).count
    expect((await callError(ctx, 'catalog.services.addStarter', {})).code).toBe('FORBIDDEN')
    expect((await call(ctx, 'catalog.services.list', { includeArchived: true })).count).toBe(before)
  })
})
