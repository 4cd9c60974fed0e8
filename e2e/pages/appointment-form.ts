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
    if (values.client) await this.chooseClient(values.client)
    if (values.service) await d.getByLabel('Service').selectOption({ label: values.service })
    if (values.crew) await d.getByLabel('Crew member').selectOption({ label: values.crew })
    if (values.price !== undefined) await d.getByLabel('Price').fill(values.price)
    if (values.notes) await d.getByLabel('Notes').fill(values.notes)
    if (values.location !== undefined)
      await d.getByLabel('Location', { exact: true }).fill(values.location)
  }

  /** The client field searches as you type; the match is chosen from its list. */
  get client(): Locator {
    return this.dialog.getByRole('combobox', { name: 'Client' })
  }

  async chooseClient(name: string) {
    await this.client.fill(name)
    const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`)
    await this.dialog.getByRole('option', { name: exact }).first().click()
  }

  async submit() {
    await this.dialog.getByRole('button', { name: /^(Book|Save)$/ }).click()
  }
}
