import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { CoreResources } from '../paths'
import { createDb } from './create-db'
import { manifestPath, templateFingerprint } from './template-manifest'

export { templateIsCurrent } from './template-manifest'

/**
 * The template is an empty database at the latest migration, dumped once at build time.
 * A first launch loads it instead of running initdb. Its manifest fingerprints the
 * migration history it was built from; a template from another history is ignored
 * (initdb is used) until `npm run db:template` rebuilds it.
 */
export async function buildTemplate(resources: CoreResources): Promise<{ bytes: number }> {
  const path = resources.templatePath
  if (!path) throw new Error('no template path configured')
  const db = await createDb({ dataDir: null, resources: { ...resources, templatePath: null } })
  try {
    await db.pg.exec('VACUUM ANALYZE')
    const dump = await db.pg.dumpDataDir('gzip')
    const bytes = new Uint8Array(await dump.arrayBuffer())
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, bytes)
    writeFileSync(
      manifestPath(path),
      `${JSON.stringify({ fingerprint: templateFingerprint(resources) }, null, 2)}\n`,
    )
    return { bytes: bytes.byteLength }
  } finally {
    await db.pg.close()
  }
}
