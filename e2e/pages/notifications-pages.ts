import { expect, type Locator, type Page } from '@playwright/test'

/** The Notifications screen: the send log with its filters, rows and message dialog. */
export class NotificationsPage {
  readonly screen: Locator
  readonly heading: Locator
  constructor(readonly page: Page) {
    this.screen = page.getByRole('region', { name: 'Notifications' })
    this.heading = page.getByRole('heading', { name: 'Notifications', level: 1 })
  }

  async open(query = '') {
    await this.page.goto(`/#/notifications${query}`)
    await expect(this.heading).toBeVisible()
  }

  /** Types part of a client's name and picks them from the matches with the keyboard. */
  async filterClient(name: string) {
    const field = this.screen.getByRole('combobox', { name: 'Client', exact: true })
    await field.fill(name)
    await expect(
      this.screen.getByRole('listbox', { name: 'Clients' }).getByRole('option', { name }),
    ).toHaveAttribute('aria-selected', 'true')
    await field.press('Enter')
    await expect(this.screen.getByRole('button', { name: 'Clear the client filter' })).toBeVisible()
  }

  async filterStatus(label: string, on = true) {
    await this.screen.getByRole('checkbox', { name: label, exact: true }).setChecked(on)
  }

  /** The row of a message: its kind's link and the client's name are in it. */
  row(kind: string, client: string): Locator {
    return this.screen
      .getByRole('row')
      .filter({ has: this.page.getByRole('button', { name: kind, exact: true }) })
      .filter({ hasText: client })
  }

  dialog(title: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name: title })
  }
}

/** Settings → Notifications: the sending settings and the template editor. */
export class NotificationSettingsPage {
  readonly templates: Locator
  readonly sending: Locator
  constructor(readonly page: Page) {
    this.templates = page.getByRole('region', { name: 'Message templates' })
    this.sending = page.getByRole('region', { name: 'Sending' })
  }

  async open() {
    await this.page.goto('/#/settings?tab=notifications')
    await expect(this.templates).toBeVisible()
  }

  async pick(kind: string, channel: string) {
    await this.templates.getByLabel('Kind').selectOption({ label: kind })
    await this.templates.getByLabel('Channel').selectOption({ label: channel })
  }

  get form(): Locator {
    return this.templates.getByRole('form', { name: 'Template' })
  }
  get body(): Locator {
    return this.form.getByLabel('Message', { exact: true })
  }
  get preview(): Locator {
    return this.templates.getByRole('region', { name: 'Preview' })
  }
  /** The message shown under the body field (its error). */
  get bodyError(): Locator {
    return this.form
      .locator('.field')
      .filter({ has: this.page.getByLabel('Message', { exact: true }) })
      .locator('.error-text')
  }
}
