import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'

const journal = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', 'drizzle', 'migrations', 'meta', '_journal.json'),
    'utf8',
  ),
) as { entries: { tag: string }[] }
const latest = journal.entries.at(-1)?.tag ?? ''

test('the app opens its database and says so', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Groundskeeper' })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('Database open')
  await expect(page.getByText(latest)).toBeVisible()
  await expect(page.getByText('Every save is flushed to disk')).toBeVisible()
  await page.screenshot({ path: 'test-results/app-database-open.png' })
})
