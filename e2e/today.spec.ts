import { expect, test } from '@playwright/test'
import { CalendarPage } from './pages/calendar-page'
import { at, businessDay } from './pages/weather-pages'
import { api, type Business, book, DEMO_PIN, ensureBusiness } from './support/api'

let biz: Business
test.beforeAll(async ({ request }) => {
  biz = await ensureBusiness(request)
})
test.afterAll(async ({ request }) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
})

test('a crew lead runs the day: start, complete, note, follow-up', async ({ page, request }) => {
  const job = await book(request, {
    clientId: biz.smithId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: at(businessDay(0), 12),
  })
  // Tomorrow's first job at 07:00, shown below today's.
  const early = at(businessDay(1), 7)
  await book(request, {
    clientId: biz.jonesId,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: early,
  })
  // And one at a client's address: tomorrow's list says where it is.
  const depot = await api(request, 'clients.create', {
    name: `Birch Depot ${Date.now().toString(36)}`,
    address: '40 Birch Road',
  })
  await book(request, {
    clientId: depot.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: new Date(Date.parse(early) + 2 * 3_600_000).toISOString(),
  })
  await page.goto('/#/settings?tab=users')
  await page.getByLabel('User').selectOption({ label: 'Leo Lead — Crew lead for Ana Crew' })
  await expect(page.getByText('Switched to Leo Lead')).toBeVisible()
  await page.getByRole('link', { name: 'Today' }).click()

  // A crew lead sees whose crew the day is.
  await expect(page.getByText('Crew: Ana Crew', { exact: true })).toBeVisible()
  const card = page.getByRole('listitem', { name: 'Smith Residence, Lawn mowing' })
  await expect(card).toBeVisible()
  const tomorrow = page.getByRole('region', { name: 'Tomorrow' })
  await expect(
    tomorrow.getByRole('listitem', { name: 'Tomorrow: Jones HOA, Lawn mowing' }),
  ).toContainText('7:00')
  await expect(
    tomorrow.getByRole('listitem', { name: `Tomorrow: ${depot.name}, Lawn mowing` }),
  ).toContainText('40 Birch Road')
  // A start by mistake is taken back from its toast, by the crew lead themselves.
  await card.getByRole('button', { name: 'Start' }).click()
  await expect(card.getByText('In progress')).toBeVisible()
  await page
    .getByRole('status')
    .filter({ hasText: 'Job started' })
    .getByRole('button', { name: 'Undo' })
    .click()
  await expect(card.getByText('Scheduled')).toBeVisible()
  expect((await api(request, 'appointments.get', { id: job.id })).startedAt).toBeNull()
  await card.getByRole('button', { name: 'Start' }).click()
  await expect(card.getByText('In progress')).toBeVisible()
  // Start went away under the keyboard: focus is on Complete, not lost.
  await expect(card.getByRole('button', { name: 'Complete' })).toBeFocused()
  // Complete takes Start's place under the pointer: hovered, it stays a readable blue.
  const complete = card.getByRole('button', { name: 'Complete' })
  await complete.hover()
  await expect
    .poll(() =>
      complete.evaluate((b) => b.ownerDocument.defaultView?.getComputedStyle(b).backgroundColor),
    )
    .toBe('rgb(13, 71, 161)')
  // Notes save themselves once typing pauses...
  await card.getByLabel('Notes').fill('Gate latch broken')
  await expect(card.locator('.notes-state')).toHaveText('Saved')
  await page.screenshot({ path: 'docs/screenshots/today.png' })
  // A save that fails says so and keeps the words; Try again sends them.
  const notes = card.getByLabel('Notes')
  const state = card.locator('.notes-state')
  let failures = 0
  let held: Promise<void> = Promise.resolve()
  await page.route('**/rpc', async (route) => {
    if (failures > 0 && route.request().postData()?.includes('"appointments.update"')) {
      failures--
      await held
      await route.abort('connectionrefused')
    } else await route.continue()
  })
  failures = 1
  await notes.fill('Gate latch broken; side gate')
  await expect(state).toContainText('Not saved')
  await expect(page.getByText('The notes were not saved: the app is not reachable')).toBeVisible()
  await state.getByRole('button', { name: 'Try again' }).click()
  await expect(state).toHaveText('Saved')
  expect((await api(request, 'appointments.get', { id: job.id })).notes).toBe(
    'Gate latch broken; side gate',
  )
  // Older words failing after newer ones were saved neither say "Not saved" nor come back.
  let release = () => {}
  held = new Promise<void>((resolve) => {
    release = resolve
  })
  failures = 1
  await notes.fill('Gate latch')
  await notes.blur()
  await notes.fill('Gate latch broken')
  await expect(state).toHaveText('Saved')
  const failed = page.waitForEvent('requestfailed')
  release()
  await failed
  await expect(state).toHaveText('Saved')
  await page.unroute('**/rpc')
  expect((await api(request, 'appointments.get', { id: job.id })).notes).toBe('Gate latch broken')
  // ...and when a tap on Complete comes first: nothing typed is lost.
  await card.getByLabel('Notes').fill('Gate latch broken; dog in the yard')
  await card.getByRole('button', { name: 'Complete' }).click()
  await expect(card.getByText('Completed')).toBeVisible()
  // The card says when the job was really started and finished, not only when it was booked.
  const worked = await api(request, 'appointments.get', { id: job.id })
  await expect(
    card.getByText(`Started ${time(worked.startedAt)} · Finished ${time(worked.completedAt)}`),
  ).toBeVisible()
  await page.reload()
  await expect(card.getByLabel('Notes')).toHaveValue('Gate latch broken; dog in the yard')

  // A follow-up visit in two taps.
  await card.getByRole('button', { name: 'Follow-up' }).click()
  const followUp = page.getByRole('dialog', { name: 'Follow-up for Smith Residence' })
  await expect(followUp).toContainText('Lawn mowing with Ana Crew, at the service')
  // Enter in "When" books it, as the button would (the time proposed is another test's).
  await followUp.getByLabel('When').fill(local(at(businessDay(7), 12)))
  await followUp.getByLabel('When').press('Enter')
  // Said with its day and time: a week on, at noon.
  await expect(
    page.getByText(/^Follow-up visit booked for \w+day, \w+ \d{1,2} at 12:00\sPM$/),
  ).toBeVisible()

  const done = await api(request, 'appointments.get', { id: job.id })
  expect(done).toMatchObject({ status: 'completed', notes: 'Gate latch broken; dog in the yard' })
  const followUps = await api(request, 'appointments.list', {
    clientId: biz.smithId,
    teamMemberId: biz.anaId,
    limit: 100,
  })
  expect(followUps.results.some((a) => a.followUpOfId === job.id)).toBe(true)

  // A follow-up on top of another job of the crew asks first, as any booking does.
  const count = async () =>
    (await api(request, 'appointments.list', { clientId: biz.smithId, limit: 100 })).results.filter(
      (a) => a.followUpOfId === job.id,
    ).length
  await card.getByRole('button', { name: 'Follow-up' }).click()
  await followUp.getByLabel('When').fill(local(early))
  await followUp.getByRole('button', { name: 'Book follow-up' }).click()
  const clash = page.getByRole('alertdialog', { name: 'Double booking' })
  await expect(clash).toContainText('Ana Crew is already booked')
  await expect(clash).toContainText('Jones HOA, Lawn mowing')
  await clash.getByRole('button', { name: 'Cancel' }).click()
  expect(await count()).toBe(1)
  await followUp.getByRole('button', { name: 'Book follow-up' }).click()
  await clash.getByRole('button', { name: 'Keep both' }).click()
  await expect(page.getByText(/^Follow-up visit booked for .* at 7:00\sAM$/)).toBeVisible()
  expect(await count()).toBe(2)

  // What a crew lead may not do is not offered.
  await page.goto('/#/catalog')
  await expect(page.getByRole('button', { name: 'New service' })).toHaveCount(0)
})

