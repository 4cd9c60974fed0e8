import { expect, test } from '@playwright/test'

test('the app opens its database and says so', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Groundskeeper' })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('Database open')
  await expect(page.getByText('0002_service_priority_not_null')).toBeVisible()
  await expect(page.getByText('Every save is flushed to disk')).toBeVisible()
  await page.screenshot({ path: 'test-results/app-database-open.png' })
})
