import { expect, test } from '@playwright/test'
import { businessDay, TeamPage } from './pages/weather-pages'
import { api, book, ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
})

test('add, find and archive a client (with undo)', async ({ page, request }) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto('/#/clients')
  await page.getByRole('button', { name: 'New client' }).click()
  const dialog = page.getByRole('dialog', { name: 'New client' })
  // A form taller than the window keeps Save and Cancel in sight while it scrolls.
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeInViewport({ ratio: 1 })
  await dialog.getByLabel('Name').fill('Willow Creek HOA')
  await dialog.getByLabel('Email', { exact: true }).fill('not an email')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByText('must be an email address')).toBeVisible()
  await dialog.getByLabel('Email', { exact: true }).fill('board@willowcreek.example')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()

  await page.getByLabel('Search clients').fill('willow creek')
  const row = page.getByRole('row', { name: /Willow Creek HOA/ })
  await expect(row).toContainText('board@willowcreek.example')
  await row.getByRole('button', { name: 'Archive Willow Creek HOA' }).click()
  await expect(row).toBeHidden()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByRole('row', { name: /Willow Creek HOA/ })).toBeVisible()
  expect((await api(request, 'clients.list', { search: 'Willow Creek' })).count).toBe(1)

  // Archived for good, then found again under "Show archived" and restored.
  await row.getByRole('button', { name: 'Archive Willow Creek HOA' }).click()
  await expect(row).toBeHidden()
  await page.getByLabel('Show archived').check()
  await expect(row).toContainText('(archived)')
  await row.getByRole('button', { name: 'Restore Willow Creek HOA' }).click()
  await expect(page.getByText('Willow Creek HOA restored')).toBeVisible()
  await page.getByLabel('Show archived').uncheck()
  await expect(row).toBeVisible()
  await expect(row).not.toContainText('(archived)')
  expect((await api(request, 'clients.list', { search: 'Willow Creek' })).count).toBe(1)

  // With a visit still to come, archiving asks first: the visit stays booked.
  const { results: services } = await api(request, 'catalog.services.list', {})
  const willow = (await api(request, 'clients.list', { search: 'Willow Creek' })).results[0]
  if (!willow || !services[0]) throw new Error('a client and a service expected')
  await book(request, {
    clientId: willow.id,
    serviceId: services[0].id,
    scheduledAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
  })
  await row.getByRole('button', { name: 'Archive Willow Creek HOA' }).click()
  const ask = page.getByRole('alertdialog', { name: 'Archive Willow Creek HOA?' })
  await expect(ask).toContainText('still has 1 visit to come. Archiving keeps it booked')
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(row).toBeVisible()
  await row.getByRole('button', { name: 'Archive Willow Creek HOA' }).click()
  await ask.getByRole('button', { name: 'Archive anyway' }).click()
  await expect(row).toBeHidden()
})

test('time off today makes a crew member unavailable; removing it brings them back', async ({
  page,
  request,
}) => {
  const name = `Tia Timeoff ${Date.now() % 100_000}`
  const tia = await api(request, 'team.create', { name })
  const available = async () => (await api(request, 'team.get', { id: tia.id })).isAvailable
  const today = businessDay(0)
  const team = new TeamPage(page)
  await team.open()
  await page.getByLabel('Search team').fill(name)
  await expect(team.card(name).getByText('Available', { exact: true })).toBeVisible()
  await team.addTimeOff(name, today, today, 'Dentist')
  // Adding time off leads to the review of the member's jobs (none here).
  await expect(page.getByRole('heading', { name: `Reassign ${name}'s jobs` })).toBeVisible()
  expect(await available()).toBe(false)

  await team.open()
  await page.getByLabel('Search team').fill(name)
  await expect(team.card(name).getByText('Off today')).toBeVisible()
  await team
    .card(name)
    .getByRole('button', { name: /Remove time off/ })
    .click()
  await expect(team.card(name).getByText('Available', { exact: true })).toBeVisible()
  expect(await available()).toBe(true)
  // Removing was a slip: Undo books the same day off again, reason and all.
  await page
    .getByRole('status')
    .filter({ hasText: `Time off removed for ${name}` })
    .getByRole('button', { name: 'Undo' })
    .click()
  await expect(team.card(name).getByText('Off today')).toBeVisible()
  await expect(team.card(name)).toContainText('Dentist')
  expect(await available()).toBe(false)
})

test('time off entered after it was over is listed as over, and can be removed', async ({
  page,
  request,
}) => {
  const name = `Pia Past ${Date.now() % 100_000}`
  const pia = await api(request, 'team.create', { name })
  await api(request, 'team.timeOff.add', {
    teamMemberId: pia.id,
    startsOn: businessDay(-10),
    endsOn: businessDay(-5),
    reason: 'Flu',
  })
  const team = new TeamPage(page)
  await team.open()
  await page.getByLabel('Search team').fill(name)
  const list = team.card(name).getByRole('list', { name: `${name}'s time off` })
  await expect(list).toContainText('Flu · over')
  // Over: no jobs to hand over, only the record to put right.
  await expect(list.getByRole('link', { name: 'Review jobs' })).toHaveCount(0)
  await expect(team.card(name).getByText('Available', { exact: true })).toBeVisible()
  await list.getByRole('button', { name: /Remove time off/ }).click()
  await expect(list).toHaveCount(0)
})