test('started then completed at once, only the completion offers its Undo', async ({
  page,
  request,
}) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  const client = await api(request, 'clients.create', {
    name: `Quick Finish ${Date.now().toString(36)}`,
  })
  await book(request, {
    clientId: client.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: at(businessDay(0), 15),
  })
  await api(request, 'session.switch', { userId: biz.leadId })
  await page.goto('/#/today')
  const card = page.getByRole('listitem', { name: `${client.name}, Lawn mowing` })
  await card.getByRole('button', { name: 'Start' }).click()
  await expect(card.getByText('In progress')).toBeVisible()
  await card.getByRole('button', { name: 'Complete' }).click()
  await expect(card.getByText('Completed')).toBeVisible()
  // The start's Undo would only be refused now: the completion's replaces it.
  const toasts = page.getByRole('status')
  await expect(toasts.filter({ hasText: 'Job completed' })).toHaveCount(1)
  await expect(toasts.filter({ hasText: 'Job started' })).toHaveCount(0)
  await toasts.filter({ hasText: 'Job completed' }).getByRole('button', { name: 'Undo' }).click()
  await expect(card.getByText('In progress')).toBeVisible()
})

/** "2026-12-09T07:00": an instant as the "When" field holds it, in the business's zone. */
const local = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'America/Chicago',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(new Date(iso))
    .replace(' ', 'T')

