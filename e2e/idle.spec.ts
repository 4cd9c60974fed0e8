import { expect, type Page, test } from '@playwright/test'
import { ensureBusiness } from './support/api'

/**
 * A screen left alone sends nothing but the slow sync-status poll (every 5 s): no list
 * asked for again and again, no notice stream reconnecting. A field laptop's battery
 * depends on it.
 */
test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
})

const SCREENS: { path: string; heading: string }[] = [
  { path: '/#/calendar?view=timeGridWeek&date=2027-03-01', heading: 'Calendar' },
  { path: '/#/calendar?view=crew&date=2027-03-02', heading: 'Calendar' },
  { path: '/#/calendar?view=crewWeek&date=2027-03-02', heading: 'Calendar' },
  { path: '/#/appointments', heading: 'Appointments' },
  { path: '/#/today', heading: 'Today' },
  { path: '/#/clients', heading: 'Clients' },
  { path: '/#/team', heading: 'Team' },
  { path: '/#/catalog', heading: 'Catalog' },
  { path: '/#/settings', heading: 'Settings' },
  { path: '/#/notifications', heading: 'Notifications' },
  { path: '/#/settings?tab=notifications', heading: 'Settings' },
]

/** Counts what the page sends from now on: RPC calls by channel, and notice streams opened. */
function countRequests(page: Page) {
  const counts = { rpc: [] as string[], events: 0 }
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname
    if (path === '/rpc') counts.rpc.push((req.postDataJSON() as { channel: string }).channel)
    if (path === '/events') counts.events += 1
  })
  return counts
}

for (const screen of SCREENS) {
  test(`${screen.path} at rest asks for nothing but the sync status`, async ({ page }) => {
    test.setTimeout(45_000)
    const counts = countRequests(page)
    await page.goto(screen.path)
    await expect(page.getByRole('heading', { name: screen.heading, level: 1 })).toBeVisible({
      timeout: 15_000,
    })
    // Settled: a second with no call at all (the first loads are done).
    await expect
      .poll(
        async () => {
          const before = counts.rpc.length
          await page.waitForTimeout(1000)
          return counts.rpc.length - before
        },
        { timeout: 15_000, intervals: [0] },
      )
      .toBe(0)
    expect(counts.events, 'the notice stream opens once').toBe(1)

    const rpcBefore = counts.rpc.length
    await page.waitForTimeout(5_000)
    const idle = counts.rpc.slice(rpcBefore)
    // The status poll runs every 5 s: one or two of those, and nothing else.
    expect(
      idle.filter((c) => c !== 'sync.status'),
      idle.join(', '),
    ).toEqual([])
    expect(idle.length).toBeLessThanOrEqual(2)
    expect(counts.events, 'the notice stream never reconnects').toBe(1)
  })
}

test('a save asks for the list it changes once, when the core says it changed', async ({
  page,
}) => {
  const counts = countRequests(page)
  await page.goto('/#/clients')
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible()
  await page.getByRole('button', { name: 'New client' }).click()
  const dialog = page.getByRole('dialog', { name: 'New client' })
  const name = `Once Only ${Date.now() % 100_000}`
  await dialog.getByLabel('Name').fill(name)
  const before = counts.rpc.length
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await page.waitForTimeout(1500)
  const after = counts.rpc.slice(before)
  expect(after.filter((c) => c === 'clients.create')).toHaveLength(1)
  expect(
    after.filter((c) => c === 'clients.list'),
    after.join(', '),
  ).toHaveLength(1)
})
