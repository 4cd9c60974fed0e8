/**
 * `npm run server -- --database-url URL [flags]` (`--help` lists them): migrates the
 * central database, then serves sync and the REST API. A server upgrading from rows kept
 * as JSON serves while its rows move into their tables, then drops the JSON.
 */
import { createServer, isIP } from 'node:net'
import { buildServer } from '../server/app'
import { createPool, finishServerUpgrade, migrateServer } from '../server/db'
import { startWorkers } from '../server/workers'
import { DATABASE_URL_FLAG, parseFlags, progressLine, runCommand, UsageError } from './lib/cli'
import { NOTIFY_FLAGS, sendersFromFlags } from './lib/notify-flags'
import { WEATHER_FLAGS, workerWeather } from './lib/weather-flags'

const USAGE =
  'npm run server -- --database-url postgres://... [--port 8787] [--host 127.0.0.1] [--trust-proxy 10.0.0.0/8] [--public-url https://...] [--nats-url nats://127.0.0.1:4222] [--no-workers] [--smtp-url smtp://... --smtp-from ADDRESS] [--sms-account SID --sms-token TOKEN --sms-from NUMBER [--sms-base-url URL]]'

/** --trust-proxy: addresses or CIDR ranges, each checked before anything is touched. */
function proxyList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  const list = text.split(',').map((p) => p.trim())
  for (const entry of list) {
    const [address = '', prefix, extra] = entry.split('/')
    const family = isIP(address)
    const bits = family === 4 ? 32 : 128
    const fine =
      family !== 0 &&
      extra === undefined &&
      (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))
    if (!fine)
      throw new UsageError(
        `--trust-proxy "${entry}" is not an address or a range such as 10.0.0.0/8`,
      )
  }
  return list
}

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'database-url': {
      ...DATABASE_URL_FLAG,
      help: 'the central PostgreSQL (15 or later), the business database of record',
    },
    port: { type: 'int', default: 8787, min: 0, max: 65535, help: 'port to listen on' },
    host: { type: 'string', default: '127.0.0.1', help: 'address to listen on' },
    'trust-proxy': {
      type: 'string',
      help: 'proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For names the client, for the per-address rate limit',
    },
    'public-url': {
      type: 'string',
      pattern: /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/,
      hint: 'must be an http:// or https:// address, such as https://schedule.example.com',
      help: "the address clients reach this server at, for the links of the REST API's pages (by default, the scheme and host each request came with)",
    },
    'nats-url': {
      type: 'string',
      pattern: /^(nats|tls|ws|wss):\/\//,
      hint: 'must be a nats:// URL',
      help: 'also publish every domain event to NATS JetStream here (stream GROUNDSKEEPER_EVENTS, subjects groundskeeper.events.<type>, created if absent)',
    },
    'no-workers': {
      type: 'boolean',
      help: 'serve HTTP only: no event relays, subscriber workers or notification sending on this instance (by default every instance runs them; they share the work; `npm run worker` runs them alone)',
    },
    ...NOTIFY_FLAGS,
    ...WEATHER_FLAGS,
    'no-weather': {
      type: 'boolean',
      help: 'no scheduled forecast refresh on this instance (other instances may run it)',
    },
  })
  if (flags['no-workers'] && flags['nats-url'])
    throw new UsageError('--nats-url needs the event workers: leave out --no-workers')
  const senders = sendersFromFlags(flags)
  const trustProxy = proxyList(flags['trust-proxy'])
  // Where it will listen is checked before the database is touched: a port in use or a
  // host this computer does not have changes nothing.
  await mayListen(flags.host, flags.port)
  const pool = createPool(flags['database-url'])
  // Progress of the priority backfill, shown only when it has rows to fill.
  const backfill = progressLine('priority backfill')
  await migrateServer(pool, {
    onBackfill: (done, total) => total > 0 && backfill(done, total),
    serveFirst: true,
  })
  const app = buildServer({
    pool,
    logger: true,
    ...(trustProxy ? { trustProxy } : {}),
    ...(flags['public-url'] ? { publicUrl: flags['public-url'] } : {}),
  })
  try {
    await app.listen({ port: flags.port, host: flags.host })
  } catch (e) {
    await app.close().catch(() => {})
    await pool.end().catch(() => {})
    throw new Error(listenProblem(e, flags.host, flags.port))
  }
  let events: Awaited<ReturnType<typeof startWorkers>> | null = null
  const stop = async () => {
    await app.close()
    await events?.stop()
    await pool.end()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  // Rows still kept as JSON (a server from before 0004) move now, between requests.
  const moving = new Map<string, (done: number, total: number) => void>()
  await finishServerUpgrade(pool, {
    onMove: (p) => {
      const line = moving.get(p.table) ?? progressLine(`moving ${p.table} into their table`)
      moving.set(p.table, line)
      line(p.done, p.total)
    },
  })
  // The workers (events, notifications, weather) read tables the upgrade makes last.
  events = flags['no-workers']
    ? null
    : await startWorkers({
        pool,
        databaseUrl: flags['database-url'],
        ...(flags['nats-url'] ? { natsUrl: flags['nats-url'] } : {}),
        senders,
        ...workerWeather(flags),
        onError: (e, where) =>
          app.log.error({ err: { name: (e as Error).name, message: (e as Error).message } }, where),
      })
})

/** Why the server cannot listen at `host`:`port`, in words. */
function listenProblem(e: unknown, host: string, port: number): string {
  const code = (e as { code?: string }).code
  const where = `cannot listen on ${host} port ${port}`
  if (code === 'EADDRINUSE') return `${where}: another program is using that port`
  if (code === 'EADDRNOTAVAIL') return `${where}: ${host} is not an address of this computer`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `${where}: there is no host named ${host}`
  if (code === 'EACCES') return `${where}: this user may not use that port`
  return `${where} (${code ?? (e as Error).message})`
}

/** Binds `host`:`port` for a moment: throws, in words, where the server could not listen. */
async function mayListen(host: string, port: number): Promise<void> {
  const probe = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject)
      probe.listen({ host, port }, resolve)
    })
  } catch (e) {
    throw new Error(listenProblem(e, host, port))
  }
  await new Promise((resolve) => probe.close(resolve))
}
