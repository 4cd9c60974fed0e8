import { expect, test } from '@playwright/test'
import { CrewCalendar } from './pages/crew-pages'
import { at, businessDay, ReassignReview, TeamPage, workingDays } from './pages/weather-pages'
import { api, ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  // The seeded company, with the office manager as the laptop's user.
  await ensureBusiness(request)
})

test('time off for a crew member: review who takes their jobs, skip one, apply', async ({
  page,
  request,
}) => {
  const [first, second, last] = workingDays(10, 3) as [string, string, string]
  const service = await api(request, 'catalog.services.create', {
    name: 'Hedge shaping',
    basePrice: '80.00',
    durationMinutes: 90,
  })
  const rita = await api(request, 'team.create', {
    name: 'Rita Reassign',
    color: '#ad1457',
    specialtyIds: [service.id],
  })
  const sam = await api(request, 'team.create', {
    name: 'Sam Standby',
    color: '#283593',
    specialtyIds: [service.id],
  })
  const job = async (name: string, day: string) => {
    const client = await api(request, 'clients.create', { name })
    const { appointment } = await api(request, 'appointments.create', {
      clientId: client.id,
      serviceId: service.id,
      teamMemberId: rita.id,
      scheduledAt: at(day, 9),
      acceptConflict: true,
    })
    return appointment
  }
  const oak = await job('Oak Court', first)
  const elm = await job('Elm Terrace', second)
  const ash = await job('Ash Lane', last)

  const team = new TeamPage(page)
  await team.open()
  await team.addTimeOff('Rita Reassign', first, last, 'Holiday')
  await expect(page.getByText('Time off added for Rita Reassign')).toBeVisible()

  // Straight to the review, with the plan that came back: Sam, at the same times.
  const review = new ReassignReview(page)
  await expect(page.getByRole('heading', { name: "Reassign Rita Reassign's jobs" })).toBeVisible()
  for (const client of ['Oak Court', 'Elm Terrace', 'Ash Lane']) {
    await expect(review.row(client)).toContainText('Sam Standby')
    await expect(review.row(client)).toContainText('Same time, another crew member')
  }
  await review.skip('Elm Terrace')
  await expect(review.row('Elm Terrace')).toContainText('Skipped: stays as it is')
  await page.screenshot({ path: 'docs/screenshots/reassign-review.png' })
  await review.apply()

  const summary = page.getByRole('region', { name: 'Plan applied' })
  await expect(summary).toContainText('2 jobs have a new crew member or day')
  await expect(summary).toContainText('1 job skipped: still with Rita Reassign')
  const moved = (id: string) => api(request, 'appointments.get', { id })
  expect(await moved(oak.id)).toMatchObject({ teamMemberId: sam.id, scheduledAt: oak.scheduledAt })
  expect(await moved(ash.id)).toMatchObject({ teamMemberId: sam.id, scheduledAt: ash.scheduledAt })
  expect(await moved(elm.id)).toMatchObject({ teamMemberId: rita.id, scheduledAt: elm.scheduledAt })

  // The team screen lists the time off; opened by its address, a fresh plan has only
  // the skipped job left.
  await summary.getByRole('link', { name: 'Back to the team' }).click()
  await expect(
    team.card('Rita Reassign').getByRole('list', { name: "Rita Reassign's time off" }),
  ).toContainText('Holiday')
  await page.goto(`/#/team?reassign=${rita.id}&from=${first}&to=${last}`)
  await expect(review.row('Elm Terrace')).toBeVisible()
  await expect(review.moves.getByRole('row')).toHaveCount(2)
})

