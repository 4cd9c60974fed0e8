import { expect, test } from '@playwright/test'
import { AppointmentForm } from './pages/appointment-form'
import { CrewCalendar } from './pages/crew-pages'
import { api, book, ensureBusiness } from './support/api'

/**
 * A business with 25 crews on one Tuesday: the day by crew (a column each, names and
 * hours in view while it scrolls both ways, tiles readable) and the week by crew, at a
 * small laptop's size and a desktop's.
 */
// A Tuesday beyond the seeded data's years (no demo job on it); Chicago is on CDT (UTC-5).
const DAY = '2031-04-08'
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
]
let crew: { id: string; name: string }[] = []

test.beforeAll(async ({ request }, info) => {
  info.setTimeout(120_000)
  await ensureBusiness(request)
  const team = await api(request, 'team.list', { limit: 100 })
  // The demo company's own crews: Ana and Ben belong to the other specs.
  crew = team.results
    .filter((m) => !m.name.endsWith(' Crew'))
    .slice(0, 25)
    .map((m) => ({ id: m.id, name: m.name }))
  expect(crew).toHaveLength(25)
  // One is marked unavailable on Team: greyed all day, as time off is.
  await api(request, 'team.setAvailability', { id: crew[4]?.id ?? '', isAvailable: false })
  const booked = await api(request, 'appointments.list', { search: 'crew-calendar', limit: 1 })
  if (booked.count > 0) return
  const clients = (await api(request, 'clients.list', { limit: 60 })).results
  const services = (await api(request, 'catalog.services.list', { limit: 100 })).results
  // Three jobs a day each: early, mid-morning and after lunch, services in turn.
  for (const [i, m] of crew.entries()) {
    const starts = [`0${7 + (i % 3)}:${i % 2 ? '30' : '00'}`, '10:30', `1${3 + (i % 2)}:00`]
    for (const [k, time] of starts.entries()) {
      const client = clients[(i * 3 + k) % clients.length]
      const service = services[(i + k) % services.length]
      if (!client || !service) throw new Error('the demo company has no clients or services')
      await book(request, {
        clientId: client.id,
        serviceId: service.id,
        teamMemberId: m.id,
        scheduledAt: `${DAY}T${time}:00-05:00`,
        durationMinutes: k === 1 ? 90 : 60,
        notes: 'crew-calendar',
      })
    }
  }
  // One works short days, one is off that day, one does not work Tuesdays.
  const [, short, away, parttime] = crew
  if (!short || !away || !parttime) throw new Error('too few crews')
  await api(request, 'team.update', { id: short.id, workingHours: '09:00-15:00' })
  await api(request, 'team.timeOff.add', {
    teamMemberId: away.id,
    startsOn: DAY,
    endsOn: DAY,
    reason: 'dentist',
  })
  await api(request, 'team.update', { id: parttime.id, workingDays: [1, 3, 5] })
})

