import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, writeFileSync } from 'node:fs'
import { type APIRequestContext, expect, type Page, test } from '@playwright/test'
import type { DaySheetCrew } from '../shared/contract/day-sheet'
import { mapsUrl, telUrl } from '../shared/domain/job-links'
import { amountOf } from '../shared/domain/words'
import { DaySheetPage } from './pages/day-sheet-page'
import { api, type Business, book, DEMO_PIN, ensureBusiness } from './support/api'

/**
 * The day sheet on paper: printed with the print stylesheet to a PDF, its first page
 * rendered to a PNG (docs/screenshots/day-sheet.png) and its text read back; and where
 * the job is on the Today card.
 */
const POPPLER = spawnSync('pdftoppm', ['-v']).error === undefined
const ZONE = 'America/Chicago'
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date())

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
})
test.afterAll(async ({ request }) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
})

/** The page printed to a PDF as the desktop app's printToPDF would: print media, A4. */
async function printed(page: Page): Promise<string> {
  await page.emulateMedia({ media: 'print' })
  const file = test.info().outputPath('sheet.pdf')
  writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }))
  await page.emulateMedia({ media: 'screen' })
  return file
}

const pdfText = (file: string, pageNo?: number) =>
  execFileSync(
    'pdftotext',
    [...(pageNo ? ['-f', String(pageNo), '-l', String(pageNo)] : []), file, '-'],
    { encoding: 'utf8' },
  )
/** Words as pdftotext gives them back: runs of spaces (columns, wrapping) are one space. */
const squash = (s: string) => s.replace(/\s+/g, ' ')

/** An instant at a wall-clock time today in the business's zone. */
function todayAt(hhmm: string): string {
  const probe = new Date(`${today()}T${hhmm}:00Z`)
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'shortOffset' })
    .formatToParts(probe)
    .find((p) => p.type === 'timeZoneName')
    ?.value.replace('GMT', '')
  return new Date(probe.getTime() - Number(offset || 0) * 3_600_000).toISOString()
}

let booked = false
/**
 * Ben's day today, whatever day of the week the run falls on: four jobs at demo clients
 * (addresses, phones), and a demo job with materials to bring moved to him; Ana gets one.
 */
async function bookDay(request: APIRequestContext) {
  if (booked) return
  booked = true
  const { results } = await api(request, 'clients.list', { search: '555-', limit: 60 })
  const clients = results.filter((c) => c.address && c.phone).slice(10, 15)
  const times = ['08:00', '09:30', '13:00', '15:30']
  for (const [i, at] of times.entries()) {
    await book(request, {
      clientId: clients[i]?.id ?? '',
      serviceId: i % 2 ? biz.mowingId : biz.pruningId,
      teamMemberId: biz.benId,
      scheduledAt: todayAt(at),
      durationMinutes: 60,
      notes: i === 1 ? 'Side gate code 4411. Dog in the back yard.' : '',
    })
  }
  await book(request, {
    clientId: clients[4]?.id ?? '',
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: todayAt('10:00'),
  })
  // The first upcoming demo job with products to bring.
  for (let d = 1; d <= 120; d++) {
    const day = new Date(Date.parse(`${today()}T12:00:00Z`) + d * 86_400_000)
      .toISOString()
      .slice(0, 10)
    const sheet = await api(request, 'daySheet.get', { date: day, crew: 'all' })
    const job = sheet.crews
      .flatMap((c) => c.jobs)
      .find((j) => j.products.length > 0 && j.status === 'scheduled')
    if (job) {
      await api(request, 'appointments.reschedule', {
        id: job.id,
        scheduledAt: todayAt('11:00'),
        teamMemberId: biz.benId,
        acceptConflict: true,
      })
      return
    }
  }
  throw new Error('the demo company has no upcoming job with products')
}

