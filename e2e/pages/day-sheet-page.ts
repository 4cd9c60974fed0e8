import { expect, type Locator, type Page } from '@playwright/test'

/** The day sheet: `#/day-sheet?date=…&crew=…`, a page per crew member. */
export class DaySheetPage {
  constructor(readonly page: Page) {}

  async open(date: string, crew: string) {
    await this.page.goto(`/#/day-sheet?date=${date}&crew=${crew}`)
    await expect(this.page.getByRole('heading', { name: 'Day sheet', exact: true })).toBeVisible()
  }

  /** One crew member's page. */
  crewPage(name: string): Locator {
    return this.page.getByRole('article', { name: `Day sheet: ${name}` })
  }

  get saveAsPdf(): Locator {
    return this.page.getByRole('button', { name: 'Save as PDF' })
  }
}
