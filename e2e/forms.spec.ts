import { expect, test } from '@playwright/test'
import { AppointmentForm } from './pages/appointment-form'
import { ensureBusiness } from './support/api'

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
  await form.dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(form.dialog).toBeHidden()
})
