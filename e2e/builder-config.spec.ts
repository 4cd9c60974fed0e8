import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, sep } from 'node:path'
import { expect, test } from '@playwright/test'
import { minimatch } from 'minimatch'
import { parse } from 'yaml'
import { appResources } from '../electron/main/core/paths'

/**
 * The installers' recipe (electron-builder.yml) names files that must exist when
 * `npm run dist` packages: the built app (out/), the migrations, the database template,
 * the icons. Packaging itself needs Electron's binary, so this checks the recipe instead.
 *
 * It lives among the end-to-end specs (it opens no browser) because it needs what
 * `npm run build` makes — out/ and build/db-template — and `npm test` runs the unit tests
 * before the build; `npm run test:e2e` builds first.
 */
const root = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)

interface ExtraResource {
  from: string
  to: string
  filter?: string[]
}
interface BuilderConfig {
  appId: string
  productName: string
  directories: { buildResources: string; output: string }
  files: string[]
  extraResources: ExtraResource[]
  asarUnpack: string[]
  publish: { provider: string; url: string }[]
  linux: { target: string[]; category: string; icon: string; maintainer: string }
  mac: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
}

const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig

/** Every file under `dir`, relative to it, with forward slashes (as the globs are written). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join('/'))
}

/** Width and height from a PNG's header (IHDR follows the 8-byte signature). */
function pngSize(file: string): { width: number; height: number } {
  const head = readFileSync(file).subarray(0, 24)
  expect(head.subarray(1, 4).toString('latin1'), `${file} is a PNG`).toBe('PNG')
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) }
}

test.describe('electron-builder.yml', () => {
  test("is valid for this electron-builder's own schema", async () => {
    // The same check `electron-builder` runs before packaging (it throws on an unknown or
    // misplaced option). Not part of electron-builder's public API, hence the deep path.
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (c: unknown, log: { isEnabled: boolean }) => Promise<void>
    }
    await validateConfiguration(structuredClone(config), { isEnabled: false })
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/)
    expect(config.productName).toBe('Groundskeeper')
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.linux.category).toBe('Office')
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/)
    expect(config.win.target).toEqual(['nsis'])
    expect(config.mac.target).toContain('dmg')
  })

  test('names files that exist after the build', () => {
    expect(statSync(join(root, config.directories.buildResources)).isDirectory()).toBe(true)
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }
    for (const pattern of config.files) {
      // Listing only the pattern's first folder (out/, not node_modules/ too).
      const top = pattern.split('/')[0] ?? ''
      const candidates = statSync(join(root, top)).isDirectory()
        ? filesUnder(join(root, top)).map((f) => `${top}/${f}`)
        : [top]
      expect(
        candidates.filter((f) => minimatch(f, pattern, { dot: true })),
        `files: ${pattern}`,
      ).not.toEqual([])
    }
    // The entry point the packaged app starts from is among the packed files.
    expect(config.files.some((p) => minimatch(pkg.main, p))).toBe(true)
    expect(statSync(join(root, pkg.main)).isFile()).toBe(true)
    expect(statSync(join(root, 'out', 'preload', 'index.cjs')).isFile()).toBe(true)
    expect(statSync(join(root, 'out', 'renderer', 'index.html')).isFile()).toBe(true)
    expect(statSync(join(root, 'out', 'renderer', 'logo.svg')).isFile()).toBe(true)

    for (const resource of config.extraResources) {
      const from = join(root, resource.from)
      expect(statSync(from).isDirectory(), `extraResources from ${resource.from}`).toBe(true)
      const files = filesUnder(from)
      for (const pattern of resource.filter ?? ['**/*']) {
        expect(
          files.filter((f) => minimatch(f, pattern, { dot: true })),
          `extraResources ${resource.from} filter ${pattern}`,
        ).not.toEqual([])
      }
    }
    for (const unpacked of config.asarUnpack) {
      expect(statSync(join(root, unpacked.replace(/\/\*\*$/, ''))).isDirectory()).toBe(true)
    }
  })

  test('ships what the installed app looks for, where it looks', () => {
    // Packaged, the app reads these below process.resourcesPath; each must be a file that
    // an extraResources entry copies there (from a source that exists, past its filter).
    const resourcesPath = join(root, 'dist', 'installed', 'resources')
    const wanted = appResources({
      isPackaged: true,
      resourcesPath,
      appPath: join(resourcesPath, 'app.asar'),
    })
    const shipped = (target: string): string[] =>
      config.extraResources.flatMap((r) => {
        const inside = relative(join(resourcesPath, r.to), target).split(sep).join('/')
        if (inside.startsWith('..')) return []
        const source = join(root, r.from)
        const files = filesUnder(source).filter(
          (f) =>
            (inside === '' || f === inside || f.startsWith(`${inside}/`)) &&
            (r.filter ?? ['**/*']).some((p) => minimatch(f, p, { dot: true })),
        )
        return files.map((f) => join(source, f))
      })
    const migrations = shipped(wanted.migrationsFolder)
    expect(migrations.some((f) => f.endsWith('.sql'))).toBe(true)
    expect(migrations.some((f) => f.endsWith(join('meta', '_journal.json')))).toBe(true)
    if (!wanted.templateDir) throw new Error('the installed app has no database template')
    const template = shipped(wanted.templateDir)
    expect(template.some((f) => f.endsWith('manifest.json'))).toBe(true)
    expect(template.some((f) => f.includes(`${sep}pgdata${sep}`))).toBe(true)
    expect(shipped(wanted.windowIcon)).toHaveLength(1)
  })

  test('has the icons each installer needs', () => {
    const linuxIcons = join(root, config.linux.icon)
    const sizes = readdirSync(linuxIcons)
      .filter((f) => /^\d+x\d+\.png$/.test(f))
      .map((f) => {
        const { width, height } = pngSize(join(linuxIcons, f))
        expect(`${width}x${height}.png`, 'the file name states its size').toBe(f)
        return width
      })
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 64, 128, 256, 512]))
    // electron-builder makes the .icns from a PNG of at least 512 px and the .ico from
    // one of at least 256 px.
    expect(pngSize(join(root, config.mac.icon)).width).toBeGreaterThanOrEqual(512)
    expect(pngSize(join(root, config.win.icon)).width).toBeGreaterThanOrEqual(256)
    // The renderer's logo is the installers' logo.
    expect(readFileSync(join(root, 'renderer', 'public', 'logo.svg'), 'utf8')).toBe(
      readFileSync(join(root, config.directories.buildResources, 'icon.svg'), 'utf8'),
    )
  })
})
