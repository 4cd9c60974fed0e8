import { expect, test } from '@playwright/test'
import { api, type Business, ensureBusiness } from './support/api'

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
  await api(request, 'session.switch', { userId: biz.adminId })
})
test.afterAll(async ({ request }) => {
  await api(request, 'session.switch', { userId: biz.managerId })
})

test('an admin exports, imports with a report, backs up and restores', async ({
  page,
  request,
}) => {
  await page.goto('/#/settings')
  const tools = page.getByRole('region', { name: 'Export and backup' })

  const download = page.waitForEvent('download')
  await tools.getByRole('button', { name: 'Clients (CSV)' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^groundskeeper-clients-.*\.csv$/)

  const importer = tools.getByRole('form', { name: 'Import from CSV' })
  await importer.getByLabel('CSV file').setInputFiles({
    name: 'clients.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'name,email\nImported Client,imported@example.com\nBad Email,not-an-email\n',
    ),
  })
  await importer.getByRole('button', { name: 'Import' }).click()
  await expect(tools.getByText('2 rows read, 0 imported, 1 problems:')).toBeVisible()
  await expect(tools.getByText(/Line 3 \(email\)/)).toBeVisible()
  await importer.getByLabel('Import the good rows even if some are bad').check()
  await importer.getByRole('button', { name: 'Import' }).click()
  await expect(tools.getByText('2 rows read, 1 imported, 1 problems:')).toBeVisible()
  expect((await api(request, 'clients.list', { search: 'Imported Client' })).count).toBe(1)

  await tools.getByRole('button', { name: 'Back up now' }).click()
  await expect(page.getByText(/Backup saved/)).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/settings-data.png' })
  await api(request, 'clients.create', { name: 'Made after the backup' })
  await tools.getByRole('button', { name: 'Restore' }).first().click()
  await page
    .getByRole('alertdialog', { name: 'Restore this backup?' })
    .getByRole('button', { name: 'Restore' })
    .click()
  // A restore verifies the backup, loads the whole database and reopens it: seconds.
  await expect(page.getByText(/^Restored groundskeeper-/)).toBeVisible({ timeout: 20_000 })
  expect((await api(request, 'clients.list', { search: 'Made after the backup' })).count).toBe(0)
  expect((await api(request, 'clients.list', { search: 'Imported Client' })).count).toBe(1)
})
