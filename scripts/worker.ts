/**
 * `npm run worker -- --database-url URL [flags]` (`--help` lists them): the background
 * work of the central server without its HTTP side — event relays, subscribers and the
 * notification sender — for running more of them, or apart from the web servers. The
 * database must have been migrated by `npm run server` first.
 */
import { createPool } from '../server/db'
import { startWorkers } from '../server/workers'
import { DATABASE_URL_FLAG, parseFlags, runCommand, UsageError } from './lib/cli'
import { NOTIFY_FLAGS, sendersFromFlags } from './lib/notify-flags'
import { WEATHER_FLAGS, workerWeather } from './lib/weather-flags'

const USAGE =
  'npm run worker -- --database-url postgres://... [--nats-url nats://127.0.0.1:4222] [--smtp-url smtp://... --smtp-from ADDRESS] [--sms-account SID --sms-token TOKEN --sms-from NUMBER [--sms-base-url URL]]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'database-url': { ...DATABASE_URL_FLAG, help: 'the central PostgreSQL the server uses' },
    'nats-url': {
      type: 'string',
      pattern: /^(nats|tls|ws|wss):\/\//,
      hint: 'must be a nats:// URL',
      help: 'also publish every domain event to NATS JetStream here',
    },
    ...NOTIFY_FLAGS,
    ...WEATHER_FLAGS,
    'no-weather': {
      type: 'boolean',
      help: 'no scheduled forecast refresh on this instance (other instances may run it)',
    },
  })
  const senders = sendersFromFlags(flags)
  const pool = createPool(flags['database-url'])
  const { rows } = await pool.query<{ ok: boolean }>(
    "SELECT to_regclass('public.notifications') IS NOT NULL AS ok",
  )
  if (!rows[0]?.ok) {
    await pool.end()
    throw new UsageError(
      'this database is not migrated to the current version: start `npm run server` on it once first',
    )
  }
  const log = (e: unknown, where: string) =>
    console.error(JSON.stringify({ level: 'error', where, message: (e as Error).message }))
  const workers = await startWorkers({
    pool,
    databaseUrl: flags['database-url'],
    ...(flags['nats-url'] ? { natsUrl: flags['nats-url'] } : {}),
    senders,
    ...workerWeather(flags),
    onError: log,
  })
  console.log(
    `worker running: email ${senders.email ? 'on' : 'off'}, SMS ${senders.sms ? 'on' : 'off'}`,
  )
  const stop = async () => {
    await workers.stop()
    await pool.end()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
})
