import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { appMenuTemplate } from './menu-template'

const items = (menu: MenuItemConstructorOptions | undefined) =>
  (menu?.submenu ?? []) as MenuItemConstructorOptions[]
const roles = (template: MenuItemConstructorOptions[]): string[] =>
  template.flatMap((m) => [m.role ?? m.label ?? '', ...roles(items(m))])

describe('the application menu', () => {
  it('has Help -> Show logs, which opens the log folder', () => {
    let opened = 0
    const template = appMenuTemplate(
      { platform: 'linux', isPackaged: true },
      { showLogs: () => opened++ },
    )
    const help = template.find((m) => m.role === 'help')
    const showLogs = items(help).find((i) => i.label === 'Show logs')
    const click = showLogs?.click as (() => void) | undefined
    expect(click).toBeTypeOf('function')
    click?.()
    expect(opened).toBe(1)
    expect(items(help).map((i) => i.role ?? i.type ?? i.label)).toEqual([
      'Show logs',
      'separator',
      'about',
    ])
  })

  it('gives an installed app no reload and no developer tools', () => {
    const installed = roles(
      appMenuTemplate({ platform: 'win32', isPackaged: true }, { showLogs() {} }),
    )
    expect(installed).not.toContain('viewMenu')
    expect(installed).not.toContain('reload')
    expect(installed).not.toContain('toggleDevTools')
    expect(installed).toEqual(expect.arrayContaining(['editMenu', 'zoomIn', 'togglefullscreen']))
    const source = roles(
      appMenuTemplate({ platform: 'linux', isPackaged: false }, { showLogs() {} }),
    )
    expect(source).toContain('viewMenu')
  })

  it('follows macOS: the app menu first, About in it rather than under Help', () => {
    const mac = appMenuTemplate({ platform: 'darwin', isPackaged: true }, { showLogs() {} })
    expect(mac[0]?.role).toBe('appMenu')
    expect(items(mac.find((m) => m.role === 'help')).map((i) => i.label)).toEqual(['Show logs'])
  })
})
