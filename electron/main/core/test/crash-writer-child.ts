/**
 * The laptop crash test's victim: opens the app's core on a data folder, checks that
 * every write acknowledged by an earlier run is there, then books clients through the
 * real dispatch without end. A write counts as acknowledged only once dispatch returned
 * it *and* its client's name (unique: a random run id and a counter) is on disk in
 * the acknowledgement file, written and fsync'd before the next write starts; so a kill
 * at any moment leaves that file a lower bound of what the database must hold.
 *
 * It loads its code first and opens the folder only when a line arrives on stdin, so the
 * test can start the next victim while the current one runs: only one at a time holds
 * the folder. stdout, one line each: `loaded`; `verified N` after the check; `writing`
 * once its first write is acknowledged. Exit code 3 when an acknowledged write is gone.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs'
import { openCore } from '../app-core'
import { dispatch } from '../dispatch'
import { resourcesAt } from '../paths'

// The source root comes as an argument: the test runs this file bundled, from elsewhere.
const [dataDir, ackFile, root] = process.argv.slice(2)
if (!dataDir || !ackFile || !root) {
  throw new Error('usage: crash-writer-child DATA_DIR ACK_FILE SOURCE_ROOT')
}

/** Names on complete lines: a line torn by a kill was never acknowledged. */
function acknowledged(file: string): string[] {
  if (!existsSync(file)) return []
  const text = readFileSync(file, 'utf8')
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
}

console.log('loaded')
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
process.stdin.pause()
const ctx = await openCore({
  dataDir,
  resources: resourcesAt(root),
  version: 'crash-test',
  durability: 'fsync',
  startSync: false,
})
const acked = acknowledged(ackFile)
const { rows } = await ctx.db.pg.query<{ n: number }>(
  'SELECT count(DISTINCT name)::int AS n FROM clients WHERE name = ANY($1::text[])',
  [acked],
)
const missing = acked.length - (rows[0]?.n ?? 0)
if (missing) {
  console.log(`missing ${missing} of ${acked.length}`)
  process.exit(3)
}
console.log(`verified ${acked.length}`)

const run = randomBytes(6).toString('hex')
const fd = openSync(ackFile, 'a')
try {
  for (let n = 0; ; n++) {
    const name = `Crash ${run}-${n}`
    const result = await dispatch(ctx, 'clients.create', { name })
    if (!result.ok) throw new Error(`write refused: ${result.error.code}`)
    writeSync(fd, `${name}\n`)
    fsyncSync(fd)
    if (n === 0) console.log('writing')
  }
} finally {
  closeSync(fd)
}
