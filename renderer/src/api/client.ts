import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/contract'
import { BRIDGE_TOKEN_META } from '../../../shared/contract/bridge'
import type { ErrorData, Result } from '../../../shared/errors'

/**
 * The typed client. In the desktop app calls go over IPC (`window.api`, from the
 * preload); in a plain browser (development, end-to-end tests) over HTTP to the
 * loopback bridge. Callers cannot tell which.
 */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>
}

declare global {
  interface Window {
    api?: Transport
  }
}

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
