/**
 * `npm run server:restored -- --database-url URL`: run once after restoring the central
 * database from a backup. It gives the database a new epoch: at its next pull every
 * laptop sends all it holds (what it wrote since the backup included) and pulls
 * everything again, so nothing written since the backup is lost and no change numbered
 * anew is missed.
 */
import { createPool } from '../server/db'
import { markRestored } from '../server/pull'
import { DATABASE_URL_FLAG, parseFlags, runCommand } from './lib/cli'

const USAGE = 'npm run server:restored -- --database-url URL'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), { 'database-url': DATABASE_URL_FLAG })
  const pool = createPool(flags['database-url'])
  try {
    const epoch = await markRestored(pool)
    console.log(
      `marked as restored (epoch ${epoch}): each laptop sends what it holds and pulls everything at its next sync`,
    )
  } finally {
    await pool.end()
  }
})
