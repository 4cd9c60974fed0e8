import { type APIRequestContext, expect, test } from '@playwright/test'
import { buildServer } from '../server/app'
import { uuidv7 } from '../shared/domain/ids'
import { type Conflict, PROTOCOL_VERSION } from '../shared/sync/protocol'
import { startTestServer, type TestServer } from '../testing/sync-harness'
import { ConflictsPage, SyncSettingsPage } from './pages/sync-pages'
import { api, type Business, book, DEMO_PIN, ensureBusiness } from './support/api'

/**
 * This laptop syncs with a real sync server (on its own fresh database) started here;
 * "another laptop" is this spec speaking the sync protocol to that server directly.
 */
let biz: Business
let server: TestServer
let officeToken: string
let fieldToken: string

test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
  server = await startTestServer()
  officeToken = await server.token('admin', { label: 'Office laptop' })
  fieldToken = await server.token('office_manager', { label: 'Field laptop' })
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
})

test.afterAll(async ({ request }) => {
  // The other specs share this laptop: leave it unconnected, with the office manager on.
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'sync.disconnect', {})
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await server?.close()
})

/** A clock value of the other laptop, as protocol.ts defines it. */
const hlc = (node: string) => `${String(Date.now()).padStart(15, '0')}-00000-${node}`

/** The other laptop sends its changes, speaking the protocol itself. */
async function pushFromFieldLaptop(
  request: APIRequestContext,
  mutation: { table: 'appointments'; rowId: string; fields: Record<string, unknown> },
) {
  const res = await request.post(`${server.url}/v1/sync/push`, {
    headers: { authorization: `Bearer ${fieldToken}` },
    data: {
      protocol: PROTOCOL_VERSION,
      mutations: [{ id: uuidv7(), hlc: hlc('fieldlaptop'), ...mutation }],
    },
  })
  expect((await res.json()).data.results[0].status).toBe('applied')
}

/** The conflicts the server holds, open and resolved. */
async function serverConflicts(request: APIRequestContext): Promise<Conflict[]> {
  const res = await request.post(`${server.url}/v1/conflicts`, {
    headers: { authorization: `Bearer ${fieldToken}` },
    data: { status: 'all' },
  })
  return (await res.json()).data.conflicts
}

