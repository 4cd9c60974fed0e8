import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appResources, appResourcesRoot, windowIconFor } from './paths'

const installed = {
  isPackaged: true,
  resourcesPath: join('/opt', 'Groundskeeper', 'resources'),
  appPath: join('/opt', 'Groundskeeper', 'resources', 'app.asar'),
}
const source = { isPackaged: false, resourcesPath: '/ignored', appPath: join('/src', 'gk') }

describe('where the app reads its run-time files', () => {
  it('reads them from the extra resources, outside app.asar, when installed', () => {
    const root = join(installed.resourcesPath, 'app-resources')
    expect(appResourcesRoot(installed)).toBe(root)
    expect(appResources(installed)).toEqual({
      migrationsFolder: join(root, 'drizzle', 'migrations'),
      templateDir: join(root, 'build', 'db-template'),
      windowIcon: join(root, 'build', 'icons', '512x512.png'),
    })
    // Nothing is read from inside the archive.
    expect(Object.values(appResources(installed)).some((p) => p?.includes('app.asar'))).toBe(false)
  })

  it('reads them from the source tree when run unpackaged', () => {
    expect(appResourcesRoot(source)).toBe(source.appPath)
    expect(appResources(source).migrationsFolder).toBe(join('/src', 'gk', 'drizzle', 'migrations'))
    expect(appResources(source).templateDir).toBe(join('/src', 'gk', 'build', 'db-template'))
  })
})

describe('the window icon', () => {
  const icon = '/x/512x512.png'
  it('is set on Linux, installed or not', () => {
    expect(windowIconFor({ ...installed, platform: 'linux' }, icon)).toBe(icon)
    expect(windowIconFor({ ...source, platform: 'linux' }, icon)).toBe(icon)
  })
  it("is left to the executable's own icon on an installed Windows app", () => {
    expect(windowIconFor({ ...installed, platform: 'win32' }, icon)).toBeUndefined()
    expect(windowIconFor({ ...source, platform: 'win32' }, icon)).toBe(icon)
  })
  it('is never set on macOS (the bundle has it)', () => {
    expect(windowIconFor({ ...source, platform: 'darwin' }, icon)).toBeUndefined()
  })
})
