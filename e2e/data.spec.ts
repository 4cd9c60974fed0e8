import { expect, test } from '@playwright/test'
import { api, type Business, DEMO_PIN, ensureBusiness } from './support/api'

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
})
test.afterAll(async ({ request }) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
})

test('an admin exports, imports with a report, backs up and restores', async ({
  page,
  request,
}) => {
  await page.goto('/#/settings?tab=data')
  const tools = page.getByRole('region', { name: 'Export and backup' })

  const download = page.waitForEvent('download')
  await tools.getByRole('button', { name: 'Clients (CSV)' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^groundskeeper-clients-.*\.csv$/)

  const importer = tools.getByRole('form', { name: 'Import from CSV' })
  const report = tools.getByRole('status', { name: 'Import report' })
  const importFile = async (csv: string) => {
    await importer.getByLabel('CSV file').setInputFiles({
      name: 'clients.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    })
    await importer.getByRole('button', { name: 'Import' }).click()
  }
  const clients = 'name,email\nImported Client,imported@example.com\nBad Email,not-an-email\n'
  await importFile(clients)
  await expect(report).toContainText('2 rows read, nothing imported: 1 row has problems.')
  await expect(report.getByText(/Line 3 \(email\)/)).toBeVisible()
  await importer.getByLabel('Import the good rows even if some are bad').check()
  await importFile(clients)
  await expect(report).toContainText('2 rows read: 1 added, 0 updated, 0 unchanged, 1 refused.')
  // The same file again: the client is known, nothing is added.
  await importFile(clients.replace('imported@', 'IMPORTED@'))
  await expect(report).toContainText('2 rows read: 0 added, 0 updated, 1 unchanged, 1 refused.')
  await expect(report.getByText('Unchanged', { exact: true })).toBeVisible()
  await expect(report.getByText('Lines 2', { exact: true })).toBeVisible()
  expect((await api(request, 'clients.list', { search: 'Imported Client' })).count).toBe(1)
  // A file the import refuses: its error shows alone, never beside the last report.
  await importFile('nom,courriel\nA,b\n')
  await expect(page.getByRole('alert').filter({ hasText: /missing: "name"/ })).toBeVisible()
  await expect(report).toHaveCount(0)

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
