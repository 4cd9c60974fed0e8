/**
 * `npm run server -- --database-url URL [--port P] [--host H] [--trust-proxy HOPS]`:
 * migrate, then serve sync. `--trust-proxy` names the proxies (addresses or CIDR ranges,
 * comma-separated) whose X-Forwarded-For is believed for the client's address.
 */
import { buildServer } from '../server/app'
import { createPool, migrateServer } from '../server/db'
import { DATABASE_URL_FLAG, parseFlags, progressLine, runCommand } from './lib/cli'

const USAGE =
  'npm run server -- --database-url postgres://... [--port 8787] [--host 127.0.0.1] [--trust-proxy 10.0.0.0/8]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'database-url': DATABASE_URL_FLAG,
    port: { type: 'int', default: 8787, min: 0, max: 65535 },
    host: { type: 'string', default: '127.0.0.1' },
    'trust-proxy': {
      type: 'string',
      pattern: /^[0-9a-fA-F.:/,]+$/,
      hint: 'must be addresses or ranges',
    },
  })
  const pool = createPool(flags['database-url'])
  await migrateServer(pool, progressLine('priority backfill'))
  const trustProxy = flags['trust-proxy']?.split(',').filter(Boolean)
  const app = buildServer({ pool, logger: true, ...(trustProxy ? { trustProxy } : {}) })
  await app.listen({ port: flags.port, host: flags.host })
  const stop = async () => {
    await app.close()
    await pool.end()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
})
