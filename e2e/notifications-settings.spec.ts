import { expect, test } from '@playwright/test'
import { BUILT_IN_TEMPLATES } from '../shared/notifications/built-in-templates'
import { NotificationSettingsPage } from './pages/notifications-pages'
import { api, type Business, DEMO_PIN, ensureBusiness } from './support/api'

/**
 * Settings → Notifications → templates: the preview follows the typing (the core writes
 * it with sample values), a name that is not a variable is named under the field, and
 * an admin saves; an office manager may try wording but not save it.
 */
let biz: Business

test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
})

test.afterAll(async ({ request }) => {
  // The other specs' messages use the built-in words again.
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'notifications.saveTemplate', {
    kind: 'reminder',
    channel: 'sms',
    locale: 'en',
    ...BUILT_IN_TEMPLATES.en.reminder.sms,
  })
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
})

test('a template edit previews as typed, names an unknown variable, and an admin saves it', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000)
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  // The preview signs as messages will: with the business's own phone.
  await api(request, 'notifications.updateSettings', { businessPhone: '+1 555 0100' })
  const settings = new NotificationSettingsPage(page)
  await settings.open()
  await expect(settings.sending).toContainText(
    'No provider is set up: messages are logged as skipped.',
  )

  await settings.pick('Reminder', 'SMS')
  await expect(settings.body).toHaveValue(/^Reminder: your \{\{service\}\} visit/)
  await settings.body.fill('Hi {{client_name}}, see you {{when}}.')
  await expect(settings.preview).toContainText('Hi Jordan Smith, see you Thu, Dec 10 at 9:00 AM.')
  // What a text costs: its parts, more of them when a character is outside the SMS alphabet.
  await expect(settings.preview).toContainText('48 characters, sent as 1 SMS part')
  await settings.body.fill(`${'Hola {{client_name}}, está confirmado. '.repeat(2)}{{when}}`)
  await expect(settings.preview).toContainText(
    'sent as 2 SMS parts of up to 67 characters: “á” is outside the SMS alphabet',
  )
  await settings.body.fill('Hi {{client_name}}, see you {{when}}.')

  // A variable put in from the list, where the cursor is.
  await settings.body.press('End')
  await settings.body.press('Space')
  await settings.templates.getByRole('button', { name: '{{business_phone}}' }).click()
  await expect(settings.body).toHaveValue(
    'Hi {{client_name}}, see you {{when}}. {{business_phone}}',
  )
  await expect(settings.preview).toContainText('see you Thu, Dec 10 at 9:00 AM. +1 555 0100')

  await settings.body.pressSequentially(' {{gate_code}}')
  await expect(settings.bodyError).toContainText('{{gate_code}} is not a variable')
  await expect(settings.body).toHaveAttribute('aria-invalid', 'true')
  await expect(settings.body).toHaveAccessibleDescription(/\{\{gate_code\}\} is not a variable/)
  await expect(settings.preview).toContainText(
    'The preview shows once the template has no problem left',
  )
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/template-issue-1024.png', fullPage: true })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: 'test-results/template-issue.png', fullPage: true })

  // Saving it anyway is refused, and the refusal says why under the field.
  await settings.form.getByRole('button', { name: 'Save template' }).click()
  await expect(
    page.getByRole('alert').filter({ hasText: 'The template was not saved' }),
  ).toBeVisible()
  await expect(settings.bodyError).toContainText('{{gate_code}} is not a variable')

  await settings.body.fill('Hi {{client_name}}, see you {{when}}. {{business_phone}}')
  await expect(settings.bodyError).toHaveCount(0)
  await settings.form.getByRole('button', { name: 'Save template' }).click()
  await expect(settings.form).toContainText('Saved template, version')
  await expect(settings.form).not.toContainText('Unsaved changes')
  const { templates } = await api(request, 'notifications.templates', {})
  expect(
    templates.find((t) => t.kind === 'reminder' && t.channel === 'sms' && t.locale === 'en'),
  ).toMatchObject({
    body: 'Hi {{client_name}}, see you {{when}}. {{business_phone}}',
    builtIn: false,
  })
  await page.screenshot({ path: 'test-results/template-saved.png', fullPage: true })

  // Another message picked with changes unsaved: asked first, the words kept on "Keep".
  await settings.body.fill('Hi {{client_name}}, not saved yet.')
  const kind = settings.templates.getByLabel('Kind')
  await kind.selectOption({ label: 'Booking confirmation' })
  const leave = page.getByRole('alertdialog', { name: 'Leave your changes?' })
  await expect(leave).toContainText('Your changes to the reminder (SMS) template are not saved.')
  await leave.getByRole('button', { name: 'Keep editing' }).click()
  await expect(kind).toHaveValue('reminder')
  await expect(settings.body).toHaveValue('Hi {{client_name}}, not saved yet.')
  // Leaving the screen with changes unsaved asks the same, whichever way it is left.
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'Business' })
    .click()
  await expect(leave).toBeVisible()
  await leave.getByRole('button', { name: 'Keep editing' }).click()
  await page.getByRole('link', { name: 'Calendar' }).click()
  await leave.getByRole('button', { name: 'Keep editing' }).click()
  await expect(settings.body).toHaveValue('Hi {{client_name}}, not saved yet.')
  await expect(page).toHaveURL(/tab=notifications/)
  await kind.selectOption({ label: 'Booking confirmation' })
  await leave.getByRole('button', { name: 'Discard changes' }).click()
  await expect(kind).toHaveValue('confirmation')
  // With nothing unsaved, leaving asks nothing.
  await page.getByRole('link', { name: 'Calendar' }).click()
  await expect(page).toHaveURL(/#\/calendar/)
  await page.goBack()

  // An office manager sees the same words and may try others, but only an admin saves.
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await page.reload()
  await settings.pick('Reminder', 'SMS')
  await expect(settings.body).toHaveValue(
    'Hi {{client_name}}, see you {{when}}. {{business_phone}}',
  )
  await expect(settings.form).toContainText('Only an admin can save templates.')
  await expect(settings.form.getByRole('button', { name: 'Save template' })).toHaveCount(0)
})

