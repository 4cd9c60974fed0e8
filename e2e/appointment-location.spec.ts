import { expect, test } from '@playwright/test'
import { AppointmentForm } from './pages/appointment-form'
import { AppointmentsPage } from './pages/appointments-page'
import { api, ensureBusiness } from './support/api'

test.beforeAll(async ({ request }) => {
  await ensureBusiness(request)
  await api(request, 'clients.create', {
    name: 'Hazel Field',
    address: '3 Orchard Row',
    postalCode: 'LS2 9JT',
  })
})

test('an appointment booked at its own location shows it; cleared, the client’s address', async ({
  page,
}) => {
  const list = new AppointmentsPage(page)
  await list.open()
  await page.getByRole('button', { name: 'New appointment' }).click()
  const form = new AppointmentForm(page)
  await form.fill({
    client: 'Hazel Field',
    service: 'Lawn mowing (45 min)',
    location: 'x'.repeat(501),
  })
  const location = form.dialog.getByLabel('Location', { exact: true })
  await expect(location).toHaveAttribute('placeholder', 'Postcode or address')
  await expect(form.dialog.getByText('If empty: 3 Orchard Row, LS2 9JT')).toBeVisible()
  await form.submit()
  await expect(form.dialog.getByText('is too long (500 at most)')).toBeVisible()
  await expect(location).toHaveAttribute('aria-invalid', 'true')
  await form.fill({ location: '  Plot 7, Canal Lane  ' })
  await form.submit()
  await expect(page.getByText('Appointment booked')).toBeVisible()
  await expect(form.dialog).toBeHidden()

  // The list finds it by its location and shows it under the client.
  await list.filters.getByLabel('Search').fill('Canal Lane')
  await list.filters.getByRole('button', { name: 'Search' }).click()
  await expect(list.rows()).toHaveCount(1)
  await expect(list.rows().first()).toContainText('Plot 7, Canal Lane')
  await list.rows().first().getByRole('button').first().click()
  const details = page.getByRole('dialog', { name: 'Lawn mowing for Hazel Field' })
  await expect(details.getByText('Plot 7, Canal Lane', { exact: true })).toBeVisible()
  // Details, then Edit, then Cancel: focus is back on the row the details came from.
  await details.getByRole('button', { name: 'Edit' }).click()
  await form.dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(list.rows().first().getByRole('button').first()).toBeFocused()
  await list.rows().first().getByRole('button').first().click()

  // Emptied, the job is at the client's address.
  await details.getByRole('button', { name: 'Edit' }).click()
  await expect(location).toHaveValue('Plot 7, Canal Lane')
  await form.fill({ location: '' })
  await form.submit()
  await expect(page.getByText('Appointment saved')).toBeVisible()
  await list.filters.getByLabel('Search').fill('Hazel Field')
  await list.filters.getByRole('button', { name: 'Search' }).click()
  await expect(list.rows()).toHaveCount(1)
  await expect(list.rows().first()).not.toContainText('Canal Lane')
  await list.rows().first().getByRole('button').first().click()
  await expect(details.getByText('3 Orchard Row, LS2 9JT')).toBeVisible()
  await expect(details.getByText("(client's address)")).toBeVisible()
})
