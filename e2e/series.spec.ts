import { expect, test } from '@playwright/test'
import { describeDay, weekdayOf } from '../shared/domain/series-rule'
import { addDays, localDay, localToUtc } from '../shared/domain/time'
import { AppointmentForm } from './pages/appointment-form'
import { AppointmentsPage } from './pages/appointments-page'
import { api, book, ensureBusiness } from './support/api'

const ZONE = 'America/Chicago'
const CLIENT = 'Willow Weekly'

test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
  await api(request, 'clients.create', { name: CLIENT, address: '12 Meadow Lane' })
})

test('books a weekly series, changes the time from a visit on, and skips one visit', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const first = addDays(localDay(Date.now(), ZONE), 1)
  const until = addDays(first, 35)
  const list = new AppointmentsPage(page)
  await list.open()
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.fill({ client: CLIENT, service: 'Lawn mowing (45 min)' })
  await form.dialog.getByLabel('Start').fill(`${first}T08:30`)
  await form.dialog.getByLabel('Repeats').selectOption({ label: 'Weekly' })
  await form.dialog.getByLabel('Season ends').fill(until)
  await expect(form.dialog.getByText(/^Every week on \w+day, until /)).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/series.png' })
  await form.submit()
  await expect(page.getByText('6 visits booked')).toBeVisible()

  // The list shows the six visits, each part of the series.
  await list.open(`search=${encodeURIComponent(CLIENT)}&ordering=scheduled_date`)
  await expect(list.rows()).toHaveCount(6)
  const { results: booked } = await api(request, 'appointments.list', {
    search: CLIENT,
    ordering: 'scheduled_date',
  })
  expect(booked.every((a) => a.seriesId !== null)).toBe(true)

  // "This and following" from the third visit: 10:15 from then on.
  await list.rows().nth(2).getByRole('button').first().click()
  const details = page.getByRole('dialog', { name: `Lawn mowing for ${CLIENT}` })
  await expect(details.getByText(/^Every week on \w+day, /)).toBeVisible()
  await details.getByRole('button', { name: 'Edit' }).click()
  const start = form.dialog.getByLabel('Start')
  await start.fill(`${booked[2]?.seriesOccurrence}T10:15`)
  await form.submit()
  await page
    .getByRole('alertdialog', { name: 'Change which visits?' })
    .getByRole('button', { name: 'This and following' })
    .click()
  await expect(page.getByText('4 visits changed')).toBeVisible()

  // Skip the second visit.
  await list.rows().nth(1).getByRole('button').first().click()
  await details.getByRole('button', { name: 'Skip this visit' }).click()
  await expect(page.getByText('Visit skipped')).toBeVisible()

  const { results: after } = await api(request, 'appointments.list', {
    search: CLIENT,
    ordering: 'scheduled_date',
  })
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString('en-GB', {
      timeZone: ZONE,
      hour: '2-digit',
      minute: '2-digit',
    })
  expect(after.map((a) => time(a.scheduledAt))).toEqual([
    '08:30',
    '08:30',
    '10:15',
    '10:15',
    '10:15',
    '10:15',
  ])
  expect(after.map((a) => a.status)).toEqual([
    'scheduled',
    'cancelled',
    'scheduled',
    'scheduled',
    'scheduled',
    'scheduled',
  ])
  expect(after[1]?.seriesException).toBe(true)
  await expect(list.rows().nth(1)).toContainText(/cancelled/i)

  // A note from the fourth visit on...
  const scope = page.getByRole('alertdialog', { name: 'Change which visits?' })
  await list.rows().nth(3).getByRole('button').first().click()
  await details.getByRole('button', { name: 'Edit' }).click()
  await form.dialog.getByLabel('Notes').fill('Gate B')
  await form.submit()
  await scope.getByRole('button', { name: 'This and following' }).click()
  await expect(page.getByText('3 visits changed')).toBeVisible()
  // ...stays when the whole series is given another time from the first visit: only what
  // was changed there changes everywhere.
  await list.rows().nth(0).getByRole('button').first().click()
  await details.getByRole('button', { name: 'Edit' }).click()
  await start.fill(`${booked[0]?.seriesOccurrence}T08:45`)
  await form.submit()
  await scope.getByRole('button', { name: 'The whole series' }).click()
  await expect(page.getByText(/visits changed/).last()).toBeVisible()
  await expect
    .poll(async () => {
      const { results } = await api(request, 'appointments.list', {
        search: CLIENT,
        ordering: 'scheduled_date',
      })
      return results.map((a) => [time(a.scheduledAt), a.notes])
    })
    .toEqual([
      ['08:45', ''],
      ['08:30', ''],
      ['08:45', ''],
      ['08:45', 'Gate B'],
      ['08:45', 'Gate B'],
      ['08:45', 'Gate B'],
    ])
})

