import type { z } from 'zod'
import { systemContract } from './system'

/**
 * The one map from channel name to the zod schemas of its input and output. Main
 * registers a handler per channel, the preload exposes exactly these channels, and the
 * renderer's client is typed from it.
 */
export const contract = {
  ...systemContract,
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>

export const CHANNELS = Object.keys(contract) as Channel[]

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(contract, value)
}
