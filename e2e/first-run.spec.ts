import { expect, type Locator, type Page, test } from '@playwright/test'
import { AppointmentForm } from './pages/appointment-form'
import { createFirstAdmin, FreshLaptop } from './support/fresh-laptop'

// Its own bridge on an empty data folder, beside the specs' seeded one.
const laptop = new FreshLaptop(Number(process.env.E2E_PORT ?? 5181) + 50)
test.beforeAll(async () => {
  // A new data folder is made from the template: seconds, more on a busy machine.
  test.setTimeout(120_000)
  await laptop.start()
})
test.afterAll(async () => {
  await laptop.remove()
})

/** The getting-started checklist and its steps. */
class Checklist {
  readonly screen: Locator
  constructor(readonly page: Page) {
    this.screen = page.getByRole('region', { name: 'Getting started' })
  }
  step(title: string): Locator {
    return this.screen
      .getByRole('list', { name: 'Setup steps' })
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('heading', { name: title, exact: true }) })
  }
  async expectDone(title: string) {
    await expect(this.step(title), title).toContainText('(done)')
  }
  async expectToDo(title: string) {
    await expect(this.step(title), title).toContainText('(to do)')
  }
}

test('a new laptop goes from an empty folder to its first booking through the checklist', async ({
  page,
}) => {
  test.setTimeout(150_000)
  await page.goto(laptop.url)

  // The first admin, with a PIN.
  await createFirstAdmin(page)

  // The business's name comes next, before anything else.
  await expect(page.getByRole('heading', { name: 'What is your business called?' })).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Business name' })).toBeFocused()
  await page.getByRole('textbox', { name: 'Business name' }).fill('Greenway Gardens')
  await page.getByRole('button', { name: 'Continue' }).click()

  const list = new Checklist(page)
  await expect(list.screen).toBeVisible()
  await expect(list.screen.getByText('1 of 7 done')).toBeVisible()
  await list.expectDone('Business name')
  for (const step of ['Time zone', 'Working hours and days', 'First services', 'Crew'])
    await list.expectToDo(step)

  // Time zone: chosen from the list by typing part of a city, never typed whole.
  await list.step('Time zone').getByRole('button', { name: 'Choose the time zone' }).click()
  const zoneDialog = page.getByRole('dialog', { name: 'Time zone' })
  const zone = zoneDialog.getByRole('combobox', { name: 'Time zone' })
  await expect(zone).toBeFocused()
  // The laptop's own zone is suggested first (the browser runs in Europe/Berlin).
  await expect(zone).toHaveValue('Europe/Berlin')
  // The weather's units follow the zone until chosen: metric in Berlin.
  const units = zoneDialog.getByRole('combobox', { name: 'Weather units' })
  await expect(units).toHaveValue('metric')
  // A city that is not a zone's own name finds its zone too, as does "central".
  await zone.fill('Dallas')
  const options = zoneDialog.getByRole('option')
  await expect(options.first()).toContainText('America/Chicago')
  await expect(options.first()).toContainText('Central Time')
  // A zone's name finds first the zones of the places the app is sold in.
  await zone.fill('eastern')
  await expect(options.first()).toContainText('America/New_York')
  await zone.fill('Chic')
  await expect(options.first()).toContainText('America/Chicago')
  await page.screenshot({ path: 'test-results/first-run-time-zone.png' })
  await zone.press('Enter')
  await expect(zone).toHaveValue('America/Chicago')
  // A zone of the United States suggests US units (inches, mph, °F).
  await expect(units).toHaveValue('us')
  await zoneDialog.getByRole('button', { name: 'Save' }).click()
  await list.expectDone('Time zone')
  await expect(list.step('Time zone')).toContainText('America/Chicago')
  // Saving the zone is not deciding the hours.
  await list.expectToDo('Working hours and days')

  // Working hours and days.
  await list.step('Working hours and days').getByRole('button').click()
  const hours = page.getByRole('dialog', { name: 'Working hours' })
  await hours.getByLabel('Day starts').fill('07:30')
  await hours.getByLabel('Day ends').fill('17:00')
  await hours.getByLabel('Saturday').uncheck()
  await hours.getByRole('button', { name: 'Save' }).click()
  await list.expectDone('Working hours and days')
  await expect(list.step('Working hours and days')).toContainText(
    '7:30 AM to 5:00 PM, Monday to Friday',
  )

  // The starter catalog, to adjust afterwards.
  await list.step('First services').getByRole('button', { name: 'Add services' }).click()
  const services = page.getByRole('dialog', { name: 'First services' })
  await services.getByRole('button', { name: 'Add a starter catalog' }).click()
  await expect(services.getByRole('cell', { name: 'Hedge trimming' })).toBeVisible()
  await expect(services.getByText(/change their prices, lengths and priorities/)).toBeVisible()
  await expect(services.getByRole('row', { name: /Lawn mowing/ })).toContainText('Medium')
  await services.getByRole('button', { name: 'Done' }).click()
  await list.expectDone('First services')
  await expect(list.screen.getByText('4 of 7 done')).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/first-run-checklist.png' })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'docs/screenshots/first-run-checklist-1024.png' })
  await page.setViewportSize({ width: 1440, height: 900 })

  // One crew member.
  await list.step('Crew').getByRole('button', { name: 'Add a crew member' }).click()
  const member = page.getByRole('dialog', { name: 'New crew member' })
  await member.getByLabel('Name').fill('Ana Crew')
  await member.getByRole('button', { name: 'Save' }).click()
  await expect(member).toBeHidden()
  await list.expectDone('Crew')

  // Booking before there is a client: the form says what is missing and adds it.
  await list.step('First booking').getByRole('button', { name: 'Book an appointment' }).click()
  const form = new AppointmentForm(page)
  await expect(form.dialog.getByText('Before booking, the business needs:')).toBeVisible()
  await expect(form.dialog.getByText('A client: every appointment is for a client.')).toBeVisible()
  await expect(form.dialog.getByRole('combobox', { name: 'Client' })).toHaveCount(0)
  await form.dialog.getByRole('button', { name: 'Add a client' }).click()
  const client = page.getByRole('dialog', { name: 'New client' })
  await client.getByLabel('Name').fill('Smith Residence')
  await client.getByLabel('Address').fill('12 Elm Street, Springfield')
  await client.getByRole('button', { name: 'Save' }).click()
  await expect(client).toBeHidden()

  // The form itself now, its first field focused.
  await expect(form.client).toBeFocused()
  await form.client.fill('smi')
  await expect(form.dialog.getByRole('option', { name: /^Smith Residence/ })).toBeVisible()
  await form.client.press('ArrowDown')
  await form.client.press('Enter')
  await expect(form.client).toHaveValue('Smith Residence')
  await form.fill({ service: 'Lawn mowing (45 min)', crew: 'Ana Crew' })
  await form.dialog.getByLabel('Start').fill('2027-05-04T10:00')
  await form.submit()
  await expect(page.getByText('Appointment booked')).toBeVisible()
  await expect(form.dialog).toBeHidden()

  await expect(list.screen.getByText('7 of 7 done')).toBeVisible()
  for (const step of [
    'Business name',
    'Time zone',
    'Working hours and days',
    'First services',
    'Crew',
    'First client',
    'First booking',
  ])
    await list.expectDone(step)

  // Closing and reopening the app keeps every tick: they are read from the data.
  await laptop.restart()
  await page.goto(laptop.url)
  await page.getByRole('button', { name: /^Ada Admin/ }).click()
  await page.getByLabel("Ada Admin's PIN").fill('2468')
  await page.getByRole('button', { name: 'Switch' }).click()
  await expect(list.screen.getByText('7 of 7 done')).toBeVisible()
  await expect(list.screen.getByRole('status')).toContainText('All set')

  // Closed for good: the app opens on the calendar and the list leaves the menu.
  await list.screen.getByRole('button', { name: 'Close this list' }).click()
  await expect(page.getByRole('link', { name: 'Getting started' })).toHaveCount(0)
  await expect(page).toHaveURL(/#\/calendar/)
  await page.goto(laptop.url)
  await expect(page.getByRole('link', { name: 'Calendar' })).toHaveAttribute('aria-current', 'page')
})