/** "7:04 AM": a time of day in the business's zone, as the app writes it. */
const time = (iso: string | null) =>
  new Date(iso ?? '')
    .toLocaleTimeString('en-US', {
      timeZone: 'America/Chicago',
      hour: 'numeric',
      minute: '2-digit',
    })
    .replace(/\s/g, ' ')

/** "Wed, Dec 9": a local day as the app writes it. */
const dayWords = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  })

test('a job of another day asks before it starts, then stays on Today until completed, with its times', async ({
  page,
  request,
}) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  const client = await api(request, 'clients.create', {
    name: `Far Meadow ${Date.now().toString(36)}`,
  })
  const later = businessDay(3)
  const job = await book(request, {
    clientId: client.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: at(later, 7),
  })
  await api(request, 'session.switch', { userId: biz.leadId })

  // From the calendar, Start asks first, naming the day; Cancel leaves the job as it was.
  await new CalendarPage(page).open(later, 'timeGridDay')
  await new CalendarPage(page).event(client.name).click()
  const details = page.getByRole('dialog', { name: `Lawn mowing for ${client.name}` })
  await details.getByRole('button', { name: 'Start' }).click()
  const ask = page.getByRole('alertdialog', { name: "Not today's job" })
  await expect(ask).toContainText(`This job is on ${dayWords(later)}. Start it now?`)
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toBeHidden()
  expect((await api(request, 'appointments.get', { id: job.id })).status).toBe('scheduled')
  await details.getByRole('button', { name: 'Start' }).click()
  await ask.getByRole('button', { name: 'Start' }).click()
  await expect(page.getByText('Job started')).toBeVisible()
  const started = await api(request, 'appointments.get', { id: job.id })
  expect(started.status).toBe('in_progress')

  // Today shows it while it is under way, with its day; completing it asks too.
  await page.goto('/#/today')
  const running = page.getByRole('region', { name: 'Still in progress' })
  const card = running.getByRole('listitem', { name: `${client.name}, Lawn mowing` })
  await expect(card).toContainText(dayWords(later))
  await expect(card).toContainText(
    `Started ${dayWords(businessDay(0))} at ${time(started.startedAt)}`,
  )
  await card.getByRole('button', { name: 'Complete' }).click()
  await expect(ask).toContainText(`This job is on ${dayWords(later)}. Complete it now?`)
  await ask.getByRole('button', { name: 'Complete' }).click()
  await expect(running).toBeHidden()
  const done = await api(request, 'appointments.get', { id: job.id })
  expect(done.status).toBe('completed')

  // The details give when it was really started and finished.
  await new CalendarPage(page).open(later, 'timeGridDay')
  await new CalendarPage(page).event(client.name).click()
  const today = dayWords(businessDay(0))
  const words = `Started ${today} at ${time(started.startedAt)} · Finished ${today} at ${time(done.completedAt)}`
  await expect(details).toContainText(words)
  // And so does the day sheet, in place of a bare "Started".
  await page.goto(`/#/day-sheet?date=${later}`)
  await expect(page.getByRole('article', { name: 'Day sheet: Ana Crew' })).toContainText(words)
})

