/**
 * `npm run server:weather -- refresh --database-url URL [--weather-url URL ...]`: one
 * forecast refresh cycle of the central server now (the scheduled job runs the same), for
 * admins and tests. Prints what it fetched, what failed and the alerts it raised.
 */

import { serverClock } from '../server/api/clock'
import { createPool } from '../server/db'
import { refreshOnce } from '../server/weather/service'
import { plural } from '../shared/domain/words'
import { DATABASE_URL_FLAG, parseFlags, runCommand, subcommand, UsageError } from './lib/cli'
import { providerFromFlags, WEATHER_FLAGS } from './lib/weather-flags'

const USAGE =
  'npm run server:weather -- refresh --database-url postgres://... [--weather-url URL] [--geocoding-url URL] [--weather-max-places N]'

await runCommand(USAGE, async () => {
  const [, rest] = subcommand(process.argv.slice(2), ['refresh'] as const)
  const flags = parseFlags(rest, {
    'database-url': { ...DATABASE_URL_FLAG, help: 'the central PostgreSQL the server uses' },
    ...WEATHER_FLAGS,
  })
  const pool = createPool(flags['database-url'], 2)
  try {
    const { rows } = await pool.query<{ ok: boolean }>(
      "SELECT to_regclass('public.weather_alerts') IS NOT NULL AS ok",
    )
    if (!rows[0]?.ok)
      throw new UsageError(
        'this database is not migrated to the current version: start `npm run server` on it once first',
      )
    const summary = await refreshOnce({
      pool,
      clock: serverClock(),
      provider: providerFromFlags(flags),
      maxPlaces: flags['weather-max-places'],
    })
    const risky = summary.risks.filter((r) => r.risk === 'high' || r.risk === 'moderate').length
    console.log(
      `refreshed ${plural(summary.places, 'place')}: ${plural(summary.fetched, 'forecast day')} stored, ` +
        `${plural(summary.geocoded, 'address', 'addresses')} looked up, ${summary.failed.length} failed; ` +
        `${plural(summary.risks.length, 'upcoming job')}, ${risky} at risk, ${plural(summary.alerts, 'alert')} raised`,
    )
    for (const f of summary.failed) console.log(`  ${f.place}: ${f.message}`)
    // Something failed and nothing came: the run failed, whether at the forecasts or the addresses.
    if (summary.failed.length && !summary.fetched) process.exitCode = 1
  } finally {
    await pool.end()
  }
})
