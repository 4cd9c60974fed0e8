import { expect, type Locator, type Page } from '@playwright/test'

/** Settings → Sync, and the sync indicator in the sidebar. */
export class SyncSettingsPage {
  readonly section: Locator
  readonly indicator: Locator
  constructor(readonly page: Page) {
    this.section = page.getByRole('region', { name: 'Sync', exact: true })
    this.indicator = page.getByRole('navigation', { name: 'Main' }).getByRole('link', {
      name: /^Sync: /,
    })
  }

  async open() {
    await this.page.goto('/#/settings?tab=sync')
    await expect(this.page.getByRole('heading', { name: 'Settings' })).toBeVisible()
  }

  async connect(serverUrl: string, token: string) {
    const form = this.section.getByRole('form', { name: 'Connect to a sync server' })
    await form.getByLabel('Server address').fill(serverUrl)
    await form.getByLabel('Device token').fill(token)
    await form.getByRole('button', { name: 'Connect' }).click()
  }

  button(name: string): Locator {
    return this.section.getByRole('button', { name, exact: true })
  }

  /** Clears the toasts of earlier steps, so that a screenshot shows the screen. */
  async dismissToasts() {
    const dismiss = this.page.getByRole('button', { name: 'Dismiss' })
    while ((await dismiss.count()) > 0) {
      // A toast may time out between the count and the click: then count again.
      await dismiss
        .first()
        .click({ timeout: 1000 })
        .catch(() => {})
    }
  }

  /** The open-conflicts badge next to the indicator. */
  conflictsBadge(): Locator {
    return this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^\d+ conflicts?$/ })
  }
}

const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)

/** The conflicts inbox. */
export class ConflictsPage {
  constructor(readonly page: Page) {}

  /** A conflict card, picked by its kind and something it shows. */
  conflict(kind: string, text: string): Locator {
    return this.page.getByRole('article', { name: kind }).filter({ hasText: text })
  }

  /** The header of one side: "Booked first", "Deleted", ... with who and when. */
  side(card: Locator, label: string): Locator {
    return card.getByRole('columnheader', { name: startsWith(label) })
  }

  /** A field's row; its name starts with the label, then "(differs)" if the sides differ. */
  field(card: Locator, label: string): Locator {
    return card.getByRole('row', { name: startsWith(label) })
  }
}
