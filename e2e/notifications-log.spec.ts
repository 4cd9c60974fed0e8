import { expect, test } from '@playwright/test'
import { type SmtpStandIn, startSmtpStandIn } from '../testing/smtp-standin'
import { NotificationsPage } from './pages/notifications-pages'
import { api, type Business, book, DEMO_PIN, ensureBusiness } from './support/api'

/**
 * The send log, against a real SMTP server on loopback (the stand-in) that this laptop
 * sends through, as a laptop without a sync server does: a confirmation the mail server
 * refuses for good (550) shows as given up with the server's words, and Retry sends it.
 */
let biz: Business
let smtp: SmtpStandIn

test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
  smtp = await startSmtpStandIn()
  // Saved as an office would: the sender reads the zone from the saved settings only.
  await api(request, 'settings.update', { timeZone: 'America/Chicago' })
  // The provider is an admin's to set up.
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'notifications.updateSettings', {
    businessName: 'Greenway Gardens',
    businessPhone: '+1 555 0100',
    // Whatever the hour this runs, messages may go at once.
    sendingHours: { start: '00:00', end: '23:59' },
    email: {
      host: '127.0.0.1',
      port: Number(new URL(smtp.url).port),
      secure: false,
      user: null,
      from: 'Greenway Gardens <office@greenway.test>',
    },
  })
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
})

test.afterAll(async ({ request }) => {
  // The other specs share this laptop: no provider, the default sending hours.
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'notifications.updateSettings', {
    email: null,
    sendingHours: { start: '08:00', end: '20:00' },
  })
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await smtp?.close()
})

test('a confirmation the mail server refuses shows as given up, and Retry sends it', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000)
  // Every message is refused until this test says otherwise (another spec's leftover
  // message may reach the server first).
  smtp.refuseNext(1000, { code: 550, message: 'Mailbox unavailable' })
  const stamp = Date.now().toString(36)
  const name = `Dana Deadletter ${stamp}`
  const address = `dana.${stamp}@example.com`
  const client = await api(request, 'clients.create', { name, email: address })
  const job = await book(request, {
    clientId: client.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2031-10-07T14:00:00.000Z', // 9:00 AM in Chicago
  })

  const log = new NotificationsPage(page)
  await log.open()
  await expect(log.screen).toContainText('This laptop sends messages itself when online.')
  await log.filterClient(name)
  const row = log.row('Booking confirmation', name)
  // The laptop's sender passes within seconds of the booking; the open list follows
  // what it writes to the log without being asked.
  await expect(row).toContainText('Failed, gave up', { timeout: 30_000 })
  await expect(row).toContainText(address)
  await expect(row).toContainText('550')
  await expect(row).toContainText('Mailbox unavailable')
  await expect(row).toContainText('Oct 7, 2031 9:00 AM') // the visit, in Chicago time
  await log.filterStatus('Failed, gave up')
  await expect(row).toHaveCount(1)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: 'test-results/notifications-dead.png' })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/notifications-dead-1024.png' })

  // Opened, the message shows as it was written for the client.
  await row.getByRole('button', { name: 'Booking confirmation', exact: true }).click()
  const dialog = log.dialog(`Booking confirmation by email to ${name}`)
  await expect(dialog).toContainText('Your Lawn mowing visit is booked for Tue, Oct 7 at 9:00 AM')
  await expect(dialog).toContainText(`Hello ${name},`)
  await expect(dialog).toContainText('Greenway Gardens · +1 555 0100')
  await page.screenshot({ path: 'test-results/notifications-message-1024.png' })
  await dialog.getByRole('button', { name: 'Close' }).last().click()

  // The mail server takes messages again; Retry sends this one, and the list follows.
  smtp.refuseNext(0, { code: 550, message: '' })
  await log.filterStatus('Failed, gave up', false)
  await row.getByRole('button', { name: /^Retry/ }).click()
  await expect(row).toContainText('Sent', { timeout: 20_000 })
  await expect(row.getByRole('button', { name: /^Retry/ })).toHaveCount(0)
  const mail = smtp.received.find((m) => m.to.includes(address))
  expect(mail?.headers.get('subject')).toBe(
    'Your Lawn mowing visit is booked for Tue, Oct 7 at 9:00 AM',
  )
  expect(mail?.text).toContain(`Hello ${name},`)

  // The visit's own details list its messages.
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/#/appointments?client=${client.id}`)
  await page.getByRole('button', { name: 'Oct 7, 2031, 9:00 AM' }).click()
  const details = page.getByRole('dialog', { name: `Lawn mowing for ${name}` })
  const messages = details.getByRole('region', { name: 'Messages about this visit' })
  await expect(messages.getByRole('row', { name: /Booking confirmation/ })).toContainText('Sent')
  await page.screenshot({ path: 'test-results/notifications-appointment.png' })
  await messages.getByRole('link', { name: 'Open in Notifications' }).click()
  await expect(log.heading).toBeVisible()
  await expect(log.screen).toContainText(`Messages about Lawn mowing for ${name}`)
  await expect(log.row('Booking confirmation', name)).toContainText('Sent')
  // The reminder waits for its day, 24 hours before the visit.
  await expect(log.row('Reminder', name)).toContainText('Scheduled')
  await expect(log.row('Reminder', name)).toContainText('Oct 6, 2031 9:00 AM')
  await page.screenshot({ path: 'test-results/notifications-visit.png' })
  expect(page.url()).toContain(`appointment=${job.id}`)
})