test('an admin connects the laptop, and a double booking from another laptop is settled', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000)
  const settings = new SyncSettingsPage(page)
  const inbox = new ConflictsPage(page)

  // A job booked on this laptop before it is connected: the first sync sends it up.
  const scheduledAt = '2031-06-03T15:00:00.000Z' // 10:00 in Chicago
  const first = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt,
    durationMinutes: 90,
    notes: 'Front and back lawn',
  })

  await settings.open()
  await expect(settings.indicator).toBeHidden()
  // Nothing listens on port 9 here: said once, with what to check.
  await settings.connect('http://127.0.0.1:9', officeToken)
  await expect(
    settings.section.getByText(
      "The server could not be reached. Check the address and this laptop's connection, then try again.",
      { exact: true },
    ),
  ).toBeVisible({ timeout: 30_000 })
  // This app's own address answers, but it is no sync server: said so, not "unreachable".
  await settings.connect(new URL(page.url()).origin, officeToken)
  await expect(
    settings.section.getByText(
      /^Something answered at this address, but not a Groundskeeper sync server/,
    ),
  ).toBeVisible({ timeout: 30_000 })
  await settings.connect(server.url, 'x'.repeat(40))
  await expect(settings.section.getByText('the server does not accept this token')).toBeVisible()
  await expect(settings.section.getByLabel('Device token')).toHaveAttribute('aria-invalid', 'true')
  await page.screenshot({ path: 'docs/screenshots/settings-sync-connect.png' })

  await settings.connect(server.url, officeToken)
  // The first connection hands the server every row this laptop holds: a few seconds.
  // The first connection sends up the whole business (thousands of rows): it takes a while.
  await expect(page.getByText(`Connected to ${server.url}`)).toBeVisible({ timeout: 90_000 })
  await expect(
    settings.section.getByText('Office laptop · Office laptop user (Admin)'),
  ).toBeVisible()
  await expect(settings.indicator).toHaveAccessibleName(/^Sync: Synced just now$/, {
    timeout: 90_000,
  })
  await expect(settings.section.getByText('Up to date')).toBeVisible()

  await settings.button('Pause').click()
  await expect(settings.indicator).toHaveAccessibleName('Sync: Sync paused')
  await settings.button('Resume').click()
  await expect(settings.indicator).toHaveAccessibleName(/^Sync: Synced/)

  // Meanwhile, on a laptop that had not seen the job, Ana is booked over it for Jones HOA.
  const secondId = uuidv7()
  await pushFromFieldLaptop(request, {
    table: 'appointments',
    rowId: secondId,
    fields: {
      client_id: biz.jonesId,
      service_id: biz.mowingId,
      team_member_id: biz.anaId,
      scheduled_at: '2031-06-03T15:30:00.000Z',
      duration_minutes: 60,
      status: 'scheduled',
      notes: 'Squeezed in from the field',
      price: '55.00',
      follow_up_of_id: null,
      started_at: null,
      completed_at: null,
      deleted_at: null,
    },
  })

  await settings.button('Sync now').click()
  await expect(page.getByRole('status').filter({ hasText: /^Synced/ })).toBeVisible()
  await expect(settings.conflictsBadge()).toBeVisible()
  await settings.conflictsBadge().click()
  await expect(page.getByRole('heading', { name: 'Conflicts', level: 1 })).toBeVisible()

  const card = inbox.conflict('Crew member double-booked', 'Squeezed in from the field')
  await expect(card).toBeVisible()
  await expect(
    card.getByText('Ana Crew is booked for two jobs at the same time on Tuesday, June 3, 2031.'),
  ).toBeVisible()
  await expect(inbox.side(card, 'Booked first')).toContainText('Office laptop · Office laptop user')
  await expect(inbox.side(card, 'Booked second')).toContainText('Field laptop · Field laptop user')
  await expect(inbox.side(card, 'Booked second')).toContainText(/\d{4}, \d{1,2}:\d{2}/)
  await expect(inbox.field(card, 'Client')).toContainText('Smith Residence')
  await expect(inbox.field(card, 'Client')).toContainText('Jones HOA')
  await expect(inbox.field(card, 'Client (differs)')).toBeVisible()
  await expect(inbox.field(card, 'Crew member')).toHaveAccessibleName(/^Crew member Ana Crew/)
  await expect(inbox.field(card, 'Scheduled')).toContainText('Jun 3, 2031, 10:00 AM – 11:30 AM')
  await expect(inbox.field(card, 'Scheduled')).toContainText('Jun 3, 2031, 10:30 AM – 11:30 AM')
  await expect(inbox.field(card, 'Price')).toContainText('$55.00')
  await settings.dismissToasts()
  await page.screenshot({ path: 'docs/screenshots/conflicts-inbox.png' })

  // With the server out of reach the list stays readable, and a decision waits for it.
  await server.stopHttp()
  await page.getByRole('button', { name: 'Refresh' }).click()
  const offline = page.getByText(/^Offline — showing the list as of \w{3} \d{1,2}, \d{4}/)
  await expect(offline).toBeVisible()
  await expect(card).toBeVisible()
  await card.getByRole('button', { name: 'Keep both' }).click()
  await expect(
    page.getByRole('alert').filter({ hasText: 'Could not resolve the conflict' }),
  ).toBeVisible()
  await expect(settings.indicator).toHaveAccessibleName(/^Sync: Offline/)
  await server.startHttp()
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(offline).toBeHidden()

  await card.getByRole('button', { name: 'Unassign Ana Crew from Jones HOA' }).click()
  await expect(page.getByText('Conflict resolved: Ana Crew taken off Jones HOA')).toBeVisible()
  await expect(card).toBeHidden()

  // The decision reached the server, and the job booked second has no crew member now.
  const ours = (await serverConflicts(request)).find((c) => c.sides[1].rowId === secondId)
  expect(ours?.resolution).toBe('unassign_second')
  expect(ours?.resolvedAt).not.toBeNull()
  expect((await api(request, 'appointments.get', { id: secondId })).teamMemberId).toBeNull()
  expect((await api(request, 'appointments.get', { id: first.id })).teamMemberId).toBe(biz.anaId)

  await settings.open()
  await expect(settings.section.getByText('Up to date')).toBeVisible()
  await settings.dismissToasts()
  await page.screenshot({ path: 'docs/screenshots/settings-sync.png' })

  // An office manager may pause but not disconnect; a crew lead only sees how it stands.
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await page.reload()
  await expect(settings.button('Pause')).toBeVisible()
  await expect(settings.button('Disconnect…')).toBeHidden()
  await api(request, 'session.switch', { userId: biz.leadId })
  await page.reload()
  await expect(settings.button('Sync now')).toBeVisible()
  await expect(settings.button('Pause')).toBeHidden()
  await expect(page.getByRole('link', { name: 'Conflicts', exact: true })).toBeHidden()
  await expect(settings.indicator).toBeVisible()

  // Disconnecting tells the admin what happens to changes not sent yet.
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await page.reload()
  await server.stopHttp()
  await api(request, 'clients.create', { name: 'Added while the server is away' })
  await expect(settings.indicator).toHaveAccessibleName(/^Sync: Offline · 1 change waiting/, {
    timeout: 10_000,
  })
  await expect(settings.section.getByText('1 change', { exact: true })).toBeVisible()
  await settings.button('Disconnect…').click()
  const confirm = page.getByRole('alertdialog', { name: 'Disconnect from the sync server?' })
  await expect(confirm).toContainText('1 change made here has not been sent yet')
  await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click()
  await expect(page.getByText('This laptop no longer syncs')).toBeVisible()
  await expect(settings.indicator).toBeHidden()
  await expect(
    settings.section.getByRole('form', { name: 'Connect to a sync server' }),
  ).toBeVisible()
  await server.startHttp()
})

