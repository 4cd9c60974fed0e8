import { expect, test } from '@playwright/test'
import { api, type Business, book, bridgeAuth, ensureBusiness } from './support/api'

/**
 * A client's wishes about messages, set in their dialog: saved through clients.update,
 * shown again when the dialog reopens, with the messages sent to them beneath.
 */
let biz: Business

test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
})

test("a client's message preferences are saved and shown again, with their messages", async ({
  page,
  request,
}) => {
  test.setTimeout(60_000)
  const stamp = Date.now().toString(36)
  const name = `Pat Preferences ${stamp}`
  const client = await api(request, 'clients.create', {
    name,
    email: `pat.${stamp}@example.com`,
    phone: '415 555 0123',
  })
  await book(request, {
    clientId: client.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2031-11-04T15:00:00.000Z',
  })

  await page.goto('/#/clients')
  await page.getByRole('searchbox', { name: 'Search clients' }).fill(name)
  await page.getByRole('button', { name: `Edit ${name}` }).click()
  const dialog = page.getByRole('dialog', { name: `Edit ${name}` })
  const prefs = dialog.getByRole('group', { name: 'Messages to this client' })
  await expect(prefs.getByRole('checkbox', { name: 'Send email' })).toBeChecked()
  await expect(prefs.getByRole('checkbox', { name: /^Send texts/ })).not.toBeChecked()

  // Opting in to texts with a number lacking its country code says what is missing.
  await prefs.getByRole('checkbox', { name: /^Send texts/ }).check()
  await expect(prefs).toContainText('The phone number needs + and the country code')
  await dialog.getByLabel('Phone').fill('+1 415 555 0123')
  await expect(prefs).not.toContainText('The phone number needs + and the country code')

  await prefs.getByRole('checkbox', { name: 'Send email' }).uncheck()
  await prefs.getByRole('checkbox', { name: 'No SMS reminders' }).check()
  await prefs.getByRole('checkbox', { name: 'No email weather notices' }).check()
  await prefs.getByLabel('Language').selectOption({ label: 'Spanish' })
  // The booking confirmation is listed under the form, whatever became of it.
  const messages = dialog.getByRole('region', { name: 'Message history' })
  await expect(messages.getByRole('row', { name: /Booking confirmation/ })).toBeVisible({
    timeout: 20_000,
  })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/client-preferences-1024.png', fullPage: true })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: 'test-results/client-preferences.png' })
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()

  const saved = await api(request, 'clients.get', { id: client.id })
  expect(saved).toMatchObject({
    phone: '+1 415 555 0123',
    notifyEmail: false,
    notifySms: true,
    locale: 'es',
  })
  expect([...saved.notifyOff].sort()).toEqual(['reminder:sms', 'weather:email'])

  // Opened again, the dialog shows what was saved.
  await page.getByRole('button', { name: `Edit ${name}` }).click()
  await expect(prefs.getByRole('checkbox', { name: 'Send email' })).not.toBeChecked()
  await expect(prefs.getByRole('checkbox', { name: /^Send texts/ })).toBeChecked()
  await expect(prefs.getByRole('checkbox', { name: 'No SMS reminders' })).toBeChecked()
  await expect(prefs.getByRole('checkbox', { name: 'No email weather notices' })).toBeChecked()
  await expect(
    prefs.getByRole('checkbox', { name: 'No SMS booking confirmations' }),
  ).not.toBeChecked()
  await expect(prefs.getByLabel('Language')).toHaveValue('es')
  // Escape closes it, and the place in the list is kept: focus is back on its Edit.
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('button', { name: `Edit ${name}` })).toBeFocused()
  await page.getByRole('button', { name: `Edit ${name}` }).click()

  // Turned back on: the saved overrides stay, only email changes.
  await prefs.getByRole('checkbox', { name: 'Send email' }).check()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  const again = await api(request, 'clients.get', { id: client.id })
  expect(again.notifyEmail).toBe(true)
  expect([...again.notifyOff].sort()).toEqual(['reminder:sms', 'weather:email'])
})

test('a visit says why its client is told nothing: no address, and texts off', async ({
  page,
  request,
}) => {
  const stamp = Date.now().toString(36)
  const name = `Tex Unreachable ${stamp}`
  const client = await api(request, 'clients.create', { name, phone: '555-1008' })
  // Texts need the number in international form: the opt-in is refused, naming the field.
  const refused = await request.post('/rpc', {
    data: { channel: 'clients.update', input: { id: client.id, notifySms: true } },
    headers: bridgeAuth(),
  })
  expect((await refused.json()).error.issues).toEqual([
    {
      path: 'phone',
      message: 'needs + and the country code for text messages, such as +1 415 555 0100',
    },
  ])
  await book(request, {
    clientId: client.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: '2031-11-11T15:00:00.000Z',
  })
  await page.goto(`/#/appointments?client=${client.id}`)
  await page.getByRole('button', { name: 'Nov 11, 2031, 9:00 AM' }).click()
  const details = page.getByRole('dialog', { name: `Lawn mowing for ${name}` })
  const messages = details.getByRole('region', { name: 'Messages about this visit' })
  const confirmation = messages.getByRole('row', { name: /Booking confirmation/ })
  await expect(confirmation).toContainText('Not sent', { timeout: 20_000 })
  await expect(confirmation).toContainText(
    'the client has no email address; the client has not opted in to SMS',
  )
})
