import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore } from '../app-core'
import type { AppContext } from '../context'
import { sourceResources } from '../paths'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore, tempDir } from '../test/helpers'

/** Catalog, clients, team and session: the records the schedule is made of. */
let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
})
afterAll(() => ctx.db.close())

describe('catalog', () => {
  it('lists active services by name, hides archived ones unless asked, and restores them', async () => {
    const active = await call(ctx, 'catalog.services.list', {})
    expect(active.results.map((s) => s.name)).toEqual(['Lawn mowing', 'Tree pruning'])
    const all = await call(ctx, 'catalog.services.list', { includeArchived: true })
    expect(all.count).toBe(3)
    const restored = await call(ctx, 'catalog.services.archive', {
      id: f.retired.id,
      archived: false,
    })
    expect(restored.isActive).toBe(true)
    await call(ctx, 'catalog.services.archive', { id: f.retired.id })
  })

  it('orders by priority and price', async () => {
    const byPriority = await call(ctx, 'catalog.services.list', { ordering: '-priority' })
    expect(byPriority.results[0]?.name).toBe('Tree pruning')
    const byPrice = await call(ctx, 'catalog.services.list', { ordering: 'price' })
    expect(byPrice.results.map((s) => s.basePrice)).toEqual(['55.00', '350.00'])
  })

  it('updates prices exactly and refuses a duplicate name with CONFLICT', async () => {
    const updated = await call(ctx, 'catalog.services.update', {
      id: f.mowing.id,
      basePrice: '57.5',
    })
    expect(updated.basePrice).toBe('57.50')
    const dup = await callError(ctx, 'catalog.services.create', {
      name: 'Tree pruning',
      basePrice: '1',
      durationMinutes: 30,
    })
    expect(dup.code).toBe('CONFLICT')
    expect(dup.message).toBe('Another service already has this name')
    // Said on the field, as the form shows it.
    expect(dup.issues).toEqual([
      { path: 'name', message: 'is already the name of another service' },
    ])
  })

  it('manages products with units and prices', async () => {
    const p = await call(ctx, 'catalog.products.create', {
      name: 'Pine straw',
      unit: 'bale',
      unitPrice: '9.5',
    })
    expect(p).toMatchObject({ unit: 'bale', unitPrice: '9.50', isActive: true })
    await call(ctx, 'catalog.products.archive', { id: p.id })
    const list = await call(ctx, 'catalog.products.list', { search: 'straw' })
    expect(list.count).toBe(0)
  })
})

