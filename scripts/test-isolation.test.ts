import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OWN_PROCESS } from '../vitest.config'

const ROOT = join(import.meta.dirname, '..')
const DIRS = ['shared', 'electron', 'scripts', 'server', 'drizzle', 'notify', 'weather', 'renderer']

/** What a test file may do that reaches past itself into the process it runs in. */
const SHARED_STATE = [
  /\bvi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers|setSystemTime)\(/,
  /\bprocess\.env(\.\w+|\[[^\]]+\])\s*=[^=]/,
  /\bprocess\.chdir\(/,
]

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .filter((f) => !f.includes('node_modules'))
}

describe('test files that share a process', () => {
  it('change nothing the next file would see; those that do run in one of their own', () => {
    const reaching = DIRS.flatMap(testFiles)
      .filter((f) => f !== 'scripts/test-isolation.test.ts')
      .filter((f) => SHARED_STATE.some((re) => re.test(readFileSync(join(ROOT, f), 'utf8'))))
      .sort()
    expect(reaching).toEqual([...OWN_PROCESS].sort())
  })
})
