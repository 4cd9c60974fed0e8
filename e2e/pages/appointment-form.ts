import type { Locator, Page } from '@playwright/test'

/** The appointment dialog (new or edit). */
export class AppointmentForm {
  readonly dialog: Locator
  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /appointment/i })
  }

  async fill(values: {
    client?: string
    service?: string
    crew?: string
    notes?: string
    price?: string
    location?: string
  }) {
    const d = this.dialog
    if (values.client) {
      await d.getByLabel('Find client').fill(values.client)
      await d.getByLabel('Client', { exact: true }).selectOption({ label: values.client })
    }
    if (values.service) await d.getByLabel('Service').selectOption({ label: values.service })
    if (values.crew) await d.getByLabel('Crew member').selectOption({ label: values.crew })
    if (values.price !== undefined) await d.getByLabel('Price').fill(values.price)
    if (values.notes) await d.getByLabel('Notes').fill(values.notes)
    if (values.location !== undefined)
      await d.getByLabel('Location', { exact: true }).fill(values.location)
  }

  async submit() {
    await this.dialog.getByRole('button', { name: /^(Book|Save)$/ }).click()
  }
}
