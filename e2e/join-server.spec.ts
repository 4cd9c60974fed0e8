import { expect, test } from '@playwright/test'
import { BUSINESS_SETTINGS_ID } from '../shared/contract/settings'
import { uuidv7 } from '../shared/domain/ids'
import { PROTOCOL_VERSION } from '../shared/sync/protocol'
import { startTestServer, type TestServer } from '../testing/sync-harness'
import { createFirstAdmin, FreshLaptop } from './support/fresh-laptop'

/**
 * A business that already runs Groundskeeper sets up one more laptop: on its first run the
 * admin joins the sync server instead of naming the business again.
 */
const laptop = new FreshLaptop(Number(process.env.E2E_PORT ?? 5181) + 60)
const crewLaptop = new FreshLaptop(Number(process.env.E2E_PORT ?? 5181) + 61)
let server: TestServer
const MARIA = uuidv7()
const SAM = uuidv7()

const CLIENT = uuidv7()
const SERVICE = uuidv7()
const hlc = `${String(Date.now()).padStart(15, '0')}-00000-officelaptop`
const job = (crew: string, notes: string) => ({
  id: uuidv7(),
  hlc,
  table: 'appointments',
  rowId: uuidv7(),
  fields: {
    client_id: CLIENT,
    service_id: SERVICE,
    team_member_id: crew,
    // Now: today wherever the business is.
    scheduled_at: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
    duration_minutes: 60,
    status: 'scheduled',
    notes,
    price: '80.00',
  },
})

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000)
  server = await startTestServer()
  // The office laptop has already sent the business's name, zone, a client, its crews and
  // their jobs of today.
  const office = await server.token('admin', { label: 'Office laptop' })
  const res = await request.post(`${server.url}/v1/sync/push`, {
    headers: { authorization: `Bearer ${office}` },
    data: {
      protocol: PROTOCOL_VERSION,
      mutations: [
        {
          id: uuidv7(),
          hlc,
          table: 'business_settings',
          rowId: BUSINESS_SETTINGS_ID,
          fields: { business_name: 'Greenway Gardens', time_zone: 'America/Chicago' },
        },
        {
          id: uuidv7(),
          hlc,
          table: 'clients',
          rowId: CLIENT,
          fields: { name: 'Hillside Estates' },
        },
        { id: uuidv7(), hlc, table: 'team_members', rowId: MARIA, fields: { name: 'Maria Crew' } },
        { id: uuidv7(), hlc, table: 'team_members', rowId: SAM, fields: { name: 'Sam Crew' } },
        {
          id: uuidv7(),
          hlc,
          table: 'services',
          rowId: SERVICE,
          fields: { name: 'Hedge trimming', base_price: '80.00', duration_minutes: 60 },
        },
        // Today, for each crew: a crew's laptop shows its own.
        job(MARIA, 'Gate code 4411'),
        job(SAM, 'Not for Maria'),
      ],
    },
  })
  const results = (await res.json()).data.results as { status: string; reason?: string }[]
  expect(results.map((r) => r.reason ?? r.status)).toEqual(results.map(() => 'applied'))
  await laptop.start()
  await crewLaptop.start()
})

test.afterAll(async () => {
  await crewLaptop.remove()
  await laptop.remove()
  await server?.close()
})

test("a new laptop joins its business's sync server on its first run instead of naming the business", async ({
  page,
}) => {
  test.setTimeout(150_000)
  const token = await server.token('admin', { label: 'Second office laptop' })
  await page.goto(laptop.url)
  await createFirstAdmin(page)

  await expect(page.getByRole('heading', { name: 'What is your business called?' })).toBeVisible()
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/join-server-name.png' })
  await page.getByRole('button', { name: 'Join its sync server instead' }).click()
  await expect(
    page.getByRole('heading', { name: "Join your business's sync server" }),
  ).toBeVisible()
  const form = page.getByRole('form', { name: 'Connect to a sync server' })
  // A wrong token is named on its field, and the laptop stays where it is.
  await form.getByLabel('Server address').fill(server.url)
  // (one the server never made, shaped like one it would)
  await form
    .getByLabel('Device token')
    .fill(`${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`)
  await form.getByRole('button', { name: 'Connect' }).click()
  await expect(form.getByText('the server does not accept this token')).toBeVisible()
  await page.screenshot({ path: 'test-results/join-server-first-run.png' })
  // Changing one's mind goes back to naming a new business.
  await page.getByRole('button', { name: 'Back: this is a new business' }).click()
  await expect(page.getByRole('textbox', { name: 'Business name' })).toBeVisible()
  await page.getByRole('button', { name: 'Join its sync server instead' }).click()

  await form.getByLabel('Server address').fill(server.url)
  await form.getByLabel('Device token').fill(token)
  await form.getByRole('button', { name: 'Connect' }).click()
  await expect(page.getByRole('status').getByText(`Connected to ${server.url}`)).toBeVisible()

  // The business comes from the server: its name and zone count as done on the checklist.
  const checklist = page.getByRole('region', { name: 'Getting started' })
  const step = (title: string) =>
    checklist
      .getByRole('list', { name: 'Setup steps' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
  await expect(step('Business name')).toContainText('(done)', { timeout: 60_000 })
  await expect(step('Time zone')).toContainText('(done)')
  await expect(step('First client')).toContainText('(done)')
  await page.goto(`${laptop.url}#/clients`)
  await expect(page.getByRole('cell', { name: 'Hillside Estates', exact: true })).toBeVisible()
  // Nothing was typed here to differ from the server: nothing waits to be sent or refused.
  await page.goto(`${laptop.url}#/settings?tab=sync`)
  const sync = page.getByRole('region', { name: 'Sync', exact: true })
  await expect(sync.getByText('Not sent yet')).toBeVisible()
  await expect(
    sync
      .getByRole('definition')
      .filter({ hasText: /^Nothing$/ })
      .first(),
  ).toBeVisible()
  await expect(sync.getByText('Changes the server refused')).toBeHidden()
})

test("a crew's laptop, joined with its crew's token, opens on that crew's day", async ({
  page,
}) => {
  test.setTimeout(150_000)
  const token = await server.token('crew_lead', { label: "Maria's truck", teamMemberId: MARIA })
  await page.goto(crewLaptop.url)
  await createFirstAdmin(page)
  await page.getByRole('button', { name: 'Join its sync server instead' }).click()
  const form = page.getByRole('form', { name: 'Connect to a sync server' })
  await form.getByLabel('Server address').fill(server.url)
  await form.getByLabel('Device token').fill(token)
  await form.getByRole('button', { name: 'Connect' }).click()
  await expect(page.getByRole('status').getByText(`Connected to ${server.url}`)).toBeVisible()
  // The admin who set it up acts as the token's crew lead: Maria's day, no crew to pick.
  await page.goto(`${crewLaptop.url}#/today`)
  const today = page.getByRole('region', { name: 'Today' })
  await expect(today.getByText('Crew: Maria Crew')).toBeVisible({ timeout: 60_000 })
  await expect(today.getByText('Gate code 4411')).toBeVisible()
  await expect(today.getByText('Not for Maria')).toHaveCount(0)
  await expect(today.getByRole('combobox', { name: 'Crew' })).toHaveCount(0)
  // The office's setup checklist is not theirs.
  await expect(page.getByRole('link', { name: 'Getting started' })).toHaveCount(0)
  await page.screenshot({ path: 'test-results/join-server-crew-today.png' })
})
