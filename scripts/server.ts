/** `npm run server -- --database-url URL [--port P] [--host H]`: migrate, then serve sync. */
import { buildServer } from '../server/app'
import { createPool, migrateServer } from '../server/db'
import { DATABASE_URL_FLAG, parseFlags, progressLine, runCommand } from './lib/cli'

const USAGE = 'npm run server -- --database-url postgres://... [--port 8787] [--host 127.0.0.1]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'database-url': DATABASE_URL_FLAG,
    port: { type: 'int', default: 8787, min: 0, max: 65535 },
    host: { type: 'string', default: '127.0.0.1' },
  })
  const pool = createPool(flags['database-url'])
  await migrateServer(pool, progressLine('priority backfill'))
  const app = buildServer({ pool, logger: true })
  await app.listen({ port: flags.port, host: flags.host })
  const stop = async () => {
    await app.close()
    await pool.end()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
})
