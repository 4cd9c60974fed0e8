import type { NotificationSettings } from '../../../../shared/contract/notifications'
import { may } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { plural } from '../../app/format'
import { href } from '../../app/router'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'

/** Who sends this laptop's clients their messages, said plainly. */
export const SENDER_TEXT: Record<NotificationSettings['sender'], string> = {
  server: 'This laptop syncs with a server: the server sends messages.',
  laptop: 'This laptop sends messages itself when online.',
  nobody: 'No provider is set up: messages are logged as skipped.',
}

export function SenderLine(props: { link?: boolean }) {
  const settings = useChannel('notifications.settings', {}).data
  const user = useSession((s) => s.user)
  const sender = settings?.sender
  if (!sender) return null
  const left = settings.leftToServer
  return (
    <>
      <p className={`sender-line sender-${sender}`}>
        {SENDER_TEXT[sender]}
        {props.link !== false && sender === 'nobody' && (
          <>
            {' '}
            <a href={href('/settings', { tab: 'notifications' })}>Set up email or SMS</a>
          </>
        )}
      </p>
      {left > 0 && (
        <p className="notice" role="note">
          {plural(left, 'message')} still to go {left === 1 ? 'was' : 'were'} planned while this
          laptop synced with a server: {left === 1 ? 'it is' : 'they are'} left to that server, so
          that none goes out twice.
          {user && may(user.role, 'notifications.write') && (
            <>
              {' '}
              If that server is gone for good,{' '}
              <button type="button" className="link" onClick={() => void sendLeft()}>
                send them from this laptop
              </button>
              .
            </>
          )}
        </p>
      )}
    </>
  )
}

async function sendLeft() {
  try {
    await write('notifications.sendLeft', {})
    toast.success('This laptop sends them now')
  } catch (e) {
    toast.error(e instanceof ApiError ? e.message : String(e))
  }
}
