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
  // A backup and a restore of the whole database: tens of seconds on a busy machine.
  test.setTimeout(90_000)
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
  await expect(report.getByText('Line 2', { exact: true })).toBeVisible()
  expect((await api(request, 'clients.list', { search: 'Imported Client' })).count).toBe(1)
  // A file the import refuses: its error shows alone, never beside the last report.
  await importFile('nom,courriel\nA,b\n')
  // Said as a sentence, and kept beside the form once the toast has gone.
  const refusal = tools.getByRole('alert').filter({
    hasText:
      /^The file clients.csv cannot be imported: the first line must name the columns.*missing: "name"/,
  })
  await expect(refusal).toBeVisible()
  await expect(report).toHaveCount(0)
  // A workbook saved as it is, not as CSV: said what it is.
  await importer.getByLabel('CSV file').setInputFiles({
    name: 'clients.xlsx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]),
  })
  await importer.getByRole('button', { name: 'Import' }).click()
  await expect(tools.getByRole('alert').filter({ hasText: /an Excel workbook/ })).toBeVisible()

  await tools.getByRole('button', { name: 'Back up now' }).click()
  // The whole database compressed: seconds on a busy machine, the step shown meanwhile.
  // Said in words (when, how big), not as the file's name; listed to the second.
  await expect(
    page.getByText(
      /^Backup saved in this laptop's data folder: .+ \d{1,2}:\d{2}:\d{2}.*, [\d.]+ MiB\. Save a copy to keep one off this laptop\.$/,
    ),
  ).toBeVisible({ timeout: 20_000 })
  await expect(page.getByText(/gkbackup/)).toHaveCount(0)
  await page.screenshot({ path: 'docs/screenshots/settings-data.png' })

  // A copy kept elsewhere, then brought back as a file, as from another laptop.
  const list = tools.getByRole('list', { name: 'Backups on this laptop' })
  const listed = await list.getByRole('listitem').count()
  const saving = page.waitForEvent('download')
  await list
    .getByRole('button', { name: /^Save a copy of the backup of / })
    .first()
    .click()
  const copy = await saving
  expect(copy.suggestedFilename()).toMatch(/^groundskeeper-.*\.gkbackup$/)
  const copyPath = test.info().outputPath('copy.gkbackup')
  await copy.saveAs(copyPath)
  await expect(
    page.getByText(
      /^Saving a copy of the backup of .* as groundskeeper-.*: keep it somewhere other/,
    ),
  ).toBeVisible()
  await list
    .getByRole('button', { name: /^Delete the backup of / })
    .first()
    .click()
  await page
    .getByRole('alertdialog', { name: 'Delete this backup?' })
    .getByRole('button', { name: 'Delete' })
    .click()
  await expect(list.getByRole('listitem')).toHaveCount(listed - 1)
  const adder = tools.getByRole('form', { name: 'Add a backup from a file' })
  await adder.getByLabel('Backup from another laptop or a copy').setInputFiles({
    name: 'notes.gkbackup',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('just some notes'),
  })
  await adder.getByRole('button', { name: 'Add backup' }).click()
  await expect(
    page.getByText(
      'The file notes.gkbackup cannot be added: this backup cannot be restored: it is not a Groundskeeper backup file',
    ),
  ).toBeVisible()
  await adder.getByLabel('Backup from another laptop or a copy').setInputFiles(copyPath)
  await adder.getByRole('button', { name: 'Add backup' }).click()
  await expect(page.getByText(/^The backup of .+ appointments\) is added/)).toBeVisible({
    timeout: 30_000,
  })
  await expect(list.getByRole('listitem')).toHaveCount(listed)
  await api(request, 'clients.create', { name: 'Made after the backup' })
  await tools.getByRole('button', { name: 'Restore' }).first().click()
  await page
    .getByRole('alertdialog', { name: 'Restore this backup?' })
    .getByRole('button', { name: 'Restore' })
    .click()
  // A restore verifies the backup, loads the whole database and reopens it: seconds.
  await expect(page.getByText(/^Restored groundskeeper-/)).toBeVisible({ timeout: 60_000 })
  expect((await api(request, 'clients.list', { search: 'Made after the backup' })).count).toBe(0)
  expect((await api(request, 'clients.list', { search: 'Imported Client' })).count).toBe(1)

  // The restore was a mistake: the data it replaced is put back, the client made since too.
  const replaced = tools.getByRole('list', { name: 'Data replaced by restores' })
  await replaced
    .getByRole('button', { name: /^Put back the data replaced / })
    .first()
    .click()
  const ask = page.getByRole('alertdialog', { name: 'Put this data back?' })
  await expect(ask).toContainText('The data in use now is kept in the data folder in its turn')
  await page.screenshot({ path: 'test-results/put-back.png' })
  await ask.getByRole('button', { name: 'Put back' }).click()
  await expect(page.getByText(/^The data from before the restore of .+ is back/)).toBeVisible({
    timeout: 60_000,
  })
  expect((await api(request, 'clients.list', { search: 'Made after the backup' })).count).toBe(1)
})

