import { expect, type Locator, type Page } from '@playwright/test'

/** The calendar's crew views: the day by crew (a column each) and the week by crew. */
export class CrewCalendar {
  constructor(readonly page: Page) {}

  /** The day view with everyone shown: the crew board. */
  async openDay(date: string) {
    await this.page.goto(`/#/calendar?view=timeGridDay&date=${date}`)
    await expect(this.board).toBeVisible()
  }

  async openWeek(date: string) {
    await this.page.goto(`/#/calendar?view=crewWeek&date=${date}`)
    await expect(this.week).toBeVisible()
  }

  get board(): Locator {
    return this.page.getByRole('region', { name: 'Crew board' })
  }

  get week(): Locator {
    return this.page.getByRole('table', { name: 'Week by crew' })
  }

  /** One member's column of the day. */
  lane(name: string): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^${name}'s day`) })
  }

  /** An hour label on the board (they stay in view while it scrolls). */
  label(text: string): Locator {
    return this.board.getByText(text, { exact: true })
  }

  /** A member's name atop their column (with their hours or why they are off). */
  head(name: string): Locator {
    return this.board.getByTitle(`${name}: `)
  }

  /** Scrolls the board (or the week) to its far right and bottom, as a person would. */
  async scrollToEnd(target: Locator) {
    await target.hover({ position: { x: 200, y: 120 } })
    for (let i = 0; i < 12; i++) await this.page.mouse.wheel(800, 400)
    await expect
      .poll(() =>
        target.evaluate((el) => {
          const box = el.closest('.crew-week-scroll') ?? el
          return box.scrollLeft + box.clientWidth >= box.scrollWidth - 2
        }),
      )
      .toBe(true)
  }

  /** A member's row of the week. */
  row(name: string): Locator {
    return this.week.getByRole('row', { name: new RegExp(`^${name}`) })
  }
}
