import { expect, test } from '@playwright/test'
import { ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
})

/** Field laptops work for hours without a network: nothing may be fetched from outside. */
test('no screen makes a request that leaves the machine', async ({ page }) => {
  const outside: string[] = []
  page.on('request', (req) => {
    const url = new URL(req.url())
    const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
    if (!local && !['data:', 'blob:'].includes(url.protocol)) outside.push(req.url())
  })
  for (const screen of [
    'calendar',
    'appointments',
    'clients',
    'team',
    'catalog',
    'today',
    'settings',
  ]) {
    await page.goto(`/#/${screen}`)
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await page.waitForLoadState('networkidle')
  }
  await page.goto('/#/calendar?view=dayGridMonth')
  await page.waitForLoadState('networkidle')
  expect(outside).toEqual([])
  // The page declares it too: its Content-Security-Policy allows only its own origin.
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content')
  expect(csp).toContain("default-src 'none'")
  expect(csp).toContain("connect-src 'self'")
})
