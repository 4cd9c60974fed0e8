import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/contract'
import { BRIDGE_TOKEN_META } from '../../../shared/contract/bridge'
import { type ChangedNotice, parseChangedNotice } from '../../../shared/contract/tables'
import type { ErrorData, Result } from '../../../shared/errors'

/**
 * The typed client. In the desktop app calls go over IPC (`window.api`, from the
 * preload); in a plain browser (development, end-to-end tests) over HTTP to the
 * loopback bridge. Callers cannot tell which. The same holds for "changed" notices:
 * IPC events in the app, Server-Sent Events (`GET /events`) over the bridge.
 */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>
  /** Calls `onNotice` for each "changed" notice; returns the function that stops it. */
  onChanged?(onNotice: (notice: ChangedNotice) => void): () => void
  /** The desktop shell's own channels (shared/contract/shell.ts); absent in a browser. */
  shell?(channel: string, input: unknown): Promise<Result<unknown>>
}

declare global {
  interface Window {
    api?: Transport
  }
}

/** Told when the notice stream came back after a break: notices may have been missed. */
export type OnReconnect = () => void

/** The bridge's per-launch secret, which the page it serves carries. */
const bridgeToken = () =>
  document.querySelector<HTMLMetaElement>(`meta[name="${BRIDGE_TOKEN_META}"]`)?.content ?? ''

const httpTransport: Transport = {
  async invoke(channel, input) {
    try {
      const res = await fetch('/rpc', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bridgeToken()}` },
        body: JSON.stringify({ channel, input }),
      })
      return (await res.json()) as Result<unknown>
    } catch {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'the app is not reachable' } }
    }
  },
}

export function transport(): Transport {
  return window.api ?? httpTransport
}

/**
 * Whether the core tells this page of changes (IPC events in the app, the bridge's event
 * stream in a browser). It sends one for every committed write, as it commits.
 */
export const noticesArrive = (): boolean => !window.api || !!window.api.onChanged

/**
 * Subscribes to "changed" notices over whichever transport the app runs on. Over HTTP
 * the browser's EventSource reconnects by itself; `onReconnect` runs when it does.
 */
export function subscribeChanges(
  onNotice: (notice: ChangedNotice) => void,
  onReconnect: OnReconnect,
): () => void {
  if (window.api) return window.api.onChanged?.(onNotice) ?? (() => {})
  const source = new EventSource('/events')
  let opened = false
  source.addEventListener('open', () => {
    if (opened) onReconnect()
    opened = true
  })
  source.addEventListener('changed', (e) => {
    let payload: unknown = null
    try {
      payload = JSON.parse((e as MessageEvent<string>).data)
    } catch {
      return
    }
    const notice = parseChangedNotice(payload)
    if (notice) onNotice(notice)
  })
  return () => source.close()
}

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(readonly error: ErrorData) {
    super(error.message)
  }
}

export async function call<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await transport().invoke(channel, input)
  if (!result.ok) throw new ApiError(result.error)
  return result.data as ChannelOutput<C>
}
