import { expect, test } from '@playwright/test'
import { type OpenMeteoStandin, startOpenMeteoStandin } from '../testing/open-meteo-standin'
import { CalendarPage } from './pages/calendar-page'
import { at, BetterDaysDialog, columnName, workingDays } from './pages/weather-pages'
import { api, ensureBusiness } from './support/api'

/**
 * Weather on a laptop without a server: the forecasts come from a loopback stand-in of
 * Open-Meteo, a rainy day puts a mowing job at risk, and a better day moves it.
 */
const PLACE = { latitude: 41.88, longitude: -87.63 }

let standin: OpenMeteoStandin
let before: { forecastUrl: string; geocodingUrl: string }
test.beforeAll(async ({ request }) => {
  // The seeded company, with the office manager as the laptop's user.
  await ensureBusiness(request)
  standin = await startOpenMeteoStandin()
  const status = await api(request, 'weather.status', {})
  before = { forecastUrl: status.forecastUrl, geocodingUrl: status.geocodingUrl }
  await api(request, 'weather.updateSettings', {
    forecastUrl: standin.url,
    geocodingUrl: standin.url,
  })
})
test.afterAll(async ({ request }) => {
  await api(request, 'weather.updateSettings', before)
  await standin.close()
})

test('a rainy day flags a mowing job on the calendar; a better day moves it', async ({
  page,
  request,
}) => {
  // Two days ahead, so that its better days fall within the forecast's week.
  const [rainy, dry] = workingDays(2, 2) as [string, string]
  standin.setDay(PLACE, rainy, {
    precipitationMm: 9,
    precipitationProbability: 40,
    weatherCode: 63,
  })
  const client = await api(request, 'clients.create', { name: 'Wetherby Lawns', ...PLACE })
  const service = await api(request, 'catalog.services.create', {
    name: 'Rain-check mowing',
    basePrice: '60.00',
    durationMinutes: 60,
    weatherKind: 'mowing',
  })
  const member = await api(request, 'team.create', {
    name: 'Wren Weather',
    color: '#00838f',
    specialtyIds: [service.id],
  })
  const { appointment: job } = await api(request, 'appointments.create', {
    clientId: client.id,
    serviceId: service.id,
    teamMemberId: member.id,
    scheduledAt: at(rainy, 10),
    acceptConflict: true,
  })

  // Settings → Weather: this laptop refreshes for itself, from the stand-in.
  await page.goto('/#/settings')
  const weather = page.getByRole('region', { name: 'Weather' })
  await expect(weather).toContainText('This laptop refreshes the forecasts itself')
  await expect(weather.getByLabel('Forecast address')).toHaveValue(standin.url)
  await weather.getByRole('button', { name: 'Refresh now' }).click()
  await expect(page.getByText(/^Forecasts refreshed: /)).toBeVisible()
  await expect(weather).toContainText('just now')

  // The week's strip names the rain; the job carries the reason.
  const cal = new CalendarPage(page)
  await cal.open(rainy)
  await cal.showOnly('Wren Weather')
  await expect(
    page
      .getByRole('list', { name: 'Weather by day' })
      .getByRole('listitem')
      .filter({ hasText: /9 mm rain/ }),
  ).toHaveCount(1)
  await expect(cal.day(columnName(rainy))).toContainText('9 mm')
  await expect(page.getByText(/^Forecast (from|just)/)).toBeVisible()
  const tile = cal.event('Wetherby Lawns')
  await expect(tile).toHaveAccessibleName(/High weather risk: 9 mm rain expected, limit 5 mm/)
  await page.screenshot({ path: 'docs/screenshots/weather-week.png' })

  // Its badge opens the better days: the same crew the next, dry day first.
  await tile.getByTitle(/^High weather risk: /).click()
  const better = new BetterDaysDialog(page)
  await expect(better.dialog).toContainText('High weather risk: 9 mm rain expected, limit 5 mm')
  const first = better.options().first()
  await expect(first).toContainText('Wren Weather')
  await expect(first).toContainText('Same crew')
  await page.screenshot({ path: 'docs/screenshots/weather-better-days.png' })
  await better.moveTo(first)
  await expect(page.getByText(/^Wetherby Lawns moved to /)).toBeVisible()
  await expect(better.dialog).toBeHidden()

  const moved = await api(request, 'appointments.get', { id: job.id })
  expect(moved).toMatchObject({ scheduledAt: at(dry, 10), teamMemberId: member.id })
  await cal.open(dry, 'timeGridDay')
  await expect(cal.event('Wetherby Lawns')).toBeVisible()
  await expect(cal.event('Wetherby Lawns')).not.toHaveAccessibleName(/weather risk/)
})

