import { expect, type Locator, type Page } from '@playwright/test'

/** Settings → "Who is using this laptop": switch user (with a PIN where asked), lock. */
export class WhoIsUsingCard {
  readonly card: Locator
  constructor(readonly page: Page) {
    this.card = page.getByRole('region', { name: 'Who is using this laptop' })
  }

  async open() {
    await this.page.goto('/#/settings?tab=users')
    await expect(this.card).toBeVisible()
  }

  async choose(label: string) {
    await this.card.getByLabel('User', { exact: true }).selectOption({ label })
  }

  pinForm(name: string): PinForm {
    return new PinForm(this.page.getByRole('form', { name: `PIN for ${name}` }))
  }

  async lock() {
    await this.card.getByRole('button', { name: 'Lock' }).click()
  }
}

/** The user picker shown before anything else (and after locking or idling). */
export class UserPicker {
  readonly heading: Locator
  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Who is using this laptop?' })
  }

  async choose(name: RegExp | string) {
    await this.page.getByRole('button', { name }).click()
  }

  pinForm(name: string): PinForm {
    return new PinForm(this.page.getByRole('form', { name: `PIN for ${name}` }))
  }
}

export class PinForm {
  readonly field: Locator
  readonly error: Locator
  constructor(readonly form: Locator) {
    this.field = form.getByLabel(/'s PIN$/)
    this.error = form.locator('.error-text')
  }

  async enter(pin: string) {
    await this.field.fill(pin)
    await this.form.getByRole('button', { name: 'Switch' }).click()
  }

  async cancel() {
    await this.form.getByRole('button', { name: 'Cancel' }).click()
  }
}