test('days to skip are picked on a calendar and listed in words before booking', async ({
  page,
  request,
}) => {
  const client = 'Skipper Lane'
  await api(request, 'clients.create', { name: client })
  const first = addDays(localDay(Date.now(), ZONE), 2)
  const second = addDays(first, 7)
  const third = addDays(first, 14)
  await page.goto('/#/appointments')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.fill({ client, service: 'Lawn mowing (45 min)' })
  await form.dialog.getByLabel('Start').fill(`${first}T09:00`)
  await form.dialog.getByLabel('Repeats').selectOption({ label: 'Weekly' })
  await form.dialog.getByLabel('Season ends').fill(addDays(first, 21))
  const skip = form.dialog.getByLabel('Skip these days')
  await expect(skip).toHaveAttribute('type', 'date')
  // The days as the form lists them, in words with the year.
  const words = (day: string) => describeDay(day, true)
  for (const day of [third, second]) {
    await skip.fill(day)
    await form.dialog.getByRole('button', { name: 'Skip this day' }).click()
  }
  const skipped = form.dialog.getByRole('list', { name: 'Days skipped' })
  await expect(skipped.getByRole('listitem')).toHaveText(
    [words(second), words(third)].map((w) => new RegExp(`^${w}`)),
  )
  // Changed one's mind about the third week.
  await skipped.getByRole('button', { name: `Book ${words(third)} after all` }).click()
  await expect(skipped.getByRole('listitem')).toHaveCount(1)
  await form.submit()
  await expect(page.getByText(/visits? booked/)).toBeVisible()

  const { results } = await api(request, 'appointments.list', {
    search: client,
    ordering: 'scheduled_date',
    limit: 10,
  })
  const byDay = Object.fromEntries(results.map((a) => [a.seriesOccurrence, a.status]))
  expect(byDay[first]).toBe('scheduled')
  expect(byDay[second] ?? 'not booked').not.toBe('scheduled')
  expect(byDay[third]).toBe('scheduled')
  const seriesVisit = results.find((a) => a.status === 'scheduled')
  if (seriesVisit) await api(request, 'series.end', { visitId: seriesVisit.id, scope: 'all' })
})

test('a series that double-books its crew lists each clash, one click from moving it', async ({
  page,
  request,
}) => {
  const biz = await ensureBusiness(request)
  // Ahead of other specs' jobs, inside the weeks a series books at once: Ana is booked
  // at the time of its second visit.
  const first = addDays(localDay(Date.now(), ZONE), 60)
  const second = addDays(first, 7)
  const [y, m, d] = second.split('-').map(Number) as [number, number, number]
  await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: new Date(
      localToUtc({ year: y, month: m, day: d, hour: 15, minute: 10 }, ZONE),
    ).toISOString(),
  })
  const list = new AppointmentsPage(page)
  await list.open()
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.fill({ client: CLIENT, service: 'Lawn mowing (45 min)', crew: 'Ana Crew' })
  await form.dialog.getByLabel('Start').fill(`${first}T15:10`)
  await form.dialog.getByLabel('Repeats').selectOption({ label: 'Weekly' })
  await form.dialog.getByLabel('Season ends').fill(addDays(first, 21))
  await form.submit()
  const review = page.getByRole('dialog', { name: '4 visits booked, 1 clash — review' })
  await expect(review).toContainText('Ana Crew is also booked')
  await review.getByRole('button', { name: /^Move or reassign the visit of / }).click()
  await expect(review).toBeHidden()
  // The clashing visit's edit form, on its day.
  await expect(form.dialog).toHaveAccessibleName('Edit appointment')
  await expect(form.dialog.getByLabel('Start')).toHaveValue(`${second}T15:10`)
  await form.dialog.getByRole('button', { name: 'Cancel' }).click()
})

