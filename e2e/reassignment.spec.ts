import { expect, test } from '@playwright/test'
import { at, businessDay, ReassignReview, TeamPage } from './pages/weather-pages'
import { api, ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  // The seeded company, with the office manager as the laptop's user.
  await ensureBusiness(request)
})

test('time off for a crew member: review who takes their jobs, skip one, apply', async ({
  page,
  request,
}) => {
  const first = businessDay(10)
  const last = businessDay(12)
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
  const elm = await job('Elm Terrace', businessDay(11))
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