describe('clients', () => {
  it('searches by name, email, phone and address', async () => {
    expect(
      (await call(ctx, 'clients.list', { search: 'SMITH@' })).results.map((c) => c.id),
    ).toEqual([f.smith.id])
    expect((await call(ctx, 'clients.list', { search: 'jones' })).results.map((c) => c.id)).toEqual(
      [f.jones.id],
    )
  })

  it('finds every word typed, wherever each is, as the catalog and team lists do', async () => {
    const dental = await call(ctx, 'clients.create', {
      name: 'Jensen Dental',
      address: '4 Harbor Road',
    })
    const ids = async (search: string) =>
      (await call(ctx, 'clients.list', { search })).results.map((c) => c.id)
    expect(await ids('jens dental')).toEqual([dental.id])
    expect(await ids('dental, harbor')).toEqual([dental.id])
    expect(await ids('jens smith')).toEqual([])
    expect(await ids('"jensen dental"')).toEqual([dental.id])
    // A postcode, and a phone number however it is spaced or dashed.
    const cedar = await call(ctx, 'clients.create', {
      name: 'Cedar Lane',
      address: '5765 Cedar Ln',
      postalCode: '60566',
      phone: '(312) 555-1557',
    })
    expect(await ids('60566')).toEqual([cedar.id])
    expect(await ids('5551557')).toEqual([cedar.id])
    expect(await ids('312 555 1557')).toEqual([cedar.id])
    expect(await ids('555-1557')).toEqual([cedar.id])
    await call(ctx, 'clients.archive', { id: cedar.id })
    const services = await call(ctx, 'catalog.services.list', { search: 'lawn mow' })
    expect(services.results.map((s) => s.id)).toContain(f.mowing.id)
    const team = await call(ctx, 'team.list', { search: 'ana crew' })
    expect(team.results.map((m) => m.id)).toEqual([f.ana.id])
    await call(ctx, 'clients.archive', { id: dental.id })
  })

  it('puts first the clients whose name starts a word with each word typed', async () => {
    const made = []
    for (const c of [
      { name: 'Chen Church', email: 'victor.chen@example.com' },
      { name: 'Avictoria Osborne' },
      { name: "Victor O'Brien" },
      { name: 'Olga Victorsen' },
    ])
      made.push(await call(ctx, 'clients.create', c))
    const names = async (search: string, ordering?: 'name' | '-created') =>
      (await call(ctx, 'clients.list', { search, ...(ordering ? { ordering } : {}) })).results.map(
        (c) => c.name,
      )
    // Word starts (by name), then names holding the words, then other fields.
    expect(await names('Victor O')).toEqual([
      'Olga Victorsen',
      "Victor O'Brien",
      'Avictoria Osborne',
      'Chen Church',
    ])
    expect(await names("victor o'b")).toEqual(["Victor O'Brien"])
    // Another order asked for is kept as asked.
    expect(await names('victor', '-created')).toEqual([
      'Olga Victorsen',
      "Victor O'Brien",
      'Avictoria Osborne',
      'Chen Church',
    ])
    for (const c of made) await call(ctx, 'clients.archive', { id: c.id })
  })

  it('archives a client out of the list and out of booking, keeping it readable', async () => {
    const c = await call(ctx, 'clients.create', { name: 'Gone Away', email: '' })
    expect(c.email).toBeNull()
    await call(ctx, 'clients.archive', { id: c.id })
    expect((await call(ctx, 'clients.list', { search: 'gone' })).count).toBe(0)
    expect((await call(ctx, 'clients.get', { id: c.id })).archived).toBe(true)
    const booking = await callError(ctx, 'appointments.create', {
      clientId: c.id,
      serviceId: f.mowing.id,
      scheduledAt: '2026-10-01T14:00:00Z',
    })
    expect(booking.code).toBe('NOT_FOUND')
    expect((await callError(ctx, 'clients.update', { id: c.id, name: 'Back' })).code).toBe(
      'CONFLICT',
    )
  })

  it('takes an opt-in to texts only with a number in international form', async () => {
    const local = await callError(ctx, 'clients.create', {
      name: 'Local Number',
      phone: '(415) 555-0123',
      notifySms: true,
    })
    expect(local.code).toBe('VALIDATION')
    expect(local.issues).toEqual([
      {
        path: 'phone',
        message: 'needs + and the country code for text messages, such as +1 415 555 0100',
      },
    ])
    // Kept for calling while texts are off; an edit of anything else is not refused.
    const c = await call(ctx, 'clients.create', { name: 'Local Number', phone: '(415) 555-0123' })
    await call(ctx, 'clients.update', { id: c.id, notes: 'gate code 1234' })
    const optIn = await callError(ctx, 'clients.update', { id: c.id, notifySms: true })
    expect(optIn.issues?.[0]?.path).toBe('phone')
    const cleared = await call(ctx, 'clients.update', {
      id: c.id,
      phone: '+1 415 555 0123',
      notifySms: true,
    })
    expect(cleared.notifySms).toBe(true)
    const dropped = await callError(ctx, 'clients.update', { id: c.id, phone: '' })
    expect(dropped.issues?.[0]?.message).toBe('is needed for text messages (or turn texts off)')
    expect((await call(ctx, 'clients.get', { id: c.id })).phone).toBe('+1 415 555 0123')
  })
})

