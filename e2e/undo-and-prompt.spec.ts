import { expect, type Page, test } from '@playwright/test'
import { AppointmentForm } from './pages/appointment-form'
import { CalendarPage } from './pages/calendar-page'
import { api, type Business, book, ensureBusiness } from './support/api'

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
})

const prompt = (page: Page) => page.getByRole('alertdialog', { name: 'Double booking' })

/** Opens a job's details from the crew board of its day: its crew's column, its client. */
async function openOnBoard(page: Page, day: string, crew: string, client: string) {
  await page.goto(`/#/calendar?view=crew&date=${day}`)
  await page
    .getByRole('region', { name: `${crew}'s day` })
    .getByRole('button', { name: new RegExp(client) })
    .click()
}

test('Escape on the double-booking prompt returns to the booking form, as Cancel does', async ({
  page,
  request,
}) => {
  await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2027-04-06T10:00:00-05:00',
  })
  await page.goto('/#/appointments')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.fill({
    client: 'Jones HOA',
    service: 'Lawn mowing (45 min)',
    crew: 'Ana Crew',
    notes: 'Typed before the prompt',
  })
  await form.dialog.getByLabel('Start').fill('2027-04-06T10:15')

  for (const close of ['Escape', 'Cancel'] as const) {
    await form.submit()
    await expect(prompt(page)).toBeVisible()
    if (close === 'Escape') await page.keyboard.press('Escape')
    else await prompt(page).getByRole('button', { name: 'Cancel' }).click()
    await expect(prompt(page)).toBeHidden()
    await expect(form.dialog, `after ${close}`).toBeVisible()
    // Back where it was left: on Book, ready to book again or to change a field first.
    await expect(form.dialog.getByRole('button', { name: 'Book' })).toBeFocused()
    await expect(form.dialog.getByLabel('Notes')).toHaveValue('Typed before the prompt')
    await expect(form.client).toHaveValue('Jones HOA')
  }
  const saved = await api(request, 'appointments.list', { search: 'Typed before the prompt' })
  expect(saved.count).toBe(0)
  await form.submit()
  await prompt(page).getByRole('button', { name: 'Keep both' }).click()
  await expect(page.getByText('Appointment booked')).toBeVisible()
  await expect(form.dialog).toBeHidden()
})

test('two Undos in a row, a drag then a resize, each put back what was before its own move', async ({
  page,
  request,
}) => {
  const job = await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.pruningId,
    teamMemberId: biz.benId,
    scheduledAt: '2027-04-13T10:00:00-05:00',
    durationMinutes: 60,
  })
  const get = () => api(request, 'appointments.get', { id: job.id })
  const cal = new CalendarPage(page)
  await cal.open('2027-04-12')
  await cal.showOnly('Ben Crew')

  // The calendar's refetch after the drag is held back until the resize is done: the
  // resize then starts from what the screen shows, not from data fetched before the drag.
  let release = () => {}
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  await page.route('**/rpc', async (route) => {
    if (route.request().postData()?.includes('"calendar.range"')) await held
    await route.continue()
  })
  await cal.dragEventToDay('Jones HOA', 'April 14, 2027')
  await expect(page.getByText('Appointment moved')).toHaveCount(1)
  await expect.poll(async () => (await get()).scheduledAt).toBe('2027-04-14T15:00:00.000Z')

  // Stretch it by an hour from its bottom edge.
  const box = await cal.event('Jones HOA').first().boundingBox()
  if (!box) throw new Error('no event')
  const hour = (await cal.hourY('11am')) - (await cal.hourY('10am'))
  const edge = { x: box.x + box.width / 2, y: box.y + box.height - 3 }
  await page.mouse.move(edge.x, edge.y)
  await cal.drag(edge, { x: edge.x, y: edge.y + hour })
  await expect(page.getByText('Appointment moved')).toHaveCount(2)
  release()
  await expect.poll(async () => (await get()).durationMinutes).toBeGreaterThan(60)
  const stretched = await get()
  expect(stretched.scheduledAt).toBe('2027-04-14T15:00:00.000Z')

  const undos = page.getByRole('status').filter({ hasText: 'Appointment moved' })
  // The resize's Undo: back to the moved job's length, still on the 14th.
  await undos.nth(1).getByRole('button', { name: 'Undo' }).click()
  await expect
    .poll(async () => {
      const a = await get()
      return [a.scheduledAt, a.durationMinutes, a.teamMemberId]
    })
    .toEqual(['2027-04-14T15:00:00.000Z', 60, biz.benId])
  // The drag's Undo: back where it was first.
  await undos.first().getByRole('button', { name: 'Undo' }).click()
  await expect
    .poll(async () => {
      const a = await get()
      return [a.scheduledAt, a.durationMinutes, a.teamMemberId]
    })
    .toEqual(['2027-04-13T15:00:00.000Z', 60, biz.benId])
})

