import {
  keepPreviousData,
  QueryClient,
  type UseQueryResult,
  useMutation,
  useQuery,
} from '@tanstack/react-query'
import {
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  isChannel,
} from '../../../shared/contract'
import { type ChangedNotice, readsAny, tablesWrittenBy } from '../../../shared/contract/tables'
import { type ApiError, call, noticesArrive, subscribeChanges } from './client'

/**
 * The renderer's data layer: one query per channel and input (`[channel, input]`), kept
 * until a table it reads changes. Changes are learnt from the core's "changed" notices
 * (a write made here or in another window, a pull, a restore), which invalidate the
 * tables they name. Nothing polls: a screen at rest sends nothing.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Fresh until a change says otherwise: notices, not timers, refetch.
      staleTime: Number.POSITIVE_INFINITY,
      refetchOnWindowFocus: false,
      retry: false,
    },
  },
})

export type ChannelKey<C extends Channel> = readonly [C, ChannelInput<C>]

export const channelKey = <C extends Channel>(channel: C, input: ChannelInput<C>): ChannelKey<C> =>
  [channel, input] as const

/** Refetches (when shown) every query whose channel reads one of `tables`. */
export function invalidateTables(tables: readonly string[]): Promise<void> {
  if (!tables.length) return Promise.resolve()
  return queryClient.invalidateQueries({
    predicate: (q) => {
      const channel = q.queryKey[0]
      return isChannel(channel) && readsAny(channel, tables)
    },
  })
}

/** Reads a channel as a query. `keepPrevious`: show the last answer while the next loads. */
export function useChannel<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
  options: { enabled?: boolean; keepPrevious?: boolean } = {},
): UseQueryResult<ChannelOutput<C>, ApiError> {
  return useQuery<ChannelOutput<C>, ApiError, ChannelOutput<C>, ChannelKey<C>>({
    queryKey: channelKey(channel, input),
    queryFn: () => call(channel, input),
    enabled: options.enabled ?? true,
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  })
}

/** A write: the call, then every query reading a table it wrote refetches. */
export async function write<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const output = await call(channel, input)
  // The core's notice of this write (sent as it committed) refetches what it changed;
  // doing it here too would ask for every list twice. Missed during a break in the
  // stream, it is made up for by the refetch of everything when the stream returns.
  if (!noticesArrive()) void invalidateTables(tablesWrittenBy(channel))
  return output
}

/** `write` as a TanStack mutation, for forms that show its pending state. */
export function useWrite<C extends Channel>(channel: C) {
  return useMutation<ChannelOutput<C>, ApiError, ChannelInput<C>>({
    mutationFn: (input) => write(channel, input),
  })
}

/**
 * Listens to the core's "changed" notices for the life of the app. After a break in
 * the stream everything is refetched, since notices may have been missed. A notice's
 * `alerts` (a crew lead's jobs changed by a pull) go to `onAlerts`, to be shown as
 * desktop notices; a missed one is not replayed, as it would be stale. `onAny` runs for
 * every notice and after every break (what is not a query follows through it).
 */
export function followChanges(
  onAlerts: (alerts: NonNullable<ChangedNotice['alerts']>) => void = () => {},
  onAny: () => void = () => {},
): () => void {
  return subscribeChanges(
    (notice) => {
      void invalidateTables(notice.tables)
      if (notice.alerts?.length) onAlerts(notice.alerts)
      onAny()
    },
    () => {
      void queryClient.invalidateQueries()
      onAny()
    },
  )
}
