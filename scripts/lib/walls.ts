import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, posix, relative, sep } from 'node:path'
import ts from 'typescript'

/**
 * The walls between the code's parts (see ARCHITECTURE.md), checked by `npm run lint`:
 * - `renderer/` imports only `renderer/` and `shared/` (no Electron, server or database);
 * - `shared/` imports nothing outside `shared/` (packages such as zod are fine, but not
 *   Node's built-ins or Electron: it runs in the renderer too);
 * - `server/` never imports `electron/`, `drizzle/` never imports the laptop or server;
 * - `notify/` and `weather/` (the notification and weather engines the server and a
 *   laptop without one both run) import only `shared/`;
 * - `electron/` never imports `server/`, except in test-only files: a sync test needs a
 *   real server beside the laptops;
 * - only test-only files of `server/` and `electron/` use `scripts/` (to run a command).
 * Test-only files are `*.test.ts`, `*.test-support.ts` (fixtures shared by tests) and
 * the top folder `testing/` (harnesses that join the parts: a laptop and a real sync
 * server). Code that ships never imports a test-only file.
 *
 * Imports are read with TypeScript's own pre-processor (static, type-only, dynamic
 * `import()` and `require`), and a relative specifier is resolved against the importing
 * file, so a rule holds however deep a file sits.
 */
export interface WallViolation {
  file: string
  specifier: string
  reason: string
}

export const WALLED_FOLDERS = [
  'renderer',
  'shared',
  'server',
  'electron',
  'drizzle',
  'notify',
  'weather',
] as const
type Folder = (typeof WALLED_FOLDERS)[number]

const BUILTINS = new Set(builtinModules)
const isBuiltin = (s: string) => s.startsWith('node:') || BUILTINS.has(s.split('/')[0] ?? s)
const packageName = (s: string) =>
  s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s)

export const isTestOnly = (file: string) => /\.test(-support)?\.tsx?$/.test(file)
const TEST_SUPPORT = /\.test-support(\.tsx?)?$/

/** Where an import points: a top folder of the repository, or a package. */
type Target = { kind: 'repo'; folder: string; path: string } | { kind: 'package'; name: string }

function targetOf(file: string, specifier: string): Target {
  if (specifier.startsWith('.')) {
    const path = posix.normalize(posix.join(posix.dirname(file), specifier))
    return { kind: 'repo', folder: path.split('/')[0] ?? '', path }
  }
  return { kind: 'package', name: isBuiltin(specifier) ? 'node:' : packageName(specifier) }
}

/** Packages a folder may not use, with the reason. */
const FORBIDDEN_PACKAGES: Partial<Record<Folder, Record<string, string>>> = {
  renderer: {
    electron: 'the renderer is sandboxed: it reaches the main process only through window.api',
    'node:': 'the renderer is sandboxed: no Node built-ins',
    'drizzle-orm': 'the renderer never touches the database',
    '@electric-sql/pglite': 'the renderer never touches the database',
    pg: 'the renderer never touches the database',
  },
  shared: {
    electron: 'shared/ runs everywhere, the renderer included: no Electron',
    'node:': 'shared/ runs everywhere, the renderer included: no Node built-ins',
  },
  server: { electron: 'the server never imports Electron' },
  drizzle: { electron: 'the database package never imports Electron' },
  notify: { electron: 'the notification engine runs on the server too: no Electron' },
  weather: { electron: 'the weather engine runs on the server too: no Electron' },
}

/** Repository folders a folder may import besides itself; test-only files, a few more. */
const ALLOWED_FOLDERS: Record<Folder, { code: string[]; tests: string[] }> = {
  renderer: { code: ['shared'], tests: [] },
  shared: { code: [], tests: [] },
  drizzle: { code: ['shared'], tests: [] },
  notify: { code: ['shared'], tests: ['testing'] },
  weather: { code: ['shared'], tests: ['testing'] },
  server: { code: ['shared', 'drizzle', 'notify', 'weather'], tests: ['scripts', 'testing'] },
  electron: {
    code: ['shared', 'drizzle', 'notify', 'weather'],
    tests: ['scripts', 'server', 'testing'],
  },
}

export function checkImports(file: string, specifiers: string[]): WallViolation[] {
  const folder = file.split('/')[0] as Folder
  if (!WALLED_FOLDERS.includes(folder)) return []
  const testOnly = isTestOnly(file)
  const out: WallViolation[] = []
  for (const specifier of specifiers) {
    const target = targetOf(file, specifier)
    if (target.kind === 'package') {
      const reason = FORBIDDEN_PACKAGES[folder]?.[target.name]
      if (reason) out.push({ file, specifier, reason })
      continue
    }
    if (!testOnly && TEST_SUPPORT.test(target.path)) {
      out.push({ file, specifier, reason: 'only test files import test-support files' })
    } else if (target.folder !== folder) {
      const { code, tests } = ALLOWED_FOLDERS[folder]
      if (!code.includes(target.folder) && !(testOnly && tests.includes(target.folder))) {
        out.push({ file, specifier, reason: `${folder}/ may not import ${target.folder}/` })
      }
    }
  }
  return out
}

/** The module specifiers a TypeScript source imports. */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName)
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path
  }
}

/** Every violation under `root` (a repository checkout). */
export function checkWalls(root: string): WallViolation[] {
  const out: WallViolation[] = []
  for (const folder of WALLED_FOLDERS) {
    let files: string[]
    try {
      files = [...sourceFiles(join(root, folder))]
    } catch {
      continue // a checkout without this folder
    }
    for (const path of files) {
      const file = relative(root, path).split(sep).join('/')
      out.push(...checkImports(file, importsOf(readFileSync(path, 'utf8'))))
    }
  }
  return out
}

export const describeViolation = (v: WallViolation) =>
  `${v.file}: imports '${v.specifier}': ${v.reason}`

export const repoRoot = () => join(dirname(new URL(import.meta.url).pathname), '..', '..')