test('Today says when the crew member is off, and until when', async ({ page, request }) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  const { timeOff } = await api(request, 'team.timeOff.add', {
    teamMemberId: biz.anaId,
    startsOn: businessDay(1),
    endsOn: businessDay(7),
    reason: 'Sick',
  })
  try {
    await api(request, 'session.switch', { userId: biz.leadId })
    await page.goto('/#/today')
    const back = dayWords(businessDay(8))
    await expect(page.getByRole('region', { name: 'Tomorrow' })).toContainText(
      `Ana Crew is off tomorrow (Sick), back ${back}.`,
    )
    await expect(page.getByText('Ana Crew is off today')).toHaveCount(0)
    // Off from today: said for today too.
    await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
    await api(request, 'team.timeOff.remove', { id: timeOff.id })
    timeOff.id = (
      await api(request, 'team.timeOff.add', {
        teamMemberId: biz.anaId,
        startsOn: businessDay(0),
        endsOn: businessDay(7),
        reason: 'Sick',
      })
    ).timeOff.id
    await api(request, 'session.switch', { userId: biz.leadId })
    await page.reload()
    await expect(page.getByText(`Ana Crew is off today (Sick), back ${back}.`)).toBeVisible()
  } finally {
    await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
    await api(request, 'team.timeOff.remove', { id: timeOff.id })
  }
})

test('a follow-up is proposed out of the crew member’s time off, warns before booking, and is undone', async ({
  page,
  request,
}) => {
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  const client = await api(request, 'clients.create', {
    name: `Sick Week ${Date.now().toString(36)}`,
  })
  const job = await book(request, {
    clientId: client.id,
    serviceId: biz.mowingId,
    teamMemberId: biz.anaId,
    scheduledAt: at(businessDay(0), 16),
  })
  const { timeOff } = await api(request, 'team.timeOff.add', {
    teamMemberId: biz.anaId,
    startsOn: businessDay(1),
    endsOn: businessDay(7),
    reason: 'Sick',
  })
  try {
    // Ana keeps the business's hours: her next working day after the week off, at opening.
    const hours = (await api(request, 'settings.get', {})).workingHours
    let next = 8
    while (!hours.days.includes(new Date(`${businessDay(next)}T12:00:00Z`).getUTCDay())) next++
    const [h = 0, m = 0] = hours.start.split(':').map(Number)
    const proposed = at(businessDay(next), h, m)

    await api(request, 'session.switch', { userId: biz.leadId })
    await page.goto('/#/today')
    const card = page.getByRole('listitem', { name: `${client.name}, Lawn mowing` })
    await card.getByRole('button', { name: 'Follow-up' }).click()
    const dialog = page.getByRole('dialog', { name: `Follow-up for ${client.name}` })
    const when = dialog.getByLabel('When')
    await expect(when).toHaveValue(local(proposed))
    await expect(dialog.locator('.follow-up-warning')).toHaveCount(0)

    // Before working hours on that day: said under the field, before booking.
    await when.fill(local(at(businessDay(next), Math.max(h - 2, 0))))
    await expect(when).toHaveAccessibleDescription(/outside Ana Crew's working hours/)
    // In her time off: said, in the business's days; booked anyway if the lead insists.
    const off = `Ana Crew is off from ${dayWords(businessDay(1))} to ${dayWords(businessDay(7))} (Sick)`
    await when.fill(local(at(businessDay(7), h, m)))
    await expect(dialog.locator('.follow-up-warning')).toContainText(off)
    await dialog.getByRole('button', { name: 'Book follow-up' }).click()
    const booked = page.getByRole('status').filter({ hasText: /^Follow-up visit booked for / })
    await expect(booked).toBeVisible()
    const followUps = async () =>
      (await api(request, 'appointments.list', { clientId: client.id, limit: 100 })).results.filter(
        (a) => a.followUpOfId === job.id,
      )
    expect(await followUps()).toHaveLength(1)

    // Undo in the toast deletes the visit just booked, and the warning about it goes too.
    const undo = booked.getByRole('button', { name: 'Undo' })
    await expect(undo).toBeVisible()
    await undo.click()
    await expect(page.getByRole('status').filter({ hasText: 'Undone' })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: off })).toHaveCount(0)
    expect(await followUps()).toHaveLength(0)
  } finally {
    await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
    await api(request, 'team.timeOff.remove', { id: timeOff.id })
  }
})