test('a series repeats otherwise from a visit on, a visit moved to another day moves alone, and the series ends from a visit', async ({
  page,
  request,
}) => {
  const biz = await ensureBusiness(request)
  const client = 'Rhythm Row'
  const { id: clientId } = await api(request, 'clients.create', { name: client })
  const first = addDays(localDay(Date.now(), ZONE), 3)
  await api(request, 'series.create', {
    clientId,
    serviceId: biz.mowingId,
    rule: { kind: 'weekly', interval: 1, weekdays: [weekdayOf(first)] },
    startsOn: first,
    endsOn: addDays(first, 49),
    startTime: '09:00',
    skipDates: [],
  })
  const visits = async () =>
    (
      await api(request, 'appointments.list', {
        search: client,
        ordering: 'scheduled_date',
        status: ['scheduled'],
      })
    ).results.map((a) => localDay(Date.parse(a.scheduledAt), ZONE))
  expect(await visits()).toHaveLength(8)

  const list = new AppointmentsPage(page)
  const form = new AppointmentForm(page)
  const details = page.getByRole('dialog', { name: `Lawn mowing for ${client}` })
  const scope = page.getByRole('alertdialog', { name: 'Change which visits?' })
  await list.open(`search=${encodeURIComponent(client)}&ordering=scheduled_date`)
  await expect(list.rows()).toHaveCount(8)

  // From the third visit on, every two weeks: how it repeats is not a single visit's.
  await list.rows().nth(2).getByRole('button').first().click()
  await details.getByRole('button', { name: 'Edit' }).click()
  await expect(form.dialog.getByLabel('Repeats')).toHaveValue('weekly')
  await expect(form.dialog.getByLabel('Season ends')).toHaveValue(addDays(first, 49))
  await form.dialog.getByLabel('Repeats').selectOption({ label: 'Every N weeks' })
  await form.submit()
  await expect(scope.getByRole('button', { name: 'This visit' })).toHaveCount(0)
  await scope.getByRole('button', { name: 'This and following' }).click()
  await expect(page.getByText(/visits? removed/)).toBeVisible()
  await expect.poll(visits).toEqual([0, 7, 14, 28, 42].map((n) => addDays(first, n)))

  // The second visit moved a day later: that visit alone, no question asked.
  await list.rows().nth(1).getByRole('button').first().click()
  await details.getByRole('button', { name: 'Edit' }).click()
  await form.dialog.getByLabel('Start').fill(`${addDays(first, 8)}T09:00`)
  await form.submit()
  await expect(page.getByText('Visit moved: the rest of the series keeps its days')).toBeVisible()
  await expect.poll(visits).toEqual([0, 8, 14, 28, 42].map((n) => addDays(first, n)))

  // Ended from the fourth visit: it and the ones after it go, the rest stay.
  await list.rows().nth(3).getByRole('button').first().click()
  await details.getByRole('button', { name: 'End the series here' }).click()
  await page
    .getByRole('alertdialog', { name: 'End the series here?' })
    .getByRole('button', { name: 'End the series' })
    .click()
  await expect(page.getByText('Series ended: 2 visits removed')).toBeVisible()
  await expect.poll(visits).toEqual([0, 8, 14].map((n) => addDays(first, n)))
})

test('a monthly series on the 31st says that months without one have no visit', async ({
  page,
}) => {
  await page.goto('/#/appointments')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.dialog.getByLabel('Start').fill('2031-01-31T09:00')
  await form.dialog.getByLabel('Repeats').selectOption({ label: 'Monthly on day 31' })
  await expect(form.dialog.getByText(/A month with no day 31 has no visit\./)).toBeVisible()
  await form.dialog.getByLabel('Start').fill('2031-01-28T09:00')
  await expect(form.dialog.getByText(/has no visit/)).toHaveCount(0)
})
