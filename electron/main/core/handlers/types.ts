import type { z } from 'zod'
import type { Channel, ChannelOutput, Contract } from '../../../../shared/contract'
import type { AppContext } from '../context'

/** A handler gets the validated input of its channel and returns its output. */
export type Handler<C extends Channel> = (
  ctx: AppContext,
  input: z.output<Contract[C]['input']>,
) => Promise<ChannelOutput<C>>

export type Handlers = { [C in Channel]: Handler<C> }
