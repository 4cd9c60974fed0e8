import { expect, type Locator, type Page, test } from '@playwright/test'
import { addDays, localDay } from '../shared/domain/time'
import { CalendarPage } from './pages/calendar-page'
import { CrewCalendar } from './pages/crew-pages'
import { api, type Business, book, ensureBusiness } from './support/api'

/**
 * The calendar's header at a small laptop's size (two rows, the board gets the height;
 * the status filter folded into a menu that works from the keyboard), and the repeat
 * mark on a recurring visit's tiles in every layout.
 */
// Series visits are booked 12 weeks ahead: a Tuesday one to two weeks from today.
const today = localDay(Date.now(), 'America/Chicago')
const inWeek = addDays(today, 7)
const DAY = addDays(inWeek, (9 - new Date(`${inWeek}T12:00:00Z`).getUTCDay()) % 7)
const SERIES = 'Rita Repeat'
const ONE_OFF = 'Otto Oneoff'
let biz: Business

test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
  const found = await api(request, 'clients.list', { search: SERIES })
  if (found.count > 0) return
  const rita = await api(request, 'clients.create', { name: SERIES })
  const otto = await api(request, 'clients.create', { name: ONE_OFF })
  await api(request, 'series.create', {
    clientId: rita.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    rule: { kind: 'weekly', interval: 1, weekdays: ['TU'] },
    startsOn: DAY,
    endsOn: addDays(DAY, 21),
    startTime: '09:00',
  })
  await book(request, {
    clientId: otto.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: `${DAY}T16:00:00Z`, // late morning in Chicago
  })
})

test('at 1024 x 700 the header takes two rows and the day by crew the rest', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  const cal = new CrewCalendar(page)
  await cal.openDay(DAY)
  const head = await page.locator('.calendar-head').boundingBox()
  const board = await cal.board.boundingBox()
  if (!head || !board) throw new Error('calendar not drawn')
  expect(head.height).toBeLessThanOrEqual(84)
  expect(board.height).toBeGreaterThanOrEqual(480)
  // Every filter is still there, under its name.
  for (const name of ['Crew member', 'Service', 'Color by']) {
    await expect(page.getByLabel(name, { exact: true })).toBeInViewport()
  }
})

test('the status filter opens, filters and closes from the keyboard', async ({ page }) => {
  const cal = new CalendarPage(page)
  await cal.open(DAY)
  await cal.showOnly('Ana Crew')
  await expect(cal.event(SERIES)).toBeVisible()
  const menu = page.locator('summary', { hasText: 'Status' })
  await expect(menu).toContainText('All')
  const cancelled = page.getByRole('checkbox', { name: 'Cancelled' })
  await expect(cancelled).toBeHidden()
  await menu.focus()
  await page.keyboard.press('Enter')
  await expect(cancelled).toBeVisible()
  await cancelled.focus()
  await page.keyboard.press('Space')
  await expect(cancelled).toBeChecked()
  await expect(menu).toContainText('Cancelled')
  // Only cancelled visits: the scheduled series visit leaves the calendar.
  await expect(cal.event(SERIES)).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(cancelled).toBeHidden()
  await expect(menu).toBeFocused()
  // A click elsewhere closes it too; unticking brings the visit back.
  await menu.click()
  await page.getByRole('checkbox', { name: 'Cancelled' }).uncheck()
  await page.getByRole('heading', { name: 'Calendar' }).click()
  await expect(cancelled).toBeHidden()
  await expect(menu).toContainText('All')
  await expect(cal.event(SERIES)).toBeVisible()
})

test('a recurring visit carries the repeat mark in every layout, a one-off none', async ({
  page,
}) => {
  const cal = new CalendarPage(page)
  await cal.open(DAY)
  await cal.showOnly('Ana Crew')
  const mark = { name: 'Recurring visit' }
  await expect(cal.event(SERIES).getByRole('img', mark)).toBeVisible()
  await expect(cal.event(ONE_OFF)).toBeVisible()
  await expect(cal.event(ONE_OFF).getByRole('img', mark)).toHaveCount(0)

  const crew = new CrewCalendar(page)
  await page.getByLabel('Crew member', { exact: true }).selectOption({ label: 'Everyone' })
  await crew.openDay(DAY)
  const lane = crew.lane('Ana Crew')
  await expect(lane.getByRole('button', { name: SERIES })).toHaveAccessibleName(
    /, recurring visit$/,
  )
  await expect(lane.getByRole('button', { name: ONE_OFF })).not.toHaveAccessibleName(/recurring/)

  await page.getByRole('tab', { name: 'Week by crew' }).click()
  const row = crew.row('Ana Crew')
  await expect(row.getByRole('button', { name: SERIES }).getByRole('img', mark)).toBeVisible()
  await expect(row.getByRole('button', { name: ONE_OFF }).getByRole('img', mark)).toHaveCount(0)
})

