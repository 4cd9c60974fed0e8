import { expect, type Locator, type Page } from '@playwright/test'
import { localToUtc } from '../../shared/domain/time'

/** The business's zone in the seeded company. */
const ZONE = 'America/Chicago'

/** A local day in the business's zone, `days` from today: "2026-12-02". */
export function businessDay(days = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date())
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * `count` days in a row, the first `offset` or more days from today, none of them a
 * Sunday (the demo business works Monday to Saturday), so a plan that reads working
 * hours keeps each job on its day whatever today is.
 */
export function workingDays(offset: number, count: number): string[] {
  for (let start = offset; ; start += 1) {
    const days = Array.from({ length: count }, (_, i) => businessDay(start + i))
    if (days.every((day) => new Date(`${day}T12:00:00Z`).getUTCDay() !== 0)) return days
  }
}

/** The instant of a wall-clock time on a local day in the business's zone. */
export function at(day: string, hour: number, minute = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return new Date(localToUtc({ year, month, day: date, hour, minute }, ZONE)).toISOString()
}

/** "December 2, 2026", as the calendar names a day's column. */
export function columnName(day: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(`${day}T12:00:00Z`))
}

/** The better-days dialog of a job at weather risk. */
export class BetterDaysDialog {
  readonly dialog: Locator
  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Better days' })
  }

  options(): Locator {
    return this.dialog.getByRole('list', { name: 'Better days' }).getByRole('listitem')
  }

  async moveTo(option: Locator) {
    await option.getByRole('button', { name: /^Move to / }).click()
  }
}

/** The team screen: a member's card, their time off, and the dialog that adds some. */
export class TeamPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/#/team')
    await expect(this.page.getByRole('heading', { name: 'Team', exact: true })).toBeVisible()
  }

  card(name: string): Locator {
    return this.page.getByRole('listitem', { name, exact: true })
  }

  async addTimeOff(name: string, first: string, last: string, reason: string) {
    await this.card(name)
      .getByRole('button', { name: `Add time off: ${name}` })
      .click()
    const dialog = this.page.getByRole('dialog', { name: `New time off for ${name}` })
    await dialog.getByLabel('First day off').fill(first)
    await dialog.getByLabel('Last day off').fill(last)
    await dialog.getByLabel('Reason').fill(reason)
    await dialog.getByRole('button', { name: 'Save' }).click()
  }
}

/** The review of who takes an absent member's jobs. */
export class ReassignReview {
  readonly moves: Locator
  constructor(readonly page: Page) {
    this.moves = page.getByRole('table', { name: 'Planned moves' })
  }

  row(client: string): Locator {
    return this.moves.getByRole('row', { name: new RegExp(`^${client}, `) })
  }

  async skip(client: string) {
    await this.row(client)
      .getByRole('button', { name: /^Skip: / })
      .click()
  }

  async apply() {
    await this.page.getByRole('button', { name: /^Apply plan/ }).click()
  }
}
