import { expect, type Locator, type Page } from '@playwright/test'

/** The calendar screen: navigation, finding day columns and hours, dragging. */
export class CalendarPage {
  constructor(readonly page: Page) {}

  async open(date: string, view = 'timeGridWeek') {
    await this.page.goto(`/#/calendar?view=${view}&date=${date}`)
    await expect(this.page.getByRole('heading', { name: 'Calendar' })).toBeVisible()
  }

  /** The column header of a day, named by its date: day('March 2, 2027'). */
  day(date: string): Locator {
    return this.page.getByRole('columnheader', { name: date, exact: true })
  }

  /** Events are buttons named by their time, client, service, crew and status. */
  event(text: string): Locator {
    return this.page.getByRole('button', { name: new RegExp(text) })
  }

  async showOnly(crewMember: string) {
    await this.page.getByLabel('Crew member', { exact: true }).selectOption({ label: crewMember })
  }

  async switchView(name: 'Day' | 'Week' | 'Month' | 'List') {
    await this.page.getByRole('tab', { name: `${name} view` }).click()
  }

  /** The vertical position of an hour line, e.g. hourY('9am'). */
  async hourY(label: string): Promise<number> {
    const box = await this.page.getByText(label, { exact: true }).first().boundingBox()
    if (!box) throw new Error(`no ${label} label`)
    return box.y
  }

  async dayX(label: string): Promise<number> {
    const box = await this.day(label).boundingBox()
    if (!box) throw new Error(`no ${label} column`)
    return box.x + box.width / 2
  }

  /** Drags with the mouse in small steps, as a person would. */
  async drag(from: { x: number; y: number }, to: { x: number; y: number }) {
    const mouse = this.page.mouse
    await mouse.move(from.x, from.y)
    await mouse.down()
    await mouse.move(from.x + 3, from.y + 3, { steps: 3 })
    await mouse.move(to.x, to.y, { steps: 12 })
    await mouse.up()
  }

  async dragEventToDay(text: string, dayLabel: string) {
    const box = await this.event(text).first().boundingBox()
    if (!box) throw new Error(`no event ${text}`)
    const from = { x: box.x + box.width / 2, y: box.y + 8 }
    await this.drag(from, { x: await this.dayX(dayLabel), y: from.y })
  }

  /** Selects an empty stretch of a day from one hour label to another. */
  async selectRange(dayLabel: string, fromHour: string, toHour: string) {
    const x = await this.dayX(dayLabel)
    await this.drag(
      { x, y: (await this.hourY(fromHour)) + 4 },
      { x, y: (await this.hourY(toHour)) - 4 },
    )
  }
}
