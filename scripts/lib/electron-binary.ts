import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sourceRoot } from '../../electron/main/core/paths'

/**
 * Where the Electron binary is, or null when it has not been downloaded. Unlike
 * `require('electron')` this never starts a download.
 */
export function electronBinary(): string | null {
  const pkg = join(sourceRoot(), 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

export const ELECTRON_INSTALL_SCRIPT = join(sourceRoot(), 'node_modules', 'electron', 'install.js')
