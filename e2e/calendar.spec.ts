import { expect, test } from '@playwright/test'
import { AppointmentForm } from './pages/appointment-form'
import { CalendarPage } from './pages/calendar-page'
import { businessDay } from './pages/weather-pages'
import { api, type Business, book, ensureBusiness } from './support/api'

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
})

test('book from the calendar, then find it in the list and on the calendar', async ({
  page,
  request,
}) => {
  const cal = new CalendarPage(page)
  await cal.open('2027-03-01')
  await cal.showOnly('Ana Crew')
  await cal.selectRange('March 2, 2027', '9am', '10am')

  const form = new AppointmentForm(page)
  await expect(form.dialog).toBeVisible()
  await expect(form.dialog.getByLabel('Crew member')).toHaveValue(biz.anaId)
  await form.fill({
    client: 'Smith Residence',
    service: 'Lawn mowing (45 min)',
    notes: 'Booked from the calendar',
  })
  await form.submit()
  await expect(page.getByText('Appointment booked')).toBeVisible()
  await expect(cal.event('Smith Residence')).toBeVisible()

  const { results } = await api(request, 'appointments.list', {
    search: 'Booked from the calendar',
  })
  expect(results).toHaveLength(1)
  // 9:00 in Chicago on 2 March 2027 (CST), whatever the laptop's own zone.
  expect(results[0]).toMatchObject({
    scheduledAt: '2027-03-02T15:00:00.000Z',
    durationMinutes: 60,
    teamMemberId: biz.anaId,
  })

  // The day named, so the list holds it once that day is past too.
  await page.goto(
    '/#/appointments?search=Booked%20from%20the%20calendar&from=2027-03-02&to=2027-03-02',
  )
  const row = page.getByRole('row', { name: /Smith Residence/ })
  await expect(row).toContainText('Mar 2, 2027, 9:00 AM')
  await expect(row).toContainText('Ana Crew')
})

test('a new appointment starts on the day the calendar shows, at opening time', async ({
  page,
  request,
}) => {
  const { workingHours } = await api(request, 'settings.get', {})
  const cal = new CalendarPage(page)
  await cal.open('2027-03-01')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await expect(form.dialog.getByLabel('Start')).toHaveValue(`2027-03-01T${workingHours.start}`)
})

test("one crew member shown alone: their own hours are the day's opening", async ({
  page,
  request,
}) => {
  const name = `Lia Late ${Date.now() % 100_000}`
  await api(request, 'team.create', { name, workingHours: '09:30-15:00', workingDays: [1, 2, 3] })
  const cal = new CalendarPage(page)
  await cal.open('2027-03-01')
  await cal.showOnly(name)
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await expect(form.dialog.getByLabel('Start')).toHaveValue('2027-03-01T09:30')
})

test('a new appointment opened at night starts at the next opening, not at 3 AM', async ({
  page,
  request,
}) => {
  const { workingHours, timeZone } = await api(request, 'settings.get', {})
  expect([timeZone, workingHours.days.includes(2)]).toEqual(['America/Chicago', true])
  // 3 AM on a Tuesday in Chicago.
  await page.clock.install({ time: new Date('2027-03-02T09:00:00Z') })
  await page.goto('/#/appointments')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await expect(form.dialog.getByLabel('Start')).toHaveValue(`2027-03-02T${workingHours.start}`)
})

test('drag a job to another day: saved at once, still there after a reload', async ({
  page,
  request,
}) => {
  const a = await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2027-03-09T10:00:00-06:00',
  })
  const cal = new CalendarPage(page)
  await cal.open('2027-03-08')
  await cal.showOnly('Ana Crew')
  await cal.dragEventToDay('Jones HOA', 'March 10, 2027')
  await expect(page.getByText('Appointment moved')).toBeVisible()
  expect((await api(request, 'appointments.get', { id: a.id })).scheduledAt).toBe(
    '2027-03-10T16:00:00.000Z',
  )

  await page.reload()
  await cal.showOnly('Ana Crew')
  const event = (await cal.event('Jones HOA').boundingBox()) ?? { x: 0, width: 0 }
  const wed = (await cal.day('March 10, 2027').boundingBox()) ?? { x: -1, width: 0 }
  expect(event.x).toBeGreaterThanOrEqual(wed.x - 1)
  expect(event.x + event.width).toBeLessThanOrEqual(wed.x + wed.width + 1)
})

