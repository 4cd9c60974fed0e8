import { expect, test } from '@playwright/test'
import { UserPicker, WhoIsUsingCard } from './pages/session-pages'
import { api, type Business, DEMO_PIN, ensureBusiness } from './support/api'

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
})
test.afterAll(async ({ request }) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
})

test('a crew lead cannot reach admin without the PIN, and can with it', async ({
  page,
  request,
}) => {
  await api(request, 'session.switch', { userId: biz.leadId })
  // The door the screens use refuses too.
  await expect(api(request, 'session.switch', { userId: biz.adminId })).rejects.toThrow(
    "Enter Admin's PIN",
  )
  const who = new WhoIsUsingCard(page)
  await who.open()
  await expect(page.getByRole('heading', { name: 'Users and PINs' })).toHaveCount(0)

  await who.choose('Admin — Admin')
  const pin = who.pinForm('Admin')
  await expect(pin.field).toBeFocused()
  await pin.enter('0000')
  await expect(pin.error).toHaveText('Wrong PIN: 2 more tries before you have to wait')
  await expect(pin.field).toHaveValue('')
  await page.screenshot({ path: 'test-results/pin-settings-1440.png' })
  // Still the crew lead: no admin tools.
  await expect(page.getByRole('heading', { name: 'Users and PINs' })).toHaveCount(0)
  expect((await api(request, 'session.get', {})).user?.id).toBe(biz.leadId)

  await pin.enter(DEMO_PIN)
  await expect(page.getByText('Switched to Admin')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Users and PINs' })).toBeVisible()
  const add = page.getByRole('form', { name: 'Add a user' })
  await expect(add).toBeVisible()
  // A field's problem is said beside it, once: no toast repeating it.
  await add.getByLabel("New user's name").fill('')
  await add.getByRole('button', { name: 'Add user' }).click()
  await expect(add.getByLabel("New user's name")).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('.toast.error')).toHaveCount(0)

  // Locking goes back to the picker; the admin needs the PIN again from there.
  await who.lock()
  const picker = new UserPicker(page)
  await expect(picker.heading).toBeVisible()
  await picker.choose(/^Admin/)
  await expect(picker.pinForm('Admin').field).toBeFocused()
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/pin-picker-1024.png' })
  await picker.pinForm('Admin').cancel()
  // A crew lead without a PIN is one click away.
  await picker.choose(/^Leo Lead/)
  await expect(page.getByRole('link', { name: 'Today' })).toBeVisible()
  expect((await api(request, 'session.get', {})).user?.id).toBe(biz.leadId)
})

test('an idle laptop drops back to the user picker', async ({ page, request }) => {
  await page.clock.install()
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  const who = new WhoIsUsingCard(page)
  await who.open()
  const picker = new UserPicker(page)
  // Someone is working: the idle time starts again.
  await page.clock.fastForward('10:00')
  await who.card.getByRole('heading').click()
  await page.clock.fastForward('10:00')
  // Twenty minutes since the screen opened, ten since the click: still signed in.
  await who.card.getByText('Change my PIN').click()
  await expect(who.card.getByLabel('Current PIN')).toBeVisible()
  // Then fifteen minutes (the default) without input.
  await page.clock.fastForward('14:00')
  await expect(who.card).toBeVisible()
  await page.clock.fastForward('01:10')
  await expect(picker.heading).toBeVisible()
  expect((await api(request, 'session.get', {})).user).toBeNull()
})

test('the sidebar hands the laptop over in one click', async ({ page, request }) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto('/#/calendar')
  const handOver = page.getByRole('button', { name: 'Switch user' })
  await expect(handOver).toBeInViewport()
  await handOver.click()
  const picker = new UserPicker(page)
  await expect(picker.heading).toBeVisible()
  expect((await api(request, 'session.get', {})).user).toBeNull()
  // A crew lead is listed with the crew they lead.
  await expect(page.getByRole('button', { name: /^Leo Lead/ })).toHaveText(
    'Leo Lead — Crew lead for Ana Crew',
  )
  await page.screenshot({ path: 'test-results/user-picker-1024.png' })
  await picker.choose(/^Leo Lead/)
  // The crew lead starts on their day, not on the calendar the office left open.
  await expect(page.getByRole('link', { name: 'Today' })).toHaveAttribute('aria-current', 'page')
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible()
})