for (const size of SIZES) {
  test(`the day by crew at ${size.width} x ${size.height}`, async ({ page }) => {
    await page.setViewportSize(size)
    const cal = new CrewCalendar(page)
    await cal.openDay(DAY)
    const first = crew[0]
    const last = crew.at(-1)
    if (!first || !last) throw new Error('no crew')

    // Opens at the business's opening time, the first crews' names on top.
    await expect(cal.label('7 AM')).toBeInViewport()
    await expect(cal.head(first.name)).toBeInViewport()
    await expect(cal.label('5 AM')).not.toBeInViewport()

    // A job tile: time, client and service, none of them cut off, at least 140 px wide.
    const tile = cal.lane(first.name).getByRole('button').first()
    await expect(tile).toBeInViewport()
    const fit = await tile.evaluate((el) => ({
      width: el.getBoundingClientRect().width,
      lines: [...el.children].map((c) => ({
        text: (c.textContent ?? '').trim(),
        cut: c.scrollWidth > c.clientWidth + 1,
        shown: c.getBoundingClientRect().bottom <= el.getBoundingClientRect().bottom + 1,
      })),
    }))
    expect(fit.width).toBeGreaterThanOrEqual(130)
    expect(fit.lines).toHaveLength(3)
    for (const line of fit.lines) expect(line, JSON.stringify(fit)).toMatchObject({ shown: true })
    expect(fit.lines[0]?.text).toMatch(/^\d{1,2}(:\d{2})?[–\s]/)
    expect(fit.lines[1]?.cut, fit.lines[1]?.text).toBe(false)

    // The member off, the one on short hours and the one who does not work Tuesdays.
    await expect(cal.lane(crew[2]?.name ?? '')).toHaveAccessibleName(/\(off\)$/)
    await expect(cal.head(crew[2]?.name ?? '')).toContainText('Off: dentist')
    await expect(cal.head(crew[1]?.name ?? '')).toContainText('9 AM – 3 PM')
    await expect(cal.lane(crew[3]?.name ?? '')).toHaveAccessibleName(/\(day off\)$/)
    await expect(cal.lane(crew[4]?.name ?? '')).toHaveAccessibleName(/\(unavailable\)$/)
    await expect(cal.head(crew[4]?.name ?? '')).toContainText('Unavailable')
    // No "+N more" strips: every job of the day is its own tile.
    await expect(page.getByText(/^\+\d+/)).toHaveCount(0)
    await page.screenshot({ path: `docs/screenshots/day-by-crew-${size.width}.png` })

    // Scrolled right to the last crew and down to the evening: names and hours stay.
    await cal.scrollToEnd(cal.board)
    await expect(cal.head(last.name)).toBeInViewport()
    await expect(cal.label('9 PM')).toBeInViewport()
    const grid = await cal.board.boundingBox()
    const name = await cal.head(last.name).boundingBox()
    const hour = await cal.label('9 PM').boundingBox()
    if (!grid || !name || !hour) throw new Error('board not drawn')
    expect(name.y - grid.y).toBeLessThan(20) // the names row, at the top
    expect(hour.x - grid.x).toBeLessThan(64) // the hours column, at the left
    await expect(cal.head(first.name)).not.toBeInViewport()
  })

  test(`the week by crew at ${size.width} x ${size.height}`, async ({ page }) => {
    await page.setViewportSize(size)
    const cal = new CrewCalendar(page)
    await page.goto(`/#/calendar?view=timeGridWeek&date=${DAY}`)
    await page.getByRole('tab', { name: 'Week by crew' }).click()
    await expect(cal.week).toBeVisible()
    const first = crew[0]
    if (!first) throw new Error('no crew')
    const row = cal.row(first.name)
    // The Tuesday: that member's three jobs, time and client.
    const tuesday = row.getByRole('cell').nth(1)
    await expect(tuesday.getByRole('button', { name: /^\d{1,2}(:\d{2})? [AP]M / })).toHaveCount(3)
    await expect(
      cal
        .row(crew[2]?.name ?? '')
        .getByRole('cell')
        .nth(1),
    ).toContainText('Off: dentist')
    await expect(
      cal
        .row(crew[3]?.name ?? '')
        .getByRole('cell')
        .nth(1),
    ).toContainText('Day off')
    await expect(
      cal
        .row(crew[4]?.name ?? '')
        .getByRole('cell')
        .nth(1),
    ).toContainText('Unavailable')
    await page.screenshot({ path: `docs/screenshots/week-by-crew-${size.width}.png` })
    // On a wide screen the whole week fits: no sideways scroll for the last day.
    if (size.width >= 1440)
      expect(await cal.week.locator('..').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(
        true,
      )

    // A job opens its details.
    await tuesday.getByRole('button', { name: /^7 AM / }).click()
    const details = page.getByRole('dialog')
    await expect(details).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(details).toBeHidden()

    // An empty stretch books for that member and day, at their opening time.
    await row.getByRole('button', { name: `Book ${first.name} on Thu, Apr 10` }).click()
    const form = new AppointmentForm(page)
    await expect(form.dialog).toBeVisible()
    await expect(form.dialog.getByLabel('Crew member')).toHaveValue(first.id)
    await expect(form.dialog.getByLabel('Start')).toHaveValue('2031-04-10T07:00')

    // Names stay at the left and days on top when the week scrolls.
    await page.keyboard.press('Escape')
    await cal.scrollToEnd(cal.week)
    const box = await cal.week.locator('..').boundingBox()
    const last = crew.at(-1)?.name ?? ''
    await expect(cal.week.getByRole('rowheader', { name: last })).toBeInViewport()
    const head = await cal.week.getByRole('columnheader', { name: 'Sun, Apr 13' }).boundingBox()
    if (!box || !head) throw new Error('week not drawn')
    expect(head.y - box.y).toBeLessThan(4)
  })
}

test('the day view is the crew board for everyone, one crew’s day for one member', async ({
  page,
}) => {
  const cal = new CrewCalendar(page)
  await page.goto(`/#/calendar?view=timeGridWeek&date=${DAY}`)
  await page.getByRole('tab', { name: 'Day view' }).click()
  await expect(cal.board).toBeVisible()
  const first = crew[0]?.name ?? ''
  await page.getByLabel('Crew member', { exact: true }).selectOption({ label: first })
  await expect(cal.board).toBeHidden()
  await expect(page.getByRole('tab', { name: 'Day view' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('button', { name: new RegExp(`${first}`) }).first()).toBeVisible()
  await page.getByLabel('Crew member', { exact: true }).selectOption({ label: 'Everyone' })
  await expect(cal.board).toBeVisible()
})