test('a job edited on one laptop after another deleted it is restored with the edits', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000)
  const inbox = new ConflictsPage(page)
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'sync.configure', { serverUrl: server.url, token: officeToken })
  const job = await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.pruningId,
    teamMemberId: biz.benId,
    scheduledAt: '2031-06-05T14:00:00.000Z',
    notes: 'Two maples by the gate',
    price: '120.00',
  })
  await api(request, 'sync.now', {})
  // The office deletes the job; the field laptop, not knowing, adds to its notes.
  await api(request, 'appointments.delete', { id: job.id })
  await api(request, 'sync.now', {})
  await pushFromFieldLaptop(request, {
    table: 'appointments',
    rowId: job.id,
    fields: { notes: 'Two maples by the gate. Gate code 4512', price: '140.00' },
  })
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })

  await page.goto('/#/conflicts')
  const card = inbox.conflict('Edited on one laptop, deleted on another', 'Gate code 4512')
  await expect(card).toBeVisible()
  // The inbox read the list from the server: the shell's count follows.
  await expect(new SyncSettingsPage(page).conflictsBadge()).toBeVisible()
  await expect(
    card.getByText(
      'Tree pruning for Jones HOA was deleted on Office laptop and changed on Field laptop without either knowing.',
    ),
  ).toBeVisible()
  await expect(inbox.side(card, 'Deleted')).toContainText('Office laptop · Office laptop user')
  await expect(inbox.side(card, 'Edited')).toContainText('Field laptop · Field laptop user')
  await expect(inbox.field(card, 'Price (edited)')).toContainText('$140.00')
  await expect(inbox.field(card, 'Notes (edited)')).toContainText('Gate code 4512')
  await expect(inbox.field(card, 'Client')).toHaveAccessibleName('Client Jones HOA unchanged')
  await expect(inbox.field(card, 'Deleted (deleted)')).toContainText('unchanged')
  await page.screenshot({ path: 'docs/screenshots/conflicts-edit-delete.png' })

  await card.getByRole('button', { name: 'Restore with the edits' }).click()
  await expect(
    page.getByText('Conflict resolved: Tree pruning for Jones HOA restored'),
  ).toBeVisible()
  await expect(card).toBeHidden()
  const restored = await api(request, 'appointments.get', { id: job.id })
  expect(restored.notes).toBe('Two maples by the gate. Gate code 4512')
  expect(restored.price).toBe('140.00')
  const ours = (await serverConflicts(request)).find((c) => c.rowId === job.id)
  expect(ours?.resolution).toBe('restore')
})

