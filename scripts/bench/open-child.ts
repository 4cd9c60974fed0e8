/** Opens a data folder in a fresh process, as the app does at launch, and reports timing. */
import { createDb } from '../../electron/main/core/db/create-db'
import { sourceResources } from '../../electron/main/core/paths'

const [dataDir, template = 'template'] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: open-child DATA_DIR [template|no-template]')
const resources = sourceResources()
const started = performance.now()
const db = await createDb({
  dataDir,
  resources: template === 'template' ? resources : { ...resources, templateDir: null },
})
const openMs = performance.now() - started
const q = performance.now()
await db.pg.query('SELECT count(*) FROM appointments')
const firstQueryMs = performance.now() - q
const rssMb = process.memoryUsage().rss / 2 ** 20
await db.close()
console.log(JSON.stringify({ openMs, firstQueryMs, rssMb, created: db.created }))
