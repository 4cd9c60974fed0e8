import { expect, test } from '@playwright/test'
import { api, ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
})

test("manage a service's price", async ({ page, request }) => {
  await page.goto('/#/catalog')
  const row = page.getByRole('row', { name: /Hedge trimming/ })
  await row.getByRole('button', { name: 'Edit Hedge trimming' }).click()
  const dialog = page.getByRole('dialog', { name: 'Edit Hedge trimming' })
  // Left empty, the price is asked for, not explained as a format.
  await dialog.getByLabel('Base price').fill('')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByText('Enter a price, such as 55 or $1,200')).toBeVisible()
  await dialog.getByLabel('Base price').fill('12.3.4')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByText(/must be an amount/)).toBeVisible()
  // As people type it: a dollar sign and a thousands separator.
  await dialog.getByLabel('Base price').fill('$1,132.5')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(row).toContainText('$1,132.50')
  const { results } = await api(request, 'catalog.services.list', { search: 'Hedge trimming' })
  expect(results[0]?.basePrice).toBe('1132.50')
  await page.screenshot({ path: 'docs/screenshots/catalog.png' })
})

test('a product needs its price, said as such', async ({ page, request }) => {
  await page.goto('/#/catalog')
  await page.getByRole('tab', { name: 'Products' }).click()
  await page.getByRole('button', { name: 'New product' }).click()
  const dialog = page.getByRole('dialog', { name: 'New product' })
  await dialog.getByLabel('Name').fill('Pine bark mulch')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByText('Enter a price, such as 12.50')).toBeVisible()
  await dialog.getByLabel('Unit price').fill('$38')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  const { results } = await api(request, 'catalog.products.list', { search: 'Pine bark mulch' })
  expect(results[0]?.unitPrice).toBe('38.00')

  // Archived, then found under "Show archived" and restored.
  const row = page.getByRole('row', { name: /Pine bark mulch/ })
  await row.getByRole('button', { name: 'Archive Pine bark mulch' }).click()
  await expect(row).toBeHidden()
  await page.getByLabel('Show archived').check()
  await row.getByRole('button', { name: 'Restore Pine bark mulch' }).click()
  await expect(page.getByText('Pine bark mulch restored')).toBeVisible()
  await expect(row.getByRole('button', { name: 'Archive Pine bark mulch' })).toBeVisible()
  await api(request, 'catalog.products.archive', { id: results[0]?.id as string })
})
