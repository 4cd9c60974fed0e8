/**
 * A process that commits a stream of writes and acknowledges each on stdout only after
 * its commit returned: the crash test kills it at an arbitrary point. Each transaction
 * inserts a client and bumps a counter, so a torn transaction would show up as a
 * counter that disagrees with the row count.
 */
import { uuidv7 } from '../../../../shared/domain/ids'
import { createDb, type Durability } from '../db/create-db'
import { sourceResources } from '../paths'

const [dataDir, durability = 'fsync'] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: writer-child DATA_DIR [fsync|os]')

const db = await createDb({
  dataDir,
  resources: sourceResources(),
  durability: durability as Durability,
})
console.log('ready')
for (let n = 1; ; n++) {
  const id = uuidv7()
  await db.pg.transaction(async (tx) => {
    await tx.query('INSERT INTO clients (id, name, notes) VALUES ($1, $2, $3)', [
      id,
      `Crash client ${n}`,
      'x'.repeat(n % 500),
    ])
    await tx.query(
      `INSERT INTO app_settings (key, value) VALUES ('crash.counter', to_jsonb($1::int))
       ON CONFLICT (key) DO UPDATE SET value = to_jsonb($1::int), updated_at = now()`,
      [n],
    )
  })
  console.log(`ack ${n} ${id}`)
}
