import { systemHandlers } from './system'
import type { Handlers } from './types'

/** Every channel of the contract has exactly one handler: a missing one is a type error. */
export const handlers = {
  ...systemHandlers,
} satisfies Handlers
