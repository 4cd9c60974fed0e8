import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ChangeFeed } from '../main/core/changes'

/**
 * `GET /events`: the core's "changed" notices as Server-Sent Events, for the renderer
 * in a browser (the desktop app gets them over IPC). One `changed` event per notice,
 * its data the notice as JSON. A comment line every `heartbeatMs` finds dead
 * connections; the browser's EventSource reconnects by itself after `retry` ms.
 */
export function serveEvents(
  changes: ChangeFeed,
  req: IncomingMessage,
  res: ServerResponse,
  heartbeatMs = 25_000,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  })
  res.write('retry: 2000\n\n')
  const unsubscribe = changes.subscribe((notice) => {
    res.write(`event: changed\ndata: ${JSON.stringify(notice)}\n\n`)
  })
  const heartbeat = setInterval(() => res.write(': still here\n\n'), heartbeatMs)
  heartbeat.unref()
  const stop = () => {
    clearInterval(heartbeat)
    unsubscribe()
  }
  req.on('close', stop)
  res.on('error', stop)
}
