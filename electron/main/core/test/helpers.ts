import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CreateDbOptions, createDb, type Db } from '../db/create-db'
import { sourceResources, sourceRoot } from '../paths'

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix = 'gk-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

/** A database at the latest migration, in memory, loaded from the template (~1 s). */
export function memoryDb(options: Partial<CreateDbOptions> = {}): Promise<Db> {
  return createDb({ dataDir: null, resources: sourceResources(), ...options })
}

export interface ScriptRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs a TypeScript file of the repository under Node with tsx, as `npm run` would. */
export function runTs(
  file: string,
  args: string[],
  onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void,
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(sourceRoot(), file), ...args], {
      cwd: sourceRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let pending = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) onLine?.(line, (s) => child.kill(s))
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}
