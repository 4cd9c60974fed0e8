import { appointmentHandlers } from './appointments'
import { catalogHandlers } from './catalog'
import { clientHandlers } from './clients'
import { dataHandlers } from './data'
import { daySheetHandlers } from './day-sheet'
import { notificationHandlers } from './notifications'
import { seriesHandlers } from './series'
import { sessionHandlers } from './session'
import { settingsHandlers } from './settings'
import { setupHandlers } from './setup'
import { syncHandlers } from './sync'
import { systemHandlers } from './system'
import { teamHandlers } from './team'
import type { Handlers } from './types'
import { weatherHandlers } from './weather'

/** Every channel of the contract has exactly one handler: a missing one is a type error. */
export const handlers = {
  ...appointmentHandlers,
  ...catalogHandlers,
  ...clientHandlers,
  ...dataHandlers,
  ...daySheetHandlers,
  ...notificationHandlers,
  ...seriesHandlers,
  ...teamHandlers,
  ...sessionHandlers,
  ...settingsHandlers,
  ...setupHandlers,
  ...syncHandlers,
  ...systemHandlers,
  ...weatherHandlers,
} satisfies Handlers
