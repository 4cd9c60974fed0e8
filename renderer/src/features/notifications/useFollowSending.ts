import { useEffect, useRef } from 'react'
import type { Notification } from '../../../../shared/contract/notifications'
import { useChannel } from '../../api/queries'

/** Look again this soon after a message was seen waiting or sending. */
const SOON_MS = 3_000
/** A message due within this long is worth looking at when it falls due. */
const AHEAD_MS = 5 * 60_000
/** Looks that found nothing new before giving up (the Refresh button still works). */
const MAX_QUIET_LOOKS = 20

/**
 * When this laptop sends messages itself, its sender writes the send log without a
 * "changed" notice, so a list showing a message on its way (waiting, sending, or due
 * again within minutes) looks again a few seconds later until it settles. A list with
 * nothing on its way asks for nothing; on a laptop that syncs, the server's results
 * arrive by the sync round's own notices. A message that never moves (the provider is
 * unreachable) stops the looking after a minute or so.
 */
export function useFollowSending(
  rows: readonly Notification[] | undefined,
  updatedAt: number,
  refetch: () => unknown,
): void {
  const sender = useChannel('notifications.settings', {}).data?.sender
  const quiet = useRef({ signature: '', looks: 0 })
  const signature = rows?.map((r) => `${r.id}:${r.status}:${r.attempts}`).join(',') ?? ''
  // biome-ignore lint/correctness/useExhaustiveDependencies: updatedAt is the trigger: each answer, changed or not, decides on the next look
  useEffect(() => {
    if (!rows?.length || !sender || sender === 'server') return
    const wait = nextLook(rows, Date.now())
    if (wait === null) return
    const q = quiet.current
    if (q.signature === signature) q.looks += 1
    else quiet.current = { signature, looks: 0 }
    if (quiet.current.looks > MAX_QUIET_LOOKS) return
    // A hidden window waits until it is shown again.
    const look = () => {
      if (document.hidden) return
      document.removeEventListener('visibilitychange', look)
      void refetch()
    }
    const timer = setTimeout(() => {
      if (document.hidden) document.addEventListener('visibilitychange', look)
      else look()
    }, wait)
    return () => {
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', look)
    }
  }, [updatedAt, signature, sender])
}

/** How long until a message shown is worth looking at again, or null when none is. */
export function nextLook(rows: readonly Notification[], nowMs: number): number | null {
  let wait: number | null = null
  for (const r of rows) {
    let ms: number | null = null
    if (r.status === 'queued' || r.status === 'processing') ms = SOON_MS
    else if (r.status === 'failed' || r.status === 'scheduled') {
      const due = Date.parse(r.dueAt) - nowMs
      if (due <= AHEAD_MS) ms = Math.max(SOON_MS, due + SOON_MS)
    }
    if (ms !== null && (wait === null || ms < wait)) wait = ms
  }
  return wait
}
