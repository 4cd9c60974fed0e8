import { type APIRequestContext, expect, type Page, test } from '@playwright/test'
import { uuidv7 } from '../shared/domain/ids'
import { PROTOCOL_VERSION } from '../shared/sync/protocol'
import type { TestServer } from '../testing/sync-harness'
import { WhoIsUsingCard } from './pages/session-pages'
import { at, businessDay } from './pages/weather-pages'
import { api, type Business, book, DEMO_PIN, ensureBusiness } from './support/api'
import { joinNewServer, leaveServer } from './support/server'

/**
 * A crew lead is told on the desktop when the office moves one of their crew's jobs for
 * today or tomorrow. This laptop syncs with a real sync server started here; the office
 * ("the other laptop") moves the job through that server. The page's Notification API
 * is a stand-in recording what the app asks of it.
 */
let biz: Business
let server: TestServer
let officeToken: string

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000)
  biz = await ensureBusiness(request)
  const joined = await joinNewServer(request, biz, {
    laptop: 'Crew laptop',
    other: 'Office laptop',
  })
  server = joined.server
  officeToken = joined.otherToken
})

test.afterAll(async ({ request }) => {
  // The other specs share this laptop: unconnected, the office manager on.
  await leaveServer(request, biz, server)
})

interface Recorded {
  asked: number
  shown: { title: string; body: string | undefined }[]
}
type Permission = 'default' | 'granted' | 'denied'

/** Replaces the page's Notification API with one that records, and grants when asked. */
async function recordNotices(page: Page) {
  await page.addInitScript(() => {
    const calls: Recorded = { asked: 0, shown: [] }
    const page = globalThis as unknown as { __notices: Recorded }
    page.__notices = calls
    class RecordingNotification {
      static permission: Permission = 'default'
      static requestPermission(): Promise<Permission> {
        calls.asked += 1
        RecordingNotification.permission = 'granted'
        return Promise.resolve('granted')
      }
      onclick: (() => void) | null = null
      constructor(title: string, options?: { body?: string }) {
        calls.shown.push({ title, body: options?.body })
      }
    }
    Object.defineProperty(globalThis, 'Notification', {
      value: RecordingNotification,
      configurable: true,
      writable: true,
    })
  })
  return () => page.evaluate(() => (globalThis as unknown as { __notices: Recorded }).__notices)
}

/** A time of day on the business's calendar (Chicago), `days` from today there. */
const chicago = (days: number, hour: number): string => at(businessDay(days), hour)

/** The office moves a job, speaking the sync protocol to the server. */
async function moveFromOffice(request: APIRequestContext, jobId: string, scheduledAt: string) {
  const res = await request.post(`${server.url}/v1/sync/push`, {
    headers: { authorization: `Bearer ${officeToken}` },
    data: {
      protocol: PROTOCOL_VERSION,
      mutations: [
        {
          id: uuidv7(),
          table: 'appointments',
          rowId: jobId,
          hlc: `${String(Date.now()).padStart(15, '0')}-00000-officelaptop01`,
          fields: { scheduled_at: scheduledAt },
        },
      ],
    },
  })
  expect((await res.json()).data.results[0].status).toBe('applied')
}

test("a crew lead gets a desktop notice when the office moves their crew's job", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000)
  // Tomorrow, so that it is "today or tomorrow" whenever this runs.
  const job = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: chicago(1, 10),
    notes: 'crew notice',
  })
  await api(request, 'sync.now', {}) // the job reaches the server

  // The office manager uses the laptop: nobody is asked about desktop notices.
  const notices = await recordNotices(page)
  await page.goto('/#/calendar')
  await expect(page.getByRole('heading', { name: 'Calendar', level: 1 })).toBeVisible()
  const who = new WhoIsUsingCard(page)
  await who.open()
  expect((await notices()).asked).toBe(0)

  // The crew lead of Ana's crew signs in: asked once.
  await who.choose('Leo Lead — Crew lead for Ana Crew')
  await expect(page.getByRole('link', { name: 'Today' })).toBeVisible()
  await expect.poll(async () => (await notices()).asked).toBe(1)

  // The office moves the job to 2 PM; this laptop's next round brings it with a notice.
  await moveFromOffice(request, job.id, chicago(1, 14))
  await api(request, 'sync.now', {})
  await expect.poll(async () => (await notices()).shown, { timeout: 10_000 }).toHaveLength(1)
  const [shown] = (await notices()).shown
  expect(shown?.title).toBe('Job moved')
  expect(shown?.body).toMatch(
    /^Lawn mowing for Smith Residence (today|tomorrow) at 2:00\sPM \(was .+ at 10:00\sAM\)$/,
  )
  expect((await notices()).asked, 'asked only once').toBe(1)

  // Back to the office manager: a move now tells no one on this laptop (the list shows
  // the move, so its notice has come and gone).
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await page.goto('/#/appointments?search=crew+notice')
  const row = page.getByRole('row', { name: /Smith Residence/ })
  await expect(row).toContainText('2:00 PM')
  await moveFromOffice(request, job.id, chicago(1, 15))
  await api(request, 'sync.now', {})
  await expect(row).toContainText('3:00 PM')
  expect((await notices()).shown, 'no notice for the office manager').toHaveLength(1)

  // Cancelled so that other specs' boards stay as they were.
  await api(request, 'appointments.setStatus', { id: job.id, status: 'cancelled' })
  await api(request, 'sync.now', {})
})
