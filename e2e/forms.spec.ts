import { expect, test } from '@playwright/test'
import { addDays, localDay } from '../shared/domain/time'
import { AppointmentForm } from './pages/appointment-form'
import { api, ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
})

test('a bad appointment form shows what to fix, next to each field', async ({ page }) => {
  await page.goto('/#/appointments')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.dialog.getByLabel('Duration (minutes)').fill('2')
  await form.fill({ price: '12.345' })
  await form.submit()
  await expect(form.dialog.getByText('Choose a client', { exact: true })).toBeVisible()
  await expect(form.dialog.getByText('Choose a service', { exact: true })).toBeVisible()
  await expect(form.dialog.getByText('must be at least 5 minutes')).toBeVisible()
  await expect(
    form.dialog.getByText(/must be an amount such as 55, 55.00 or \$1,200/),
  ).toBeVisible()
  await expect(form.dialog.getByLabel('Price')).toHaveAttribute('aria-invalid', 'true')
  // Focus goes to the first field to fix, as the form lays them out: the client.
  await expect(form.client).toBeFocused()
  await page.screenshot({ path: 'docs/screenshots/appointment-form-errors.png' })
  // Each message goes as its field is put right: a client picked, a service chosen.
  await form.fill({ client: 'Jones HOA', service: 'Lawn mowing (45 min)' })
  await expect(form.dialog.getByText('Choose a client', { exact: true })).toBeHidden()
  await expect(form.dialog.getByText('Choose a service', { exact: true })).toBeHidden()
  await expect(form.dialog.getByText(/must be an amount such as/)).toBeVisible()
  // What was typed is not dropped without asking.
  await form.dialog.getByRole('button', { name: 'Cancel' }).click()
  const ask = page.getByRole('alertdialog', { name: 'Leave your changes?' })
  await expect(ask).toContainText('Your changes to the new appointment are not saved.')
  await ask.getByRole('button', { name: 'Discard changes' }).click()
  await expect(form.dialog).toBeHidden()
})

test('closing a form with changes typed asks first; an untouched one just closes', async ({
  page,
}) => {
  await page.goto('/#/clients')
  const dialog = page.getByRole('dialog', { name: 'New client' })
  const ask = page.getByRole('alertdialog', { name: 'Leave your changes?' })
  await page.getByRole('button', { name: 'New client' }).click()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(ask).toBeHidden()

  await page.getByRole('button', { name: 'New client' }).click()
  await dialog.getByLabel('Name').fill('Half-typed Gardens')
  await page.keyboard.press('Escape')
  await expect(ask).toContainText('Your changes to the new client are not saved.')
  // Escape on the question keeps the form, as Keep editing does.
  await page.keyboard.press('Escape')
  await expect(ask).toBeHidden()
  await expect(dialog.getByLabel('Name')).toHaveValue('Half-typed Gardens')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await ask.getByRole('button', { name: 'Keep editing' }).click()
  await expect(dialog.getByLabel('Name')).toHaveValue('Half-typed Gardens')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await ask.getByRole('button', { name: 'Discard changes' }).click()
  await expect(dialog).toBeHidden()

  // The booking form too: notes typed are asked about.
  await page.goto('/#/appointments')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.dialog.getByLabel('Notes').fill('Gate code 1234')
  await page.keyboard.press('Escape')
  await expect(ask).toContainText('Your changes to the new appointment are not saved.')
  await ask.getByRole('button', { name: 'Keep editing' }).click()
  await expect(form.dialog.getByLabel('Notes')).toHaveValue('Gate code 1234')
  await form.dialog.getByRole('button', { name: 'Close' }).click()
  await ask.getByRole('button', { name: 'Discard changes' }).click()
  await expect(form.dialog).toBeHidden()
})

test("the crew member's field says before booking that they are off or outside their hours", async ({
  page,
  request,
}) => {
  const name = `Hana Hours ${Date.now() % 100_000}`
  const mowing = (await api(request, 'catalog.services.list', { search: 'Lawn mowing' })).results
  const hana = await api(request, 'team.create', {
    name,
    specialtyIds: mowing.filter((s) => s.name === 'Lawn mowing').map((s) => s.id),
    workingHours: '08:00-15:00',
    workingDays: [1, 2, 3, 4],
  })
  const monday = nextWeekday(1)
  await api(request, 'team.timeOff.add', {
    teamMemberId: hana.id,
    startsOn: monday,
    endsOn: monday,
    reason: 'Dentist',
  })
  await page.goto('/#/appointments')
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.fill({ client: 'Jones HOA', service: 'Lawn mowing (45 min)', crew: name })
  const crew = form.dialog.getByLabel('Crew member')
  const start = form.dialog.getByLabel('Start')
  // A Tuesday at 9: within her hours, nothing to say.
  await start.fill(`${addDays(monday, 1)}T09:00`)
  await expect(crew).not.toHaveAccessibleDescription(/outside| is off /)
  // At 2:30 PM, 45 minutes run past her 3 PM.
  await start.fill(`${addDays(monday, 1)}T14:30`)
  await expect(crew).toHaveAccessibleDescription(
    `This time is outside ${name}'s working hours (8:00 AM to 3:00 PM, Monday to Thursday)`,
  )
  // A Friday: not one of her days.
  await start.fill(`${addDays(monday, 4)}T09:00`)
  await expect(crew).toHaveAccessibleDescription(/outside .* hours/)
  // The Monday she is off.
  await start.fill(`${monday}T09:00`)
  await expect(crew).toHaveAccessibleDescription(`${name} is off on ${dayWords(monday)} (Dentist)`)
  await form.dialog.getByRole('button', { name: 'Cancel' }).click()
})

/** "Mon, Dec 7": a local day as the app writes it. */
const dayWords = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  })

/** The next date (YYYY-MM-DD, Chicago) falling on `weekday` (0 = Sunday), a week ahead at least. */
function nextWeekday(weekday: number): string {
  let day = addDays(localDay(Date.now(), 'America/Chicago'), 7)
  while (new Date(`${day}T12:00:00Z`).getUTCDay() !== weekday) day = addDays(day, 1)
  return day
}
