/**
 * The laptop crash test's victim: opens the app's core on a data folder, checks that
 * every write acknowledged by an earlier run is there, then books clients through the
 * real dispatch without end. A write counts as acknowledged only once dispatch returned
 * it *and* its id is on disk in the acknowledgement file (written and fsync'd before
 * the next write starts), so a kill at any moment leaves that file a lower bound of
 * what the database must hold.
 *
 * It loads its code first and opens the folder only when a line arrives on stdin, so the
 * test can start the next victim while the current one runs: only one at a time holds
 * the folder. stdout: `loaded`, then `verified N` after the check; exit code 3 when an
 * acknowledged write is gone.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs'
import { openCore } from '../app-core'
import { dispatch } from '../dispatch'
import { sourceResources } from '../paths'

const [dataDir, ackFile] = process.argv.slice(2)
if (!dataDir || !ackFile) throw new Error('usage: crash-writer-child DATA_DIR ACK_FILE')

/** Ids on complete lines: a line torn by a kill was never acknowledged. */
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
  resources: sourceResources(),
  version: 'crash-test',
  durability: 'fsync',
  startSync: false,
})
const acked = acknowledged(ackFile)
const { rows } = await ctx.db.pg.query<{ id: string }>(
  'SELECT id FROM clients WHERE id = ANY($1::uuid[])',
  [acked],
)
const missing = acked.length - rows.length
if (missing) {
  console.log(`missing ${missing} of ${acked.length}`)
  process.exit(3)
}
console.log(`verified ${acked.length}`)

const fd = openSync(ackFile, 'a')
try {
  for (let n = 0; ; n++) {
    const result = await dispatch(ctx, 'clients.create', { name: `Crash ${acked.length + n}` })
    if (!result.ok) throw new Error(`write refused: ${result.error.code}`)
    writeSync(fd, `${(result.data as { id: string }).id}\n`)
    fsyncSync(fd)
  }
} finally {
  closeSync(fd)
}