test("the screens take the sync token's role as soon as the laptop connects, and drop it on leaving", async ({
  page,
  request,
}) => {
  const leadToken = await server.token('crew_lead', {
    label: 'Crew laptop',
    teamMemberId: biz.anaId,
  })
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  // The tests before this one leave the laptop connected with an office token.
  await api(request, 'sync.disconnect', {})
  const settings = new SyncSettingsPage(page)
  // Office sections of Settings show only to office roles.
  const adminCard = page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'Notifications' })
  await settings.open()
  await expect(adminCard).toBeVisible()

  await settings.connect(server.url, leadToken)
  await expect(page.getByText(`Connected to ${server.url}`)).toBeVisible()
  // No reload: the admin now acts as a crew lead here, and the screens say so.
  await expect(adminCard).toBeHidden()
  const usersTab = page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'Users' })
  const syncTab = page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'Sync' })
  await usersTab.click()
  await expect(page.getByText("This laptop's sync token is a crew lead's")).toBeVisible()
  // The laptop's own users stay its admin's: the crew's laptop gets its crew lead here.
  await expect(page.getByRole('form', { name: 'Add a user' })).toBeVisible()
  await syncTab.click()

  // By their own role the admin may still leave the server; then the admin tools are back.
  await settings.button('Disconnect…').click()
  const confirm = page.getByRole('alertdialog', { name: 'Disconnect from the sync server?' })
  await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click()
  await expect(page.getByText('This laptop no longer syncs')).toBeVisible()
  await expect(adminCard).toBeVisible()
  await usersTab.click()
  await expect(page.getByRole('region', { name: 'Who is using this laptop' })).toBeVisible()
  await expect(page.getByText("This laptop's sync token is a crew lead's")).toBeHidden()
})

test('a crew lead is told at once when the server refuses their change to a job given to another crew', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000)
  const leadToken = await server.token('crew_lead', {
    label: 'Crew laptop, refused',
    teamMemberId: biz.anaId,
  })
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'sync.disconnect', {})
  // The office books Ana's job from another laptop (the server holds the business since
  // the first test sent it up)...
  const job = { id: uuidv7() }
  await pushFromFieldLaptop(request, {
    table: 'appointments',
    rowId: job.id,
    fields: {
      client_id: biz.jonesId,
      service_id: biz.mowingId,
      team_member_id: biz.anaId,
      scheduled_at: '2031-06-03T14:00:00.000Z',
      duration_minutes: 45,
      status: 'scheduled',
      notes: '',
      price: '55.00',
      follow_up_of_id: null,
      started_at: null,
      completed_at: null,
      deleted_at: null,
    },
  })
  // ...and this laptop, given to Ana's crew lead, receives it; then it loses the server.
  await api(request, 'sync.configure', { serverUrl: server.url, token: leadToken })
  await api(request, 'session.switch', { userId: biz.leadId, pin: DEMO_PIN })
  await expect
    .poll(
      async () =>
        (await api(request, 'appointments.get', { id: job.id }).catch(() => null))?.teamMemberId,
      { timeout: 60_000 },
    )
    .toBe(biz.anaId)
  await server.stopHttp()
  // ...and, not knowing the office gave the job to Ben meanwhile (the other laptop's push
  // reaches the server's database while this laptop cannot), the crew lead writes a note.
  const side = buildServer({ pool: server.pool })
  const pushed = await side.inject({
    method: 'POST',
    url: '/v1/sync/push',
    headers: { authorization: `Bearer ${fieldToken}` },
    payload: {
      protocol: PROTOCOL_VERSION,
      mutations: [
        {
          id: uuidv7(),
          hlc: hlc('fieldlaptop'),
          table: 'appointments',
          rowId: job.id,
          fields: { team_member_id: biz.benId },
        },
      ],
    },
  })
  await side.close()
  expect(pushed.json().data.results[0].status).toBe('applied')
  await api(request, 'appointments.update', { id: job.id, notes: 'Gate code 4411' })
  await page.goto('/#/today')
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible()

  // The server is back: the laptop finds it, the server refuses the note, the screen says so.
  await server.startHttp()
  const told = page.getByRole('alert').filter({ hasText: 'The server refused a change' })
  await expect(told).toContainText('the office gave this job to another crew', { timeout: 20_000 })
  await expect(told).toContainText('tell the office what was done')
  await page.screenshot({ path: 'test-results/sync-refused-toast.png' })
  await told.getByRole('button', { name: 'Details' }).click()
  await expect(page.getByRole('heading', { name: /^Changes the server refused/ })).toBeVisible()
  // What the refused change wrote is there to pass on to the office...
  await expect(page.getByText('The change: notes “Gate code 4411”')).toBeVisible()
  await page.screenshot({ path: 'test-results/sync-refused-list.png' })
  // Passed on, the list is cleared.
  await page.getByRole('button', { name: 'Clear this list' }).click()
  await expect(page.getByRole('heading', { name: /^Changes the server refused/ })).toBeHidden()
  // ...and the laptop now holds the job as the server does: Ben's, without the note.
  await expect
    .poll(async () => (await api(request, 'appointments.get', { id: job.id })).teamMemberId)
    .toBe(biz.benId)
  expect((await api(request, 'appointments.get', { id: job.id })).notes).not.toBe('Gate code 4411')

  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'sync.disconnect', {})
})