test('sending settings: providers with write-only secrets, and each refusal on its field', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000)
  // The providers are an admin's to set up.
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  const settings = new NotificationSettingsPage(page)
  await settings.open()
  const form = settings.sending
  await form.getByLabel('Reminder, hours before the visit', { exact: true }).fill('48')
  await form.getByLabel('Send from', { exact: true }).fill('21:00')
  await form.getByLabel('Send until', { exact: true }).fill('07:00')
  await form.getByRole('checkbox', { name: 'Send email through a mail server (SMTP)' }).check()
  await form.getByLabel('Mail server', { exact: true }).fill('smtp server')
  await form.getByLabel('Sender address', { exact: true }).fill('the office')
  await form.getByRole('button', { name: 'Save sending settings' }).click()
  await expect(form.getByLabel('Send until', { exact: true })).toHaveAccessibleDescription(
    'must end after it starts',
  )
  await expect(form.getByLabel('Mail server', { exact: true })).toHaveAccessibleDescription(
    /must be a host name such as smtp.example.com/,
  )
  await expect(form.getByLabel('Sender address', { exact: true })).toHaveAccessibleDescription(
    /must be an address such as office@example.com/,
  )
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/sending-errors-1024.png' })

  // Nothing listens on this port: messages wait on this laptop, nothing leaves it.
  await form.getByLabel('Send from', { exact: true }).fill('07:00')
  await form.getByLabel('Send until', { exact: true }).fill('21:00')
  await form.getByLabel('Mail server', { exact: true }).fill('127.0.0.1')
  await form.getByLabel('Port', { exact: true }).fill('2525')
  await form.getByLabel('User name', { exact: true }).fill('office')
  await form.getByLabel('Password', { exact: true }).fill('s3cret-pass')
  await form
    .getByLabel('Sender address', { exact: true })
    .fill('Greenway Gardens <office@greenway.test>')
  await form.getByRole('button', { name: 'Save sending settings' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Notification settings saved' }),
  ).toBeVisible()
  await expect(form).toContainText('This laptop sends messages itself when online.')
  await expect(form.getByLabel('Password', { exact: true })).toHaveValue('')
  await expect(form.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(
    'Saved. Leave empty to keep it, or type a new one.',
  )
  const saved = await api(request, 'notifications.settings', {})
  expect(saved).toMatchObject({
    reminderLeadMinutes: 2880,
    sendingHours: { start: '07:00', end: '21:00' },
    email: { host: '127.0.0.1', port: 2525, user: 'office', passwordSet: true },
    sender: 'laptop',
  })
  await page.screenshot({ path: 'test-results/sending-saved-1024.png' })

  // The SMS provider needs its token the first time: the core's refusal lands on it.
  await form.getByRole('checkbox', { name: 'Send texts through Twilio' }).check()
  await form.getByLabel('Account SID', { exact: true }).fill(`AC${'0123456789abcdef'.repeat(2)}`)
  await form.getByLabel('Sender', { exact: true }).fill('+14155550100')
  await form.getByRole('button', { name: 'Save sending settings' }).click()
  await expect(form.getByLabel('Auth token', { exact: true })).toHaveAccessibleDescription(
    /^is required/,
  )
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: 'test-results/sending-sms-refused.png' })
  expect((await api(request, 'notifications.settings', {})).sms).toBeNull()

  // Removing the email provider leaves nobody to send.
  await form.getByRole('checkbox', { name: 'Send texts through Twilio' }).uncheck()
  await form.getByRole('checkbox', { name: 'Send email through a mail server (SMTP)' }).uncheck()
  await form.getByLabel('Reminder, hours before the visit', { exact: true }).fill('24')
  await form.getByRole('button', { name: 'Save sending settings' }).click()
  // Asked first: kept, the email settings are there as saved.
  const removing = page.getByRole('alertdialog', { name: 'Remove the email settings?' })
  await removing.getByRole('button', { name: 'Keep them' }).click()
  await expect(
    form.getByRole('checkbox', { name: 'Send email through a mail server (SMTP)' }),
  ).toBeChecked()
  expect((await api(request, 'notifications.settings', {})).email).not.toBeNull()
  await form.getByRole('checkbox', { name: 'Send email through a mail server (SMTP)' }).uncheck()
  await form.getByRole('button', { name: 'Save sending settings' }).click()
  await removing.getByRole('button', { name: 'Remove them' }).click()
  await expect(form).toContainText('No provider is set up: messages are logged as skipped.')
  expect(await api(request, 'notifications.settings', {})).toMatchObject({
    email: null,
    sms: null,
    reminderLeadMinutes: 1440,
  })

  // An office manager sets the timing; the providers are shown, for an admin to change.
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await page.reload()
  await expect(form).toContainText('An admin sets up the email and SMS providers.')
  await expect(
    form.getByRole('checkbox', { name: 'Send email through a mail server (SMTP)' }),
  ).toHaveCount(0)
  await form.getByLabel('Reminder, hours before the visit', { exact: true }).fill('36')
  await form.getByRole('button', { name: 'Save sending settings' }).click()
  await expect
    .poll(async () => (await api(request, 'notifications.settings', {})).reminderLeadMinutes)
    .toBe(2160)
  await api(request, 'notifications.updateSettings', { reminderLeadMinutes: 1440 })
})

