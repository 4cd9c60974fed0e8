import type { MenuItemConstructorOptions } from 'electron'

/**
 * The application menu, as data (no `electron` import at run time, so it is tested under
 * Node; menu.ts builds it). The standard menus come from Electron's roles, so shortcuts
 * and wording follow each platform. An installed app has no reload or developer tools.
 */
export interface MenuActions {
  showLogs: () => void
}

export function appMenuTemplate(
  env: { platform: NodeJS.Platform; isPackaged: boolean },
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = env.platform === 'darwin'
  const view: MenuItemConstructorOptions = env.isPackaged
    ? {
        label: 'View',
        submenu: [
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      }
    : { role: 'viewMenu' }
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Show logs', click: () => actions.showLogs() },
        // macOS has About in the app menu already.
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const]),
      ],
    },
  ]
}