test('archiving a crew member with jobs to come opens the plan; a job left stays in sight', async ({
  page,
  request,
}) => {
  const [first, last] = workingDays(15, 2) as [string, string]
  const service = await api(request, 'catalog.services.create', {
    name: 'Pond clearing',
    basePrice: '120.00',
    durationMinutes: 60,
  })
  const zed = await api(request, 'team.create', {
    name: 'Zed Outgoing Crew',
    specialtyIds: [service.id],
  })
  await api(request, 'team.create', { name: 'Zoe Takeover Crew', specialtyIds: [service.id] })
  const job = async (name: string, day: string) => {
    const client = await api(request, 'clients.create', { name })
    return (
      await api(request, 'appointments.create', {
        clientId: client.id,
        serviceId: service.id,
        teamMemberId: zed.id,
        scheduledAt: at(day, 10),
        acceptConflict: true,
      })
    ).appointment
  }
  await job('Birch Row', first)
  const kept = await job('Cedar Close', last)

  const team = new TeamPage(page)
  await team.open()
  await team
    .card('Zed Outgoing Crew')
    .getByRole('button', { name: 'Archive Zed Outgoing Crew' })
    .click()
  const ask = page.getByRole('alertdialog', { name: 'Archive Zed Outgoing Crew?' })
  await expect(ask).toContainText('Zed Outgoing Crew still has 2 jobs to come, the last on')
  await page.screenshot({ path: 'test-results/archive-member.png' })
  await ask.getByRole('button', { name: 'Archive and reassign' }).click()

  const review = new ReassignReview(page)
  await expect(
    page.getByRole('heading', { name: "Reassign Zed Outgoing Crew's jobs" }),
  ).toBeVisible()
  await expect(page.getByText(/^Archived: every job to come needs someone else/)).toBeVisible()
  await expect(review.row('Birch Row')).toContainText('Zoe Takeover Crew')
  await review.skip('Cedar Close')
  await review.apply()
  await expect(page.getByRole('region', { name: 'Plan applied' })).toContainText(
    '1 job skipped: still with Zed Outgoing Crew',
  )

  // Off the team list unless asked for, with Restore there.
  await team.open()
  await expect(team.card('Zed Outgoing Crew')).toHaveCount(0)
  await page.getByRole('checkbox', { name: 'Show archived' }).check()
  await expect(team.card('Zed Outgoing Crew')).toContainText('Archived')
  await expect(
    team.card('Zed Outgoing Crew').getByRole('button', { name: 'Restore Zed Outgoing Crew' }),
  ).toBeVisible()
  // The skipped job is not forgotten: the card says it is still theirs, and leads back.
  await expect(team.card('Zed Outgoing Crew')).toContainText(
    '1 job to come still with Zed Outgoing Crew.',
  )
  await team.card('Zed Outgoing Crew').getByRole('link', { name: 'Hand them over' }).click()
  await expect(review.row('Cedar Close')).toContainText('Zoe Takeover Crew')
  await expect(review.row('Birch Row')).toHaveCount(0)

  // The job left with them is not lost from the day by crew: it has a lane of its own.
  const cal = new CrewCalendar(page)
  await cal.openDay(last)
  const lane = page.getByRole('region', { name: 'Unassigned jobs' })
  await expect(lane).toContainText('Cedar Close')
  await lane.scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/unassigned-lane.png' })
  await cal.openWeek(last)
  await expect(cal.week.getByRole('row', { name: /^Unassigned/ })).toContainText('Cedar Close')
  expect((await api(request, 'appointments.get', { id: kept.id })).teamMemberId).toBe(zed.id)
})

test('time off until further notice is planned four weeks at a time, from today', async ({
  page,
  request,
}) => {
  const service = await api(request, 'catalog.services.create', {
    name: 'Pond cleaning',
    basePrice: '120.00',
    durationMinutes: 60,
  })
  const omar = await api(request, 'team.create', {
    name: 'Omar Open',
    specialtyIds: [service.id],
  })
  await api(request, 'team.create', { name: 'Nia Nearby', specialtyIds: [service.id] })
  const job = async (name: string, day: string) => {
    const client = await api(request, 'clients.create', { name })
    await api(request, 'appointments.create', {
      clientId: client.id,
      serviceId: service.id,
      teamMemberId: omar.id,
      scheduledAt: at(day, 10),
      acceptConflict: true,
    })
  }
  await job('Soon Pond', businessDay(20))
  await job('Later Pond', businessDay(35))
  // Off since ten days ago, until further notice.
  await api(request, 'team.timeOff.add', {
    teamMemberId: omar.id,
    startsOn: businessDay(-10),
    endsOn: null,
    reason: 'Sick',
  })
  const team = new TeamPage(page)
  await team.open()
  await page.getByLabel('Search team').fill('Omar Open')
  await team.card('Omar Open').getByRole('link', { name: 'Review jobs' }).click()
  const review = new ReassignReview(page)
  // The next four weeks from today (not from its first day): the job in twenty days, not
  // the one in five weeks.
  await expect(review.row('Soon Pond')).toContainText('Nia Nearby')
  await expect(review.row('Later Pond')).toHaveCount(0)
  await page.getByRole('link', { name: 'plan the 4 weeks after' }).click()
  await expect(review.row('Later Pond')).toContainText('Nia Nearby')
  await expect(review.row('Soon Pond')).toHaveCount(0)
})