test('at 1024 x 700 a busy week keeps its tiles readable and lists the rest under "+N"', async ({
  page,
  request,
}) => {
  const names = ['Willa Week', 'Wade Week', 'Wren Week']
  // A service of their own, to show them alone: the demo company's jobs that week (its
  // days move with today's date) never stand in their way.
  const SERVICE = 'Weekly edge trim'
  const found = await api(request, 'clients.list', { search: 'Week' })
  if (!found.results.some((c) => c.name === names[0])) {
    const service = await api(request, 'catalog.services.create', {
      name: SERVICE,
      basePrice: '40',
      durationMinutes: 60,
    })
    for (const [i, name] of names.entries()) {
      const client = await api(request, 'clients.create', { name })
      await book(request, {
        clientId: client.id,
        serviceId: service.id,
        teamMemberId: [biz.anaId, biz.benId, null][i] ?? null,
        scheduledAt: `${DAY}T17:00:00Z`,
      })
    }
  }
  // A second job for Ana at that hour: her week alone has a "+1" too.
  const DOUBLE = 'Wally Week'
  if ((await api(request, 'clients.list', { search: DOUBLE })).count === 0) {
    const services = await api(request, 'catalog.services.list', { search: SERVICE, limit: 1 })
    const client = await api(request, 'clients.create', { name: DOUBLE })
    await book(request, {
      clientId: client.id,
      serviceId: services.results[0]?.id ?? '',
      teamMemberId: biz.anaId,
      scheduledAt: `${DAY}T17:00:00Z`,
    })
  }
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto(`/#/calendar?view=timeGridWeek&date=${DAY}`)
  await page.getByLabel('Service', { exact: true }).selectOption({ label: SERVICE })
  const tiles = page.getByRole('button', { name: /Scheduled|Completed|Cancelled|In progress/ })
  await expect(tiles.first()).toBeVisible()
  // No tile is a sliver: each shows its time and client.
  const widths = await tiles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width))
  expect(Math.min(...widths)).toBeGreaterThanOrEqual(60)
  // The three jobs at the same hour: one shows, "+N" in that day's column lists the others.
  const date = new Date(`${DAY}T12:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  })
  const column = await new CalendarPage(page).day(date).boundingBox()
  const shown = await page
    .getByRole('button', { name: /(Willa|Wade|Wren) Week/ })
    .first()
    .boundingBox()
  if (!column || !shown) throw new Error(`no column or job for ${date}`)
  const links = page.getByText(/^\+\d+$/)
  const boxes = await links.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect()
      return { x: r.x + r.width / 2, y: r.y }
    }),
  )
  const inColumn = boxes
    .map((b, i) => ({ ...b, i }))
    .filter((b) => b.x >= column.x && b.x <= column.x + column.width)
    .sort((p, q) => Math.abs(p.y - shown.y) - Math.abs(q.y - shown.y))
  const index = inColumn[0]?.i ?? -1
  expect(index).toBeGreaterThanOrEqual(0)
  // Everyone's week: "+N" is a small pill, not a grey strip as tall as the jobs it hides.
  const pill = await links
    .nth(index)
    .evaluate((e) => (e.closest('[role="button"]') ?? e).getBoundingClientRect().height)
  expect(pill).toBeLessThan(30)
  // Beside the job it sits by, not over it (nor over another "+N"): everyone's week, then
  // Ana's alone.
  expect(await clashes(page, column)).toEqual({ links: 1, clashes: [] })
  await new CalendarPage(page).showOnly('Ana Crew')
  await expect(page.getByRole('button', { name: /^\+1$/ })).toBeVisible()
  expect(await clashes(page, column)).toEqual({ links: 1, clashes: [] })
  await page.getByLabel('Crew member', { exact: true }).selectOption({ label: 'Everyone' })
  await links.nth(index).click()
  for (const name of names)
    await expect(page.getByRole('button', { name: new RegExp(name) })).toBeVisible()
  await page.screenshot({ path: 'test-results/week-more-1024.png' })
})

/**
 * The "+N" links drawn in a day's column (found by its header's box), and every one whose
 * box overlaps a job's tile or another "+N" in that column.
 */
async function clashes(page: Page, column: { x: number; width: number }) {
  const boxes = (list: Locator) =>
    list.evaluateAll(
      (els, col) =>
        els
          .map((e) => e.getBoundingClientRect())
          .filter(
            (r) =>
              r.width > 0 && r.x + r.width / 2 > col.x && r.x + r.width / 2 < col.x + col.width,
          )
          .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom })),
      column,
    )
  const links = await boxes(page.getByRole('button', { name: /^\+\d+$/ }))
  const tiles = await boxes(
    page.getByRole('button', { name: /Scheduled|Completed|Cancelled|In progress/ }),
  )
  type Box = (typeof links)[number]
  // Overlapping by more than half a pixel: edges that touch are not a clash.
  const overlap = (a: Box, b: Box) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5
  const found = links.flatMap((link, i) =>
    [...tiles, ...links.filter((_, k) => k !== i)]
      .filter((other) => overlap(link, other))
      .map((other) => ({ link, other })),
  )
  return { links: links.length, clashes: found }
}

test('"Color by" colours the day by crew and the week by crew as the calendar does', async ({
  page,
  request,
}) => {
  // A pale crew colour, so that the words on it must be dark to be read.
  const NAME = 'Yara Yellow'
  const CLIENT = 'Yellowby Yard'
  const team = await api(request, 'team.list', { limit: 100 })
  let yara = team.results.find((m) => m.name === NAME)
  if (!yara) {
    yara = await api(request, 'team.create', {
      name: NAME,
      color: '#ffeb3b',
      specialtyIds: [biz.mowingId],
    })
    const client = await api(request, 'clients.create', { name: CLIENT })
    await book(request, {
      clientId: client.id,
      serviceId: biz.mowingId,
      teamMemberId: yara.id,
      scheduledAt: `${DAY}T19:00:00Z`,
    })
  }
  // The tile's fill, and the colour of the client's name written on it.
  const paint = async (tile: Locator) => ({
    background: await tile.evaluate(
      (el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor,
    ),
    text: await tile
      .getByText(CLIENT)
      .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).color),
  })
  const byMember = { background: 'rgb(255, 235, 59)', text: 'rgb(27, 36, 32)' }
  const byStatus = { background: 'rgb(21, 101, 192)', text: 'rgb(255, 255, 255)' }
  const colorBy = page.getByLabel('Color by', { exact: true })
  const crew = new CrewCalendar(page)

  await crew.openDay(DAY)
  const card = crew.lane(NAME).getByRole('button', { name: new RegExp(CLIENT) })
  await colorBy.selectOption({ label: 'Crew member' })
  expect(await paint(card)).toEqual(byMember)
  await colorBy.selectOption({ label: 'Status' })
  expect(await paint(card)).toEqual(byStatus)

  await page.getByRole('tab', { name: 'Week by crew' }).click()
  const job = crew.row(NAME).getByRole('button', { name: new RegExp(CLIENT) })
  expect(await paint(job)).toEqual(byStatus)
  await colorBy.selectOption({ label: 'Crew member' })
  expect(await paint(job)).toEqual(byMember)

  // The same colours as the calendar's own week view gives the job.
  await page.goto(`/#/calendar?view=timeGridWeek&date=${DAY}`)
  await page.getByLabel('Crew member', { exact: true }).selectOption({ label: NAME })
  const tile = page.getByRole('button', { name: new RegExp(CLIENT) })
  await expect(tile).toBeVisible()
  expect(await paint(tile)).toEqual(byMember)
})

test('with the weather service unreachable, the strip says why there is no forecast', async ({
  page,
  request,
}) => {
  const before = await api(request, 'weather.status', {})
  // Nothing listens on the discard port: every place fails to refresh.
  const nowhere = 'http://127.0.0.1:9'
  await api(request, 'weather.updateSettings', { forecastUrl: nowhere, geocodingUrl: nowhere })
  try {
    const run = await api(request, 'weather.refresh', {})
    expect(run.failed).toBeGreaterThan(0)
    await page.goto(`/#/calendar?view=timeGridWeek&date=${DAY}`)
    const line = page
      .locator('.weather-bar')
      .getByText(/the weather service could not be reached \(last tried .+\)$/)
    await expect(line).toBeVisible()
    // One line, not wrapped.
    const box = await line.boundingBox()
    expect(box?.height ?? 99).toBeLessThan(24)
  } finally {
    await api(request, 'weather.updateSettings', {
      forecastUrl: before.forecastUrl,
      geocodingUrl: before.geocodingUrl,
    })
    // Refreshed again from where it was, so the specs after this one see no failure.
    await api(request, 'weather.refresh', {})
  }
})