test('an export shows its progress and holds the buttons until it ends', async ({ page }) => {
  await page.goto('/#/settings?tab=data')
  const tools = page.getByRole('region', { name: 'Export and backup' })
  const exportButton = tools.getByRole('button', { name: 'Appointments (CSV)' })
  // The export's answer waits until the screen has been looked at mid-way, so a fast
  // machine cannot finish before it is seen; the polls for its progress go through.
  let release = () => {}
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  const polls: string[] = []
  await page.route('**/rpc', async (route) => {
    const { channel } = route.request().postDataJSON() as { channel: string }
    if (channel === 'data.progress') polls.push(channel)
    if (channel === 'data.export') await held
    await route.continue()
  })
  const download = page.waitForEvent('download')
  await exportButton.click()
  const progress = tools.getByRole('status', { name: 'Progress' })
  await expect(progress).toContainText('Exporting appointments…')
  await expect(progress.getByRole('progressbar')).toBeVisible()
  await expect(exportButton).toBeDisabled()
  await expect(tools.getByRole('button', { name: 'Clients (CSV)' })).toBeDisabled()
  // The screen asks the core how far the job is while it runs.
  await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThan(0)
  await page.screenshot({ path: 'docs/screenshots/settings-data-progress.png' })
  release()
  expect((await download).suggestedFilename()).toMatch(/^groundskeeper-appointments-.*\.csv$/)
  await expect(page.getByText(/rows exported to groundskeeper-appointments-/)).toBeVisible()
  await expect(progress).toHaveCount(0)
  await expect(exportButton).toBeEnabled()
  // Done: the polling stops with the job.
  const after = polls.length
  await page.waitForTimeout(1000)
  expect(polls.length).toBe(after)
})

test('an admin imports a season of recurring visits from a spreadsheet', async ({
  page,
  request,
}) => {
  const name = 'Season Import Client'
  const existing = await api(request, 'clients.list', { search: name })
  if (!existing.count) await api(request, 'clients.create', { name })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto('/#/settings?tab=data')
  const tools = page.getByRole('region', { name: 'Export and backup' })
  const importer = tools.getByRole('form', { name: 'Import from CSV' })
  await importer.getByRole('combobox', { name: 'Import' }).selectOption('Recurring visits')
  await expect(
    importer.getByText(/One series a row, with the columns client, service/),
  ).toBeVisible()
  const start = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
  const end = new Date(Date.now() + 27 * 86_400_000).toISOString().slice(0, 10)
  const csv = [
    'client,service,days,every_weeks,starts_on,ends_on,start_time,notes',
    `${name.toUpperCase()},Lawn mowing,"Mon, Thu",2,${start},${end},06:15,Back gate`,
    `Nobody We Know,Lawn mowing,Mon,,${start},,06:15,`,
  ].join('\n')
  await importer.getByLabel('CSV file').setInputFiles({
    name: 'season.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  })
  await importer.getByLabel('Import the good rows even if some are bad').check()
  await importer.getByRole('button', { name: 'Import' }).click()
  const report = tools.getByRole('status', { name: 'Import report' })
  await expect(report).toContainText('2 rows read: 1 series added, 0 already here, 1 refused.')
  await expect(report).toContainText(/\d+ visits? booked, none double-booked\./)
  await expect(
    report.getByText('Line 3 (client): no client is named "Nobody We Know"'),
  ).toBeVisible()
  await report.scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'docs/screenshots/import-series.png' })
  // A season beyond the booking horizon: added, with nothing booked yet, and said why.
  const later = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10)
  await importer.getByLabel('CSV file').setInputFiles({
    name: 'next-season.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `client,service,days,starts_on,start_time\n${name},Lawn mowing,Tue,${later},09:00\n`,
    ),
  })
  await importer.getByRole('button', { name: 'Import' }).click()
  await expect(report).toContainText('1 row read: 1 series added, 0 already here.')
  await expect(report).toContainText(
    'No visits booked yet: visits are booked 12 weeks ahead, so these come as their first days draw near.',
  )
  // (Its visits would come months after this run: it books nothing the other tests see.)
  // Another kind of import starts clean: no report and no file from this one.
  await importer.getByRole('combobox', { name: 'Import' }).selectOption('Clients')
  await expect(report).toHaveCount(0)
  await expect(importer.getByLabel('CSV file')).toHaveValue('')

  // The visits are real appointments of a series; the test leaves none of them behind.
  const visits = await api(request, 'appointments.list', { search: name, limit: 100 })
  expect(visits.count).toBeGreaterThan(0)
  const first = visits.results[0]
  if (!first) throw new Error('no visit was booked')
  expect(first.notes).toBe('Back gate')
  await api(request, 'series.end', { visitId: first.id, scope: 'all' })
})

test("a crew lead sees where this laptop's data is and the version, not how it is stored", async ({
  page,
  request,
}) => {
  await page.goto('/#/settings?tab=data')
  const card = page.getByRole('region', { name: "This laptop's data" })
  await expect(card).toContainText('Database version')
  await api(request, 'session.switch', { userId: biz.leadId })
  try {
    await page.reload()
    await expect(card).toContainText('Data folder')
    await expect(card).toContainText('Version')
    await expect(card).not.toContainText('Database version')
    await expect(card).not.toContainText('Saving')
    await expect(page.getByRole('button', { name: 'Back up now' })).toHaveCount(0)
  } finally {
    await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  }
})
