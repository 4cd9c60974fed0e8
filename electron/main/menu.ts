import { app, Menu } from 'electron'
import { showLogFolder } from './logging'
import { appMenuTemplate } from './menu-template'

/** The application menu (menu-template.ts) and the About panel's contents. */
export function installAppMenu(icon: string | undefined): void {
  app.setAboutPanelOptions({
    applicationName: 'Groundskeeper',
    applicationVersion: app.getVersion(),
    copyright: 'Scheduling for landscaping businesses',
    ...(icon ? { iconPath: icon } : {}),
  })
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(
        { platform: process.platform, isPackaged: app.isPackaged },
        { showLogs: () => void showLogFolder() },
      ),
    ),
  )
}
