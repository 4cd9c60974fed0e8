import { expect, type Locator, type Page } from '@playwright/test'

/** The appointments list: filters, rows and paging. */
export class AppointmentsPage {
  readonly filters: Locator
  constructor(readonly page: Page) {
    this.filters = page.getByRole('form', { name: 'Filter appointments' })
  }

  async open(query = '') {
    await this.page.goto(`/#/appointments${query ? `?${query}` : ''}`)
    await expect(this.page.getByRole('heading', { name: 'Appointments' })).toBeVisible()
  }

  status(label: string): Locator {
    return this.filters.getByRole('checkbox', { name: label })
  }

  rows(): Locator {
    return this.page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell') })
  }
}
