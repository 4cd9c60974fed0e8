/** Opens a data folder in a fresh process, as the app does at launch, and reports timing. */
import { createDb } from '../../electron/main/core/db/create-db'
import { resourcesAt } from '../../electron/main/core/paths'

// Run bundled (scripts/bench.ts), so the source tree is named rather than found.
const [dataDir, template, root] = process.argv.slice(2)
if (!dataDir || !root || (template !== 'template' && template !== 'no-template'))
  throw new Error('usage: open-child DATA_DIR template|no-template SOURCE_ROOT')
const MiB = 2 ** 20
const resources = resourcesAt(root)
// The process before the database: Node, the loaded code and its compiler (tsx here).
const beforeOpenRssMb = process.memoryUsage().rss / MiB
const started = performance.now()
const db = await createDb({
  dataDir,
  resources: template === 'template' ? resources : { ...resources, templateDir: null },
})
const openMs = performance.now() - started
const q = performance.now()
await db.pg.query('SELECT count(*) FROM appointments')
const firstQueryMs = performance.now() - q
const m = process.memoryUsage()
const rssMb = m.rss / MiB
// PGlite's WebAssembly linear memory (PostgreSQL's heap, its shared buffers included):
// it grows on demand and is never given back. Counted in `external`.
const heap = (db.pg as unknown as { mod?: { HEAPU8?: Uint8Array } }).mod?.HEAPU8
const { rows } = await db.pg.query<{ shared_buffers: string }>('SHOW shared_buffers')
const memory = {
  beforeOpenRssMb,
  pgliteWasmHeapMb: (heap?.buffer.byteLength ?? 0) / MiB,
  sharedBuffers: rows[0]?.shared_buffers ?? '',
  v8HeapUsedMb: m.heapUsed / MiB,
  v8HeapTotalMb: m.heapTotal / MiB,
  externalMb: m.external / MiB,
  arrayBuffersMb: m.arrayBuffers / MiB,
}
await db.close()
console.log(JSON.stringify({ openMs, firstQueryMs, rssMb, memory, created: db.created }))