test('the business name and phone live under Business; the sending settings say how messages are signed', async ({
  page,
  request,
}) => {
  await page.goto('/#/settings?tab=business')
  const card = page.getByRole('region', { name: 'Business', exact: true })
  await card.getByLabel('Business name', { exact: true }).fill('Greenway Gardens')
  await card.getByLabel('Business phone', { exact: true }).fill('+1 555 0100')
  await card.getByRole('button', { name: 'Save business details' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Business details saved' })).toBeVisible()
  expect(await api(request, 'notifications.settings', {})).toMatchObject({
    businessName: 'Greenway Gardens',
    businessPhone: '+1 555 0100',
  })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/business-details-1024.png' })

  // A typed change is never dropped by leaving without a word: asked first.
  const phone = card.getByLabel('Business phone', { exact: true })
  await phone.fill('+1 555 0199')
  const sections = page.getByRole('navigation', { name: 'Settings sections' })
  const leave = page.getByRole('alertdialog', { name: 'Leave your changes?' })
  await sections.getByRole('link', { name: 'Notifications' }).click()
  await expect(leave).toContainText("Your changes to the business's name and phone are not saved.")
  await leave.getByRole('button', { name: 'Keep editing' }).click()
  await expect(phone).toHaveValue('+1 555 0199')
  await expect(page).toHaveURL(/tab=business/)
  await sections.getByRole('link', { name: 'Notifications' }).click()
  await leave.getByRole('button', { name: 'Discard changes' }).click()
  await expect(page).toHaveURL(/tab=notifications/)

  const settings = new NotificationSettingsPage(page)
  await settings.open()
  await expect(settings.sending).toContainText(
    'Messages are signed “Greenway Gardens”, with +1 555 0100 to call back (Business).',
  )
  await expect(settings.sending.getByLabel('Business name')).toHaveCount(0)
  // The sending settings too: a changed lead time asks before the screen is left.
  const lead = settings.sending.getByLabel('Reminder, hours before the visit')
  const saved = await lead.inputValue()
  await lead.fill('36')
  await settings.sending.getByRole('link', { name: 'Business' }).click()
  await expect(leave).toContainText('Your changes to the sending settings are not saved.')
  await leave.getByRole('button', { name: 'Keep editing' }).click()
  await expect(lead).toHaveValue('36')
  await settings.sending.getByRole('link', { name: 'Business' }).click()
  await leave.getByRole('button', { name: 'Discard changes' }).click()
  // The business details as saved, not as typed and dropped.
  await expect(card.getByLabel('Business name', { exact: true })).toHaveValue('Greenway Gardens')
  await expect(phone).toHaveValue('+1 555 0100')
  await sections.getByRole('link', { name: 'Notifications' }).click()
  await expect(lead).toHaveValue(saved)

  // A crew lead reads them and cannot change them.
  await api(request, 'session.switch', { userId: biz.leadId })
  await page.reload()
  await expect(card.getByLabel('Business name', { exact: true })).toBeDisabled()
  await expect(card.getByRole('button', { name: 'Save business details' })).toHaveCount(0)
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
})

test('the business hours count as changed only when what they would save differs', async ({
  page,
}) => {
  await page.goto('/#/settings?tab=business')
  const card = page.getByRole('region', { name: 'Business hours' })
  const zone = card.getByRole('combobox', { name: 'Time zone' })
  const sections = page.getByRole('navigation', { name: 'Settings sections' })
  const leave = page.getByRole('alertdialog', { name: 'Leave your changes?' })
  // A search typed and left with Escape: the zone is as it was, and nothing is asked.
  await zone.fill('denv')
  await zone.press('Escape')
  await expect(zone).toHaveValue('America/Chicago')
  await sections.getByRole('link', { name: 'Users' }).click()
  await expect(page).toHaveURL(/tab=users/)
  await expect(leave).toHaveCount(0)

  // A zone picked from the list with the mouse is a change, though nothing was typed.
  await sections.getByRole('link', { name: 'Business' }).click()
  await zone.click()
  await page.getByRole('option', { name: /^America\/Denver/ }).click()
  await expect(zone).toHaveValue('America/Denver')
  await sections.getByRole('link', { name: 'Users' }).click()
  await expect(leave).toContainText('Your changes to the business hours are not saved.')
  await leave.getByRole('button', { name: 'Discard changes' }).click()
  await expect(page).toHaveURL(/tab=users/)
})