test('a double booking asks first: cancel puts it back, keep both saves it', async ({
  page,
  request,
}) => {
  const moving = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2027-03-16T10:00:00-05:00',
  })
  await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2027-03-17T10:00:00-05:00',
  })
  const cal = new CalendarPage(page)
  await cal.open('2027-03-15')
  await cal.showOnly('Ana Crew')

  await cal.dragEventToDay('Smith Residence', 'March 17, 2027')
  const prompt = page.getByRole('alertdialog', { name: 'Double booking' })
  await expect(prompt).toBeVisible()
  await expect(prompt).toContainText('Ana Crew is already booked 10:00 AM–10:45 AM')
  await expect(prompt).toContainText('Jones HOA, Lawn mowing')
  await prompt.getByRole('button', { name: 'Cancel' }).click()
  await expect(prompt).toBeHidden()
  expect((await api(request, 'appointments.get', { id: moving.id })).scheduledAt).toBe(
    moving.scheduledAt,
  )

  await cal.dragEventToDay('Smith Residence', 'March 17, 2027')
  await expect(prompt).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/conflict-prompt.png' })
  await prompt.getByRole('button', { name: 'Keep both' }).click()
  await expect(page.getByText('Appointment moved')).toBeVisible()
  expect((await api(request, 'appointments.get', { id: moving.id })).scheduledAt).toBe(
    '2027-03-17T15:00:00.000Z',
  )
})

test('the week and the month of a busy company', async ({ page }) => {
  const cal = new CalendarPage(page)
  await page.goto('/#/calendar')
  await expect(page.getByRole('button', { name: /Scheduled|Completed/ }).first()).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/calendar-week.png' })
  await cal.switchView('Month')
  await expect(page.getByRole('tab', { name: 'Month view' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(page.getByRole('button', { name: /Scheduled|Completed/ }).first()).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/calendar-month.png' })
})

test('the crew board: drag a job onto another crew member', async ({ page, request }) => {
  const job = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2027-03-23T10:00:00-05:00',
    notes: 'crew board',
  })
  await page.goto('/#/calendar?view=crew&date=2027-03-23')
  const card = page
    .getByRole('region', { name: "Ana Crew's day" })
    .getByRole('button', { name: /Smith Residence/ })
  await expect(card).toBeVisible()
  const lane = page.getByRole('region', { name: "Ben Crew's day" })
  const box = await card.boundingBox()
  // 10:00 is five hours below the board's first hour (5:00), at 72 px an hour.
  await card.dragTo(lane, { targetPosition: { x: 30, y: 5 * 72 + (box?.height ?? 0) / 2 } })
  await expect(page.getByText('Appointment moved')).toBeVisible()
  await expect(lane.getByRole('button', { name: /Smith Residence/ })).toBeVisible()
  const moved = await api(request, 'appointments.get', { id: job.id })
  expect(moved).toMatchObject({ teamMemberId: biz.benId, scheduledAt: '2027-03-23T15:00:00.000Z' })
  await page.screenshot({ path: 'docs/screenshots/crew-board.png' })
})

test("Day by crew opens on today from the week that holds it, on the week's first day from another", async ({
  page,
}) => {
  const layout = page.getByRole('tablist', { name: 'Calendar layout' })
  await page.goto('/#/calendar?view=timeGridWeek')
  await expect(page.getByRole('tab', { name: 'Week view' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await layout.getByRole('tab', { name: 'Day by crew' }).click()
  await expect(page).toHaveURL(new RegExp(`view=crew&date=${businessDay(0)}`))
  await page.goto('/#/calendar?view=timeGridWeek&date=2027-03-03')
  await expect(page.getByRole('tab', { name: 'Week view' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await layout.getByRole('tab', { name: 'Day by crew' }).click()
  await expect(page).toHaveURL(/view=crew&date=2027-03-01/)
})

test('from the day by crew, the Calendar tab opens the week and stays there', async ({ page }) => {
  await page.goto('/#/calendar?view=crew&date=2027-03-02')
  const layout = page.getByRole('tablist', { name: 'Calendar layout' })
  await expect(page.getByRole('region', { name: "Ana Crew's day" })).toBeVisible()
  for (const from of ['Day by crew', 'Week by crew'] as const) {
    await layout.getByRole('tab', { name: from }).click()
    await expect(layout.getByRole('tab', { name: from })).toHaveAttribute('aria-selected', 'true')
    await layout.getByRole('tab', { name: 'Calendar' }).click()
    await expect(page.getByRole('tab', { name: 'Week view' })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    await expect(layout.getByRole('tab', { name: 'Calendar' })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    await expect(page).toHaveURL(/view=timeGridWeek/)
  }
})
