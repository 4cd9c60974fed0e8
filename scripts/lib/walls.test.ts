import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runTs } from './run-ts'
import { checkImports, checkWalls, importsOf, repoRoot } from './walls'

/** One file with one import: the violations found. */
const check = (file: string, specifier: string) => checkImports(file, [specifier])

describe('the walls between the parts of the code', () => {
  it('refuses each forbidden import, however deep the importing file sits', () => {
    const forbidden: [string, string][] = [
      ['renderer/src/features/x/Screen.tsx', '../../../../electron/main/core/dispatch'],
      ['renderer/src/App.tsx', '../../server/app'],
      ['renderer/src/App.tsx', '../../drizzle/schema'],
      ['renderer/src/App.tsx', 'electron'],
      ['renderer/src/App.tsx', 'drizzle-orm'],
      ['renderer/src/App.tsx', 'node:fs'],
      ['shared/domain/x.ts', '../../electron/main/core/paths'],
      ['shared/x.ts', '../renderer/src/app/format'],
      ['shared/domain/x.ts', '../../drizzle/schema'],
      ['shared/domain/x.ts', '../../vitest.config'],
      ['shared/sync/x.ts', 'node:crypto'],
      ['shared/sync/x.ts', 'fs'],
      ['server/db.ts', '../electron/main/core/db/create-db'],
      ['server/x.test.ts', '../electron/main/core/test/helpers'],
      ['server/db.ts', 'electron'],
      ['server/db.ts', '../scripts/lib/cli'],
      ['electron/main/core/sync/engine.ts', '../../../../server/app'],
      ['electron/bridge/server.ts', '../../server/tokens'],
      ['electron/main/core/x.ts', './sync/test-bed.test-support'],
      ['electron/main/core/x.ts', '../../../testing/sync-harness'],
      ['server/x.ts', '../testing/sync-harness'],
      ['drizzle/runner/x.ts', '../../electron/main/core/paths'],
      ['drizzle/runner/x.ts', '../../server/db'],
    ]
    for (const [file, specifier] of forbidden) {
      expect(check(file, specifier), `${file} -> ${specifier}`).toHaveLength(1)
    }
  })

  it('lets each part use its own code, shared/, packages, and tests their harnesses', () => {
    const allowed: [string, string][] = [
      ['renderer/src/features/x/Screen.tsx', '../../../../shared/contract'],
      ['renderer/src/features/x/Screen.tsx', '../../api/client'],
      ['renderer/src/App.tsx', 'react'],
      ['shared/contract/x.ts', '../domain/enums'],
      ['shared/contract/x.ts', 'zod'],
      ['server/db.ts', '../drizzle/runner/migrations'],
      ['server/x.test.ts', '../scripts/lib/run-ts'],
      ['electron/main/core/sync/x.test.ts', '../../../../server/app'],
      ['electron/main/core/sync/h.test-support.ts', '../../../../server/db'],
      ['electron/main/core/sync/x.test.ts', './h.test-support'],
      ['electron/main/core/db/create-db.ts', '../../../../drizzle/runner/migrations'],
      ['electron/main/core/db/create-db.ts', 'node:fs'],
      ['scripts/bench.ts', '../electron/main/core/dispatch'],
    ]
    for (const [file, specifier] of allowed) {
      expect(check(file, specifier), `${file} -> ${specifier}`).toEqual([])
    }
  })

  it('reads every kind of import: static, type-only, re-export, dynamic, require', () => {
    const source = `import a from './a'
      import type { B } from './b'
      export { c } from './c'
      export * from './d'
      const e = await import('./e')
      const f = require('./f')`
    expect(importsOf(source).sort()).toEqual(['./a', './b', './c', './d', './e', './f'])
  })

  it('fails `check-walls` on a tree with a forbidden import in each walled folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gk-walls-'))
    try {
      await failsInEachFolder(root)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('finds none in this repository', () => {
    expect(checkWalls(repoRoot())).toEqual([])
  })
})

async function failsInEachFolder(root: string) {
  const files: Record<string, string> = {
    'renderer/src/bad.tsx': "import { dispatch } from '../../electron/main/core/dispatch'",
    'shared/domain/bad.ts': "import { readFileSync } from 'node:fs'",
    'server/bad.ts': "import type { Db } from '../electron/main/core/db/create-db'",
    'electron/main/bad.ts': "export { buildServer } from '../../server/app'",
    'electron/main/fine.test.ts': "import { buildServer } from '../../server/app'",
  }
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), `${text}\n`)
  }
  expect(checkWalls(root).map((v) => v.file)).toEqual([
    'renderer/src/bad.tsx',
    'shared/domain/bad.ts',
    'server/bad.ts',
    'electron/main/bad.ts',
  ])
  const run = await runTs('scripts/check-walls.ts', [root])
  expect(run.code).toBe(1)
  expect(run.stderr).toMatch(/4 import\(s\) cross a wall/)
}