test("a crew member's day sheet prints to a PDF with every job's client, address and phone", async ({
  page,
  request,
}) => {
  test.skip(!POPPLER, 'pdftoppm (poppler-utils) is not installed: the PDF cannot be rendered')
  await bookDay(request)
  const date = today()
  const { crews, businessName } = await api(request, 'daySheet.get', { date, crew: biz.benId })
  const crew = crews[0] as DaySheetCrew
  expect(crew.jobs.length).toBeGreaterThanOrEqual(5)
  expect(crew.jobs.some((j) => j.products.length > 0)).toBe(true)

  const sheet = new DaySheetPage(page)
  await sheet.open(date, biz.benId)
  const onScreen = sheet.crewPage(crew.name)
  await expect(onScreen.getByRole('heading', { name: crew.name })).toBeVisible()
  await expect(onScreen.getByRole('row')).toHaveCount(crew.jobs.length + 1)

  // In print, the toolbar is gone: only the sheet is on paper.
  await page.emulateMedia({ media: 'print' })
  await expect(sheet.saveAsPdf).toBeHidden()
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0)
  const file = await printed(page)
  // Its first page as a picture, to look at (before the checks, so a failure has one too).
  const png = test.info().outputPath('day-sheet')
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, png])
  copyFileSync(`${png}.png`, 'docs/screenshots/day-sheet.png')

  const text = squash(pdfText(file))
  expect(text).toContain(crew.name)
  for (const job of crew.jobs) {
    expect(text).toContain(squash(job.clientName))
    if (job.place) expect(text).toContain(squash(job.place))
    if (job.clientPhone) expect(text).toContain(job.clientPhone)
    for (const p of job.products)
      expect(text).toContain(squash(`${amountOf(p.quantity, p.unit)} ${p.name}`))
  }
  expect(text).toContain('Side gate code 4411')
  expect(text).toContain(businessName ?? 'Groundskeeper')
})

test("every crew's sheet: one crew member per page, each page headed by their name", async ({
  page,
  request,
}) => {
  test.skip(!POPPLER, 'pdftotext (poppler-utils) is not installed: the PDF cannot be read')
  await bookDay(request)
  const date = today()
  const everyone = await api(request, 'daySheet.get', { date, crew: 'all' })
  expect(everyone.crews.length).toBeGreaterThanOrEqual(2)
  const sheet = new DaySheetPage(page)
  await sheet.open(date, 'all')
  await expect(page.getByRole('article')).toHaveCount(everyone.crews.length)
  const file = await printed(page)
  const pages = Number(
    /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1],
  )
  // Each crew starts a new page: the first line of some page is each crew's name, in order.
  const heads = Array.from(
    { length: pages },
    (_, i) =>
      pdfText(file, i + 1)
        .trim()
        .split('\n')[0] ?? '',
  )
  const starts = everyone.crews.map((c) => heads.findIndex((h) => h.trim().startsWith(c.name)))
  expect(
    starts.every((i) => i >= 0),
    `page heads: ${heads.join(' | ')}`,
  ).toBe(true)
  expect([...starts].sort((a, b) => a - b)).toEqual(starts)
})

test('in the browser, "Save as PDF" opens the print dialog', async ({ page }) => {
  const sheet = new DaySheetPage(page)
  await sheet.open(today(), biz.anaId)
  await page.evaluate(() => {
    const w = globalThis as unknown as { printed: number; print: () => void }
    w.printed = 0
    w.print = () => {
      w.printed += 1
    }
  })
  await sheet.saveAsPdf.click()
  expect(await page.evaluate(() => (globalThis as unknown as { printed: number }).printed)).toBe(1)
})

test("the Today card shows where the job is, the client's phone to call and a map link", async ({
  page,
  request,
}) => {
  // A demo client with an address, a phone and coordinates.
  const { results } = await api(request, 'clients.list', { search: '555-', limit: 50 })
  const client = results.find((c) => c.address && c.phone && c.latitude !== null)
  if (!client?.phone || !client.address)
    throw new Error('the demo company has no client with an address')
  const noon = new Date(`${today()}T17:00:00Z`)
  await book(request, {
    clientId: client.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: noon.toISOString(),
  })
  await api(request, 'session.switch', { userId: biz.leadId })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto('/#/today')

  const card = page.getByRole('listitem', { name: `${client.name}, Lawn mowing` }).first()
  await expect(card).toContainText(client.address)
  const call = card.getByRole('link', { name: `Call ${client.name} at ${client.phone}` })
  await expect(call).toHaveAttribute('href', telUrl(client.phone) ?? '')
  const maps = card.getByRole('link', { name: 'Open in maps' })
  await expect(maps).toHaveAttribute(
    'href',
    mapsUrl({ address: null, latitude: client.latitude, longitude: client.longitude }) ?? '',
  )
  // A link out never replaces the app in its window.
  await expect(maps).toHaveAttribute('target', '_blank')
  await card.scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'docs/screenshots/today-address-1024.png' })

  await page.getByRole('button', { name: 'Print day sheet' }).click()
  await expect(page).toHaveURL(new RegExp(`#/day-sheet\\?date=${today()}&crew=${biz.anaId}$`))
  await expect(new DaySheetPage(page).crewPage('Ana Crew')).toContainText(client.name)
})
