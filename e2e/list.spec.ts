import { type APIRequestContext, expect, test } from '@playwright/test'
import { AppointmentsPage } from './pages/appointments-page'
import { api, type Business, book, ensureBusiness } from './support/api'

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
  // Ben's April 2027: one job in each status, and one in May that the range leaves out.
  const jobs = [
    ['2027-04-05T09:00:00-05:00', 'completed'],
    ['2027-04-06T09:00:00-05:00', 'cancelled'],
    ['2027-04-07T09:00:00-05:00', 'scheduled'],
    ['2027-04-08T09:00:00-05:00', 'in_progress'],
    ['2027-05-03T09:00:00-05:00', 'completed'],
  ] as const
  for (const [scheduledAt, status] of jobs) {
    const a = await book(request, {
      clientId: biz.jonesId,
      serviceId: biz.pruningId,
      teamMemberId: biz.benId,
      scheduledAt,
    })
    if (status !== 'scheduled') await api(request, 'appointments.setStatus', { id: a.id, status })
  }
})

test('filter by two statuses and a date range, kept in the URL', async ({ page }) => {
  const list = new AppointmentsPage(page)
  await list.open()
  await list.filters.getByLabel('Crew member').selectOption({ label: 'Ben Crew' })
  await list.status('Completed').check()
  await list.status('Cancelled').check()
  await list.filters.getByLabel('From').fill('2027-04-01')
  await list.filters.getByLabel('To').fill('2027-04-30')

  await expect(list.rows()).toHaveCount(2)
  // Soonest first, as the list starts.
  await expect(list.rows().nth(0)).toContainText('Completed')
  await expect(list.rows().nth(1)).toContainText('Cancelled')
  await expect(page.getByText('1–2 of 2')).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/appointments-list.png' })

  expect(page.url()).toContain('status=completed%2Ccancelled')
  await page.reload()
  await expect(list.rows()).toHaveCount(2)
  await expect(list.status('Completed')).toBeChecked()
  await expect(list.filters.getByLabel('From')).toHaveValue('2027-04-01')
})

test('a range that ends before it starts is explained next to the field', async ({ page }) => {
  const list = new AppointmentsPage(page)
  await list.open('from=2027-05-01&to=2027-04-01')
  await expect(list.filters.getByText('must not be after the end of the range')).toBeVisible()
  await expect(list.filters.getByLabel('From')).toHaveAttribute('aria-invalid', 'true')
})

test('sort by a column, and page through', async ({ page, request }) => {
  const list = new AppointmentsPage(page)
  await list.open()
  await page.getByRole('button', { name: 'Client' }).click()
  await expect(page.getByRole('columnheader', { name: /Client/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  )
  const from = await startOfToday(request)
  const expected = async (offset: number) =>
    (
      await api(request, 'appointments.list', {
        ordering: 'client_name',
        scheduledFrom: from,
        offset,
        limit: 1,
      })
    ).results[0]?.clientName ?? ''
  await expect(list.rows().first()).toContainText(await expected(0))
  // The pager is below the rows: the next page opens at its first row, not scrolled down.
  await page.setViewportSize({ width: 1024, height: 700 })
  const next = page.getByRole('button', { name: 'Next' })
  await next.scrollIntoViewIfNeeded()
  await next.click()
  await expect(page.getByText(/^26–50 of/)).toBeVisible()
  await expect(list.rows().first()).toContainText(await expected(25))
  await expect(list.rows().first()).toBeInViewport()
})

/** The start of today in the business's time zone, as an instant. */
async function startOfToday(request: APIRequestContext): Promise<string> {
  const { timeZone } = await api(request, 'settings.get', {})
  const now = new Date()
  const day = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now)
  const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(now)
    .find((p) => p.type === 'timeZoneName')
    ?.value.replace('GMT', '')
  return new Date(`${day}T00:00:00${offset || 'Z'}`).toISOString()
}

test('the list starts at today, soonest first; Past shows what came before, latest first', async ({
  page,
  request,
}) => {
  const today = await startOfToday(request)
  const first = async (input: Parameters<typeof api<'appointments.list'>>[2]) => {
    const row = (await api(request, 'appointments.list', { ...input, limit: 2 })).results
    return row.map((a) => a.clientName)
  }
  const list = new AppointmentsPage(page)
  await list.open()
  const upcoming = await first({ scheduledFrom: today, ordering: 'scheduled_date' })
  await expect(page.getByRole('button', { name: 'Upcoming' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(list.rows().nth(0)).toContainText(upcoming[0] ?? '')
  await expect(list.rows().nth(1)).toContainText(upcoming[1] ?? '')
  await expect(page.getByRole('columnheader', { name: /When/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  )
  // One scrollbar: the list scrolls, not the page under the sidebar (the words kept for
  // screen readers, such as "no forecast", stay inside the list).
  const pageOverflow = () =>
    page.locator('html').evaluate((html) => html.scrollHeight - html.clientHeight)
  expect(await pageOverflow()).toBeLessThanOrEqual(0)

  await page.getByRole('button', { name: 'Past' }).click()
  const before = new Date(Date.parse(today) - 1).toISOString()
  const past = await first({ scheduledTo: before, ordering: '-scheduled_date' })
  await expect(page.getByRole('button', { name: 'Past' })).toHaveAttribute('aria-pressed', 'true')
  await expect(list.rows().nth(0)).toContainText(past[0] ?? '')
  await expect(list.rows().nth(1)).toContainText(past[1] ?? '')
  await expect(page.getByRole('columnheader', { name: /When/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
  expect(page.url()).toContain('when=past')
  await page.getByRole('button', { name: 'Upcoming' }).click()
  await expect(list.rows().nth(0)).toContainText(upcoming[0] ?? '')
})

test('an address made by hand shows what the list can: a known order, the last page', async ({
  page,
  request,
}) => {
  const list = new AppointmentsPage(page)
  await list.open('ordering=bogus&status=nope&offset=99999')
  // The upcoming jobs, soonest first, on their last page.
  const { count } = await api(request, 'appointments.list', {
    scheduledFrom: await startOfToday(request),
    limit: 1,
  })
  const first = Math.floor((count - 1) / 25) * 25 + 1
  await expect(
    page.getByText(`${first}–${count} of ${count.toLocaleString('en-US')}`),
  ).toBeVisible()
  await expect(list.rows().first()).toBeVisible()
  await expect(page.getByRole('columnheader', { name: /When/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  )
  // Back through the sidebar, the search box is empty again.
  await list.open('search=mow')
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('mow')
  await page.getByRole('link', { name: 'Today' }).click()
  await page.getByRole('link', { name: 'Appointments' }).click()
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('')
})
