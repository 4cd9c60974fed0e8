import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { CoreResources } from '../paths'
import { createDb } from './create-db'
import { loadMigrations } from './migrations'

/**
 * The template is an empty database at the latest migration, dumped once at build time.
 * A first launch loads it (under a second) instead of running initdb (~9 s). Its
 * manifest names the migrations it holds; a stale template is still safe (pending
 * migrations run after loading) but is rebuilt by the next `npm run db:template`.
 */
export function templateFingerprint(resources: CoreResources): string {
  const hash = createHash('sha256')
  for (const m of loadMigrations(resources.migrationsFolder)) hash.update(m.hash)
  return hash.digest('hex')
}

function manifestPath(templatePath: string) {
  return join(dirname(templatePath), 'manifest.json')
}

export function templateIsCurrent(resources: CoreResources): boolean {
  const path = resources.templatePath
  if (!path || !existsSync(path) || !existsSync(manifestPath(path))) return false
  const manifest = JSON.parse(readFileSync(manifestPath(path), 'utf8')) as { fingerprint?: string }
  return manifest.fingerprint === templateFingerprint(resources)
}

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