describe('team', () => {
  it('finds who can do a service and who is available', async () => {
    const mowers = await call(ctx, 'team.list', { serviceId: f.mowing.id })
    expect(mowers.results.map((m) => m.name)).toEqual(['Ana Crew'])
    const available = await call(ctx, 'team.list', { availableOnly: true })
    expect(available.results.map((m) => m.name)).not.toContain('Ben Crew')
  })

  it('tells a member off today from one marked unavailable, for screens showing other days', async () => {
    const today = new Date().toISOString().slice(0, 10)
    await call(ctx, 'team.timeOff.add', {
      teamMemberId: f.ana.id,
      startsOn: today,
      endsOn: today,
      reason: 'Dentist',
    })
    const ana = await call(ctx, 'team.get', { id: f.ana.id })
    // Off today (time off, in the business's zone, may start a day either side of UTC).
    expect(ana.markedAvailable).toBe(true)
    const ben = await call(ctx, 'team.get', { id: f.ben.id })
    expect(ben).toMatchObject({ isAvailable: false, markedAvailable: false })
  })

  it('sets specialties and availability', async () => {
    const m = await call(ctx, 'team.setSpecialties', {
      id: f.ben.id,
      serviceIds: [f.mowing.id, f.pruning.id],
    })
    expect([...m.specialtyIds].sort()).toEqual([f.mowing.id, f.pruning.id].sort())
    expect(
      (await call(ctx, 'team.setAvailability', { id: f.ben.id, isAvailable: true })).isAvailable,
    ).toBe(true)
    const bad = await callError(ctx, 'team.setSpecialties', {
      id: f.ben.id,
      serviceIds: [f.mowing.id, f.mowing.id],
    })
    expect(bad.code).toBe('VALIDATION')

    // A removed specialty is kept as a tombstone (it syncs) and no longer counts.
    await call(ctx, 'team.setSpecialties', { id: f.ben.id, serviceIds: [f.mowing.id] })
    expect((await call(ctx, 'team.get', { id: f.ben.id })).specialtyIds).toEqual([f.mowing.id])
    const booked = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.pruning.id,
      teamMemberId: f.ben.id,
      scheduledAt: '2026-06-01T15:00:00Z',
    })
    expect(booked.warnings.map((w) => w.code)).toContain('MISSING_SPECIALTY')
    const { rows } = await ctx.db.pg.query(
      'SELECT deleted_at FROM team_member_specialties WHERE team_member_id = $1 AND service_id = $2',
      [f.ben.id, f.pruning.id],
    )
    expect(rows).toHaveLength(1)
  })
})