test('a PIN locked after wrong tries counts its wait down, then says it is over', async ({
  page,
  request,
}) => {
  // A user of this test's own: the others' PINs stay unlocked.
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  const name = `Lock Test ${Date.now()}`
  await api(request, 'session.createUser', { name, role: 'office_manager', pin: '8642' })
  await api(request, 'session.switch', { userId: biz.leadId })
  await page.clock.install()
  const who = new WhoIsUsingCard(page)
  await who.open()
  await who.choose(`${name} — Office manager`)
  const pin = who.pinForm(name)
  await pin.enter('0000')
  await expect(pin.error).toHaveText('Wrong PIN: 2 more tries before you have to wait')
  await pin.enter('0000')
  await expect(pin.error).toHaveText('Wrong PIN: 1 more try before you have to wait')
  await pin.enter('0000')
  await expect(pin.error).toHaveText('Wrong PIN: try again in 30 seconds')
  const go = pin.form.getByRole('button', { name: 'Switch' })
  await expect(go).toBeDisabled()
  await page.clock.fastForward('00:12')
  await expect(pin.error).toHaveText('Wrong PIN: try again in 18 seconds')
  await page.clock.fastForward('00:20')
  await expect(pin.error).toHaveText('You can try again now')
  await expect(go).toBeEnabled()
})

test('an admin renames a user, gives them a role, and removes them with an undo', async ({
  page,
  request,
}) => {
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  const name = `Temp Lead ${Date.now() % 100_000}`
  await api(request, 'session.createUser', { name, role: 'crew_lead', teamMemberId: biz.anaId })
  const who = new WhoIsUsingCard(page)
  await who.open()
  const people = page.getByRole('table', { name: 'People who use this laptop' })
  await people.getByRole('button', { name: `Edit ${name}` }).click()
  const dialog = page.getByRole('dialog', { name: `Edit ${name}` })
  await expect(dialog.getByLabel('Name')).toBeFocused()
  // Another user's name is refused beside the field.
  await dialog.getByLabel('Name').fill('olive office')
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(dialog.getByText('is already the name of another user')).toBeVisible()
  // An office manager needs a PIN, asked for once the role is chosen.
  await dialog.getByLabel('Name').fill(`${name} Jr`)
  await dialog.getByLabel('Role').selectOption('office_manager')
  await expect(dialog.getByLabel('Leads crew')).toHaveCount(0)
  await dialog.getByLabel('Their PIN').fill('97531')
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  const row = people.getByRole('row', { name: new RegExp(`^${name} Jr`) })
  await expect(row).toContainText('Office manager')
  await expect(row).toContainText('Yes')

  await row.getByRole('button', { name: `Remove ${name} Jr` }).click()
  await expect(page.getByRole('status').filter({ hasText: `${name} Jr removed` })).toBeVisible()
  await expect(row).toHaveCount(0)
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(row).toContainText('Office manager')
  // The one signed in is not offered for removal.
  await expect(people.getByRole('button', { name: 'Remove Admin' })).toHaveCount(0)
  // One's own new PIN is typed twice: a slip would lock its owner out.
  await who.card.getByText('Change my PIN').click()
  const mine = page.getByRole('form', { name: 'My PIN' })
  await mine.getByLabel('Current PIN').fill(DEMO_PIN)
  await mine.getByLabel('New PIN', { exact: true }).fill(DEMO_PIN)
  await mine.getByLabel('New PIN again').fill('1357')
  await mine.getByRole('button', { name: 'Save my PIN' }).click()
  await expect(mine.getByText('does not match the PIN above')).toBeVisible()
  await mine.getByLabel('New PIN again').fill(DEMO_PIN)
  await mine.getByRole('button', { name: 'Save my PIN' }).click()
  await expect(page.getByText('Your PIN is changed')).toBeVisible()
  await api(request, 'session.removeUser', {
    id: (await api(request, 'session.users', {})).users.find((u) => u.name === `${name} Jr`)
      ?.id as string,
  })
})