test("the crew board moves the day's at-risk jobs in one action", async ({ page, request }) => {
  // A place of its own: the forecasts fetched for the first test's place are not asked
  // for again so soon.
  const place = { latitude: 41.95, longitude: -87.7 }
  const [rainy, dry] = workingDays(1, 2) as [string, string]
  standin.setDay(place, rainy, { precipitationMm: 12, precipitationProbability: 90 })
  standin.setDay(place, dry, { precipitationMm: 0, precipitationProbability: 5 })
  const client = await api(request, 'clients.create', { name: 'Puddle Park', ...place })
  const service = await api(request, 'catalog.services.create', {
    name: 'Board mowing',
    basePrice: '55.00',
    durationMinutes: 45,
    weatherKind: 'mowing',
  })
  const member = await api(request, 'team.create', {
    name: 'Boris Board',
    color: '#6d4c41',
    specialtyIds: [service.id],
  })
  const { appointment: job } = await api(request, 'appointments.create', {
    clientId: client.id,
    serviceId: service.id,
    teamMemberId: member.id,
    scheduledAt: at(rainy, 9),
    acceptConflict: true,
  })
  await api(request, 'weather.refresh', {})

  // The day by crew, for everyone: the action is on the board's own header.
  await page.goto(`/#/calendar?view=crew&date=${rainy}`)
  const action = page.getByRole('button', { name: /^Move the day's at-risk jobs \(\d+\)$/ })
  await expect(action).toBeEnabled()
  await action.click()
  const plan = page.getByRole('dialog', { name: /^At-risk jobs on / })
  await expect(plan.getByRole('table', { name: 'Planned moves' })).toContainText('Puddle Park')
  await plan.getByRole('button', { name: /^Move \d+ jobs?$/ }).click()
  await expect(page.getByText(/jobs? moved to better days$/)).toBeVisible()
  const moved = await api(request, 'appointments.get', { id: job.id })
  expect(moved.scheduledAt).not.toBe(job.scheduledAt)
})

test("a service's kind of work and its own limits, checked by the contract", async ({
  page,
  request,
}) => {
  await api(request, 'catalog.services.create', {
    name: 'Fence staining',
    basePrice: '140.00',
    durationMinutes: 120,
  })
  await page.goto('/#/catalog')
  await page.getByRole('button', { name: 'Edit Fence staining', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Edit Fence staining' })
  await expect(dialog).toContainText('rain over 5 mm, rain over 70 % likely, wind over 50 km/h')
  await dialog.getByLabel('Kind of work').selectOption({ label: 'Spraying and fertilizing' })
  await expect(dialog).toContainText('any rain, wind over 20 km/h (the limits of spraying')
  await dialog.getByLabel("Its own limits instead of the kind's").check()
  // Own limits start as the kind's, to adjust, rather than empty ("never at risk").
  await expect(dialog.getByLabel('Wind (km/h)')).toHaveValue('20')
  await expect(dialog.getByLabel('Needs a dry day')).toBeChecked()
  await expect(dialog).toContainText('At weather risk with any rain, wind over 20 km/h.')
  // A limit the service cannot keep is not read out as one, nor is the rest made true.
  await dialog.getByLabel('Rain (mm)').fill('-5')
  await expect(dialog).toContainText(
    'Fix the limits marked below to see when its jobs are at risk.',
  )
  await expect(dialog).not.toContainText('Never at weather risk')
  await dialog.getByLabel('Rain (mm)').fill('')
  await dialog.getByLabel('Wind (km/h)').fill('fast')
  await dialog.getByLabel('Needs a dry day').check()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog.getByLabel('Wind (km/h)')).toHaveAccessibleDescription('must be a number')
  await dialog.getByLabel('Wind (km/h)').fill('25')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Fence staining saved')).toBeVisible()

  const { results } = await api(request, 'catalog.services.list', { search: 'Fence staining' })
  expect(results[0]).toMatchObject({
    weatherKind: 'spraying',
    weatherLimits: { windKmh: 25, noRain: true },
  })
  const row = page.getByRole('row', { name: /Fence staining/ })
  await expect(row).toContainText('Spraying and fertilizing')
  await expect(row).toContainText('its own limits')
})

test('an office manager reads the weather in US units: the catalog takes inches and mph', async ({
  page,
  request,
}) => {
  await api(request, 'catalog.services.create', {
    name: 'Deck sealing',
    basePrice: '220.00',
    durationMinutes: 180,
    weatherKind: 'spraying',
    weatherLimits: { rainMm: 5, windKmh: 20 },
  })
  try {
    await page.goto('/#/settings?tab=business')
    const units = page.getByRole('form', { name: 'Weather units' })
    await expect(units.getByLabel('Units')).toHaveValue('metric')
    await units.getByLabel('Units').selectOption({ label: 'US (inches, mph, °F)' })
    await units.getByRole('button', { name: 'Save units' }).click()
    await expect(page.getByText('Weather is now shown in inches, mph and °F')).toBeVisible()
    await page.screenshot({ path: 'docs/screenshots/settings-weather-units.png' })

    await page.goto('/#/catalog')
    await page.getByRole('button', { name: 'Edit Deck sealing', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit Deck sealing' })
    await expect(dialog.getByLabel('Rain (in)')).toHaveValue('0.2')
    await expect(dialog.getByLabel('Wind (mph)')).toHaveValue('12')
    await expect(dialog).toContainText('rain over 0.20 in, wind over 12 mph')
    // Saved untouched, the limits stay as stored; a limit typed in mph is kept in km/h.
    await dialog.getByLabel('Wind (mph)').fill('15')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByText('Deck sealing saved')).toBeVisible()
    const { results } = await api(request, 'catalog.services.list', { search: 'Deck sealing' })
    expect(results[0]?.weatherLimits).toMatchObject({ rainMm: 5, windKmh: 24.14 })
  } finally {
    await api(request, 'settings.update', { units: 'metric' })
  }
})