describe('working hours', () => {
  it("keeps a member's own hours and days, or the business's when cleared", async () => {
    const cara = await call(ctx, 'team.create', {
      name: 'Cara Crew',
      workingHours: '08:00-12:00',
      workingDays: [3, 1, 2],
    })
    expect(cara).toMatchObject({ workingHours: '08:00-12:00', workingDays: [1, 2, 3] })
    const { rows } = await ctx.db.pg.query(
      'SELECT working_hours, working_days FROM team_members WHERE id = $1',
      [cara.id],
    )
    expect(rows[0]).toEqual({ working_hours: '08:00-12:00', working_days: '1,2,3' })
    const cleared = await call(ctx, 'team.update', { id: cara.id, workingHours: null })
    expect(cleared).toMatchObject({ workingHours: null, workingDays: [1, 2, 3] })
    const back = await call(ctx, 'team.update', { id: cara.id, workingDays: null })
    expect(back).toMatchObject({ workingHours: null, workingDays: null })
  })

  it('refuses hours that end before they start and lists of days that make no sense', async () => {
    const m = await call(ctx, 'team.create', { name: 'Dan Crew', workingHours: '07:00-16:00' })
    for (const bad of [
      { workingHours: '16:00-07:00' },
      { workingHours: '7-4' },
      { workingDays: [] },
      { workingDays: [1, 1] },
      { workingDays: [7] },
    ]) {
      const error = await callError(ctx, 'team.update', { id: m.id, ...bad })
      expect(error.code, JSON.stringify(bad)).toBe('VALIDATION')
    }
    expect(await call(ctx, 'team.get', { id: m.id })).toMatchObject({
      workingHours: '07:00-16:00',
      workingDays: null,
    })
    // Each refusal says the one thing wrong: the time pickers cannot write a malformed
    // range, only a backwards one.
    const issues = async (workingHours: string) =>
      (await callError(ctx, 'team.update', { id: m.id, workingHours })).issues?.map(
        (i) => i.message,
      )
    expect(await issues('16:00-07:00')).toEqual(['must end after they start'])
    expect(await issues('7-4')).toEqual(['must be hours such as 07:00-16:00'])
  })

  it('warns (and books) a job outside the crew member’s hours', async () => {
    const eve = await call(ctx, 'team.create', {
      name: 'Eve Crew',
      specialtyIds: [f.mowing.id],
      workingHours: '08:00-12:00',
      workingDays: [1, 2, 3],
    })
    const book = (scheduledAt: string) =>
      call(ctx, 'appointments.create', {
        clientId: f.smith.id,
        serviceId: f.mowing.id,
        teamMemberId: eve.id,
        scheduledAt,
        durationMinutes: 60,
        acceptConflict: true,
      })
    // Tuesday 2 June 2026, in Chicago (CDT, UTC-5): 9:00 is inside, 11:30 runs past noon,
    // and Thursday is not one of her days.
    expect((await book('2026-06-02T14:00:00Z')).warnings).toEqual([])
    const late = await book('2026-06-02T16:30:00Z')
    expect(late.warnings).toEqual([
      {
        code: 'OUTSIDE_HOURS',
        message:
          "This time is outside Eve Crew's working hours (8:00 AM to 12:00 PM, Monday to Wednesday)",
      },
    ])
    expect(late.appointment.id).toBeTruthy()
    const thursday = await book('2026-06-04T14:00:00Z')
    expect(thursday.warnings.map((w) => w.code)).toEqual(['OUTSIDE_HOURS'])
    // Moved back inside her hours, the change carries no such warning.
    const moved = await call(ctx, 'appointments.update', {
      id: thursday.appointment.id,
      scheduledAt: '2026-06-03T15:00:00Z',
      acceptConflict: true,
    })
    expect(moved.warnings).toEqual([])
    // Off that Thursday: the time off is said, and her hours add nothing to it.
    await call(ctx, 'team.timeOff.add', {
      teamMemberId: eve.id,
      startsOn: '2026-06-04',
      endsOn: '2026-06-04',
      reason: 'Dentist',
    })
    expect((await book('2026-06-04T20:00:00Z')).warnings).toEqual([
      { code: 'UNAVAILABLE', message: 'Eve Crew is off on Thu, Jun 4 (Dentist)' },
    ])
  })
})

describe('session', () => {
  it('refuses changes until someone is chosen, and remembers a crew lead across restarts', async () => {
    const dataDir = tempDir()
    try {
      const first = await openCore({
        dataDir: dataDir.path,
        resources: sourceResources(),
        version: 't',
      })
      expect(await call(first, 'session.get', {})).toMatchObject({
        user: null,
        setupRequired: true,
      })
      const { user } = await call(first, 'session.createUser', {
        name: 'Owner',
        role: 'admin',
        pin: TEST_PIN,
      })
      expect((await call(first, 'session.get', {})).user?.id).toBe(user.id)
      const crew = await call(first, 'team.create', { name: 'Field Crew' })
      const lead = await call(first, 'session.createUser', {
        name: 'Lead',
        role: 'crew_lead',
        teamMemberId: crew.id,
      })
      await call(first, 'session.switch', { userId: lead.user.id })
      await first.db.close()
      const second = await openCore({
        dataDir: dataDir.path,
        resources: sourceResources(),
        version: 't',
      })
      expect((await call(second, 'session.get', {})).user?.name).toBe('Lead')
      await second.db.close()
    } finally {
      dataDir.cleanup()
    }
  })

  it('requires a crew for a crew lead and admin rights to add users', async () => {
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    expect(
      (await callError(ctx, 'session.createUser', { name: 'No Crew', role: 'crew_lead' })).code,
    ).toBe('VALIDATION')
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    expect((await callError(ctx, 'session.createUser', { name: 'X', role: 'admin' })).code).toBe(
      'FORBIDDEN',
    )
  })
})
