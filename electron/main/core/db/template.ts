import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CoreResources } from '../paths'
import { createDb } from './create-db'
import { templateFiles, templateFingerprint } from './template-manifest'

export { templateIsCurrent } from './template-manifest'

/**
 * The template is an empty database at the latest migration, made once at build time.
 * A first launch copies its data directory instead of running initdb (or unpacking a
 * tarball, which takes PGlite about a second). Its manifest fingerprints the migration
 * history it was built from; a template from another history is ignored (initdb is
 * used) until `npm run db:template` rebuilds it.
 */
export async function buildTemplate(resources: CoreResources): Promise<{ bytes: number }> {
  if (!resources.templateDir) throw new Error('no template folder configured')
  const files = templateFiles(resources.templateDir)
  const work = mkdtempSync(join(tmpdir(), 'gk-template-'))
  try {
    const db = await createDb({
      dataDir: work,
      resources: { ...resources, templateDir: null },
      durability: 'os',
    })
    await db.pg.exec('VACUUM ANALYZE')
    const dump = await db.pg.dumpDataDir('gzip')
    const bytes = new Uint8Array(await dump.arrayBuffer())
    await db.close()
    rmSync(resources.templateDir, { recursive: true, force: true })
    mkdirSync(resources.templateDir, { recursive: true })
    cpSync(join(work, 'pgdata'), files.dataDir, { recursive: true })
    writeFileSync(files.tarball, bytes)
    writeFileSync(
      files.manifest,
      `${JSON.stringify({ fingerprint: templateFingerprint(resources) }, null, 2)}\n`,
    )
    return { bytes: bytes.byteLength }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