test('an Undo that would double-book asks first, like any other change', async ({
  page,
  request,
}) => {
  const job = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.pruningId,
    teamMemberId: biz.benId,
    scheduledAt: '2027-04-20T10:00:00-05:00',
  })
  await page.goto('/#/calendar?view=crew&date=2027-04-20')
  const card = page
    .getByRole('region', { name: "Ben Crew's day" })
    .getByRole('button', { name: /Smith Residence/ })
  await expect(card).toBeVisible()
  const lane = page.getByRole('region', { name: "Ana Crew's day" })
  const box = await card.boundingBox()
  await card.dragTo(lane, { targetPosition: { x: 30, y: 300 + (box?.height ?? 0) / 2 } })
  await expect(page.getByText('Appointment moved')).toBeVisible()
  expect((await api(request, 'appointments.get', { id: job.id })).teamMemberId).toBe(biz.anaId)

  // Meanwhile Ben's old slot is taken.
  await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.pruningId,
    teamMemberId: biz.benId,
    scheduledAt: '2027-04-20T10:30:00-05:00',
  })
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(prompt(page)).toBeVisible()
  await prompt(page).getByRole('button', { name: 'Cancel' }).click()
  await expect(prompt(page)).toBeHidden()
  expect((await api(request, 'appointments.get', { id: job.id })).teamMemberId).toBe(biz.anaId)
})

test('undoing a deletion whose time was given away says to whom, and restores it only when asked', async ({
  page,
  request,
}) => {
  const job = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.pruningId,
    teamMemberId: biz.benId,
    scheduledAt: '2027-04-27T10:00:00-05:00',
  })
  await openOnBoard(page, '2027-04-27', 'Ben Crew', 'Smith Residence')
  const details = page.getByRole('dialog', { name: 'Tree pruning for Smith Residence' })
  await details.getByRole('button', { name: 'Delete' }).click()
  await expect(details).toBeHidden()
  const deleted = page.getByRole('status').filter({ hasText: 'Appointment deleted' })
  await expect(deleted).toBeVisible()

  // Meanwhile its time goes to another job.
  await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.pruningId,
    teamMemberId: biz.benId,
    scheduledAt: '2027-04-27T10:15:00-05:00',
  })
  await deleted.getByRole('button', { name: 'Undo' }).click()
  const refused = page.getByRole('alert').filter({ hasText: 'It was not restored.' })
  await expect(refused).toContainText('Ben Crew is already booked')
  await expect(refused).toContainText('Jones HOA, Tree pruning')
  const live = async () =>
    (await api(request, 'appointments.list', { search: 'Smith Residence', limit: 100 })).results
      .map((r) => r.id)
      .includes(job.id)
  expect(await live()).toBe(false)

  await refused.getByRole('button', { name: 'Restore anyway' }).click()
  await expect(page.getByText('Restored, double-booked')).toBeVisible()
  await expect.poll(live).toBe(true)
})

test("an Undo takes the move's warnings away with it", async ({ page, request }) => {
  await book(request, {
    clientId: biz.smithId,
    serviceId: biz.pruningId,
    teamMemberId: biz.benId,
    scheduledAt: '2027-05-11T13:00:00-05:00',
  })
  await page.goto('/#/calendar?view=crew&date=2027-05-11')
  const card = page
    .getByRole('region', { name: "Ben Crew's day" })
    .getByRole('button', { name: /Smith Residence/ })
  await expect(card).toBeVisible()
  const box = await card.boundingBox()
  // Ana does not prune: the move is made, with a warning saying so.
  await card.dragTo(page.getByRole('region', { name: "Ana Crew's day" }), {
    targetPosition: { x: 30, y: 300 + (box?.height ?? 0) / 2 },
  })
  const warning = page.locator('.toast').filter({ hasText: /Ana Crew/ })
  await expect(warning).toBeVisible()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByText('Move undone')).toBeVisible()
  // Gone with it at once (read now: left alone, it would go by itself a little later).
  expect(await warning.count()).toBe(0)
})

test('a job cancelled by mistake is put back from the toast', async ({ page, request }) => {
  const job = await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2027-04-28T11:00:00-05:00',
  })
  await openOnBoard(page, '2027-04-28', 'Ana Crew', 'Jones HOA')
  const details = page.getByRole('dialog', { name: 'Lawn mowing for Jones HOA' })
  await details.getByRole('button', { name: 'Cancel job' }).click()
  const cancelled = page.getByRole('status').filter({ hasText: 'Appointment cancelled' })
  await expect
    .poll(async () => (await api(request, 'appointments.get', { id: job.id })).status)
    .toBe('cancelled')
  await cancelled.getByRole('button', { name: 'Undo' }).click()
  await expect
    .poll(async () => (await api(request, 'appointments.get', { id: job.id })).status)
    .toBe('scheduled')
})
