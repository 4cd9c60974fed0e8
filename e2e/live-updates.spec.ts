import { type APIRequestContext, expect, test } from '@playwright/test'
import { uuidv7 } from '../shared/domain/ids'
import { PROTOCOL_VERSION, type SyncedTable } from '../shared/sync/protocol'
import type { TestServer } from '../testing/sync-harness'
import { api, type Business, book, ensureBusiness } from './support/api'
import { joinNewServer, leaveServer } from './support/server'

/**
 * Screens follow changes they did not make. This laptop syncs with a real sync server
 * started here; "the other laptop" speaks the protocol to that server. Nothing asks
 * this laptop to sync: the server tells it of the change (the request it holds open
 * between rounds), it pulls, and the open calendar and crew board show the change
 * within seconds, with no reload.
 */
let biz: Business
let server: TestServer
let otherToken: string

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000)
  biz = await ensureBusiness(request)
  const joined = await joinNewServer(request, biz, {
    laptop: 'This laptop',
    other: 'The other laptop',
  })
  server = joined.server
  otherToken = joined.otherToken
})

test.afterAll(async ({ request }) => {
  // The other specs share this laptop: unconnected, Ana's colour as it was, the office manager on.
  await leaveServer(request, biz, server, () =>
    api(request, 'team.update', { id: biz.anaId, color: '#1565c0' }),
  )
})

/** The other laptop's change, pushed to the server in the protocol's own words. */
async function changeOnOtherLaptop(
  request: APIRequestContext,
  table: SyncedTable,
  rowId: string,
  fields: Record<string, unknown>,
) {
  const hlc = `${String(Date.now()).padStart(15, '0')}-00000-otherlaptop0001`
  const res = await request.post(`${server.url}/v1/sync/push`, {
    headers: { authorization: `Bearer ${otherToken}` },
    data: { protocol: PROTOCOL_VERSION, mutations: [{ id: uuidv7(), table, rowId, hlc, fields }] },
  })
  expect((await res.json()).data.results[0].status).toBe('applied')
}

/** This laptop's sync round, started from outside the page. */
const pull = (request: APIRequestContext) => api(request, 'sync.now', {})

test('a change from another laptop shows on the open calendar and crew board, no reload', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000)
  const job = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2031-09-09T10:00:00-05:00',
    notes: 'live updates',
  })
  await pull(request)
  await page.goto('/#/calendar?view=timeGridWeek&date=2031-09-08')
  let loads = 0
  page.on('load', () => {
    loads += 1
  })
  const event = page.getByRole('button', { name: /Smith Residence/ })
  await expect(event).toContainText('10:00')
  await expect(event).toContainText('Ana Crew')

  // The other laptop moves the job an hour later and gives Ana another colour.
  await changeOnOtherLaptop(request, 'appointments', job.id, {
    scheduled_at: '2031-09-09T16:00:00.000Z',
  })
  await changeOnOtherLaptop(request, 'team_members', biz.anaId, { color: '#d32f2f' })
  await expect(event).toContainText('11:00', { timeout: 5_000 })
  await expect(event).toHaveCSS('background-color', 'rgb(211, 47, 47)', { timeout: 5_000 })

  // On the day by crew, a crew member added on the other laptop gets a column.
  await page.getByRole('tab', { name: 'Day by crew' }).click()
  await page.getByRole('button', { name: 'Next day' }).click()
  await expect(page.getByRole('region', { name: "Ana Crew's day" })).toBeVisible()
  const newcomer = uuidv7()
  await changeOnOtherLaptop(request, 'team_members', newcomer, {
    name: 'Nora Newcomer',
    email: null,
    phone: null,
    color: '#00897b',
    is_available: true,
  })
  await expect(page.getByRole('region', { name: "Nora Newcomer's day" })).toBeVisible({
    timeout: 5_000,
  })
  // The booking form's crew list has her too.
  await page.getByRole('button', { name: 'New appointment' }).click()
  const crew = page.getByRole('dialog', { name: 'New appointment' }).getByLabel('Crew member')
  await expect(crew.getByRole('option', { name: 'Nora Newcomer' })).toHaveCount(1)
  await page.keyboard.press('Escape')
  await page.screenshot({ path: 'test-results/live-updates-crew-board.png' })
  expect(loads, 'the page never reloaded').toBe(0)

  // Archived again so that other specs' boards stay as they were.
  await changeOnOtherLaptop(request, 'team_members', newcomer, {
    deleted_at: new Date().toISOString(),
  })
  await pull(request)
})
