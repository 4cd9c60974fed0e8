import type { z } from 'zod'
import { appointmentsContract, calendarContract } from './appointments'
import { catalogContract } from './catalog'
import { clientsContract } from './clients'
import { dataContract } from './data'
import { daySheetContract } from './day-sheet'
import { notificationsContract } from './notifications'
import { seriesContract } from './series'
import { sessionContract } from './session'
import { settingsContract } from './settings'
import { setupContract } from './setup'
import { syncContract } from './sync'
import { systemContract } from './system'
import { teamContract } from './team'
import { weatherContract } from './weather'

/**
 * The one map from channel name to the zod schemas of its input and output. Main
 * registers a handler per channel, the preload exposes exactly these channels, and the
 * renderer's client is typed from it.
 */
export const contract = {
  ...appointmentsContract,
  ...calendarContract,
  ...catalogContract,
  ...clientsContract,
  ...dataContract,
  ...daySheetContract,
  ...notificationsContract,
  ...seriesContract,
  ...teamContract,
  ...sessionContract,
  ...settingsContract,
  ...setupContract,
  ...syncContract,
  ...systemContract,
  ...weatherContract,
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>

export const CHANNELS = Object.keys(contract) as Channel[]

/** The one IPC channel the preload and main use to carry every call. */
export const RPC_CHANNEL = 'groundskeeper:rpc'

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(contract, value)
}
