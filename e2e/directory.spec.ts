import { expect, test } from '@playwright/test'
import { api, ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
})

test('add, find and archive a client (with undo)', async ({ page, request }) => {
  await page.goto('/#/clients')
  await page.getByRole('button', { name: 'New client' }).click()
  const dialog = page.getByRole('dialog', { name: 'New client' })
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
})

test('mark a crew member unavailable and back', async ({ page, request }) => {
  await page.goto('/#/team')
  await page.getByLabel('Search team').fill('Ben Crew')
  const toggle = page.getByRole('button', { name: /Mark (un)?available: Ben Crew/ })
  const before = (await api(request, 'team.list', { search: 'Ben Crew' })).results[0]?.isAvailable
  await toggle.click()
  await expect(
    page.getByText(`Ben Crew is now ${before ? 'unavailable' : 'available'}`),
  ).toBeVisible()
  expect((await api(request, 'team.list', { search: 'Ben Crew' })).results[0]?.isAvailable).toBe(
    !before,
  )
  await page.getByRole('button', { name: /Mark (un)?available: Ben Crew/ }).click()
  await expect(
    page.getByText(`Ben Crew is now ${before ? 'available' : 'unavailable'}`),
  ).toBeVisible()
})
