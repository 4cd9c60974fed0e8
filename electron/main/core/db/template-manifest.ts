import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { CoreResources } from '../paths'
import { loadMigrations } from './migrations'

/** Identifies a migration history: a template is usable only for the history it was built from. */
export function templateFingerprint(resources: CoreResources): string {
  const hash = createHash('sha256')
  for (const m of loadMigrations(resources.migrationsFolder)) hash.update(m.hash)
  return hash.digest('hex')
}

export function manifestPath(templatePath: string): string {
  return join(dirname(templatePath), 'manifest.json')
}

export function templateIsCurrent(resources: CoreResources): boolean {
  const path = resources.templatePath
  if (!path || !existsSync(path) || !existsSync(manifestPath(path))) return false
  try {
    const manifest = JSON.parse(readFileSync(manifestPath(path), 'utf8')) as {
      fingerprint?: string
    }
    return manifest.fingerprint === templateFingerprint(resources)
  } catch {
    return false
  }
}
