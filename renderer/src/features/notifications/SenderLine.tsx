import type { NotificationSettings } from '../../../../shared/contract/notifications'
import { useChannel } from '../../api/queries'
import { href } from '../../app/router'

/** Who sends this laptop's clients their messages, said plainly. */
export const SENDER_TEXT: Record<NotificationSettings['sender'], string> = {
  server: 'This laptop syncs with a server: the server sends messages.',
  laptop: 'This laptop sends messages itself when online.',
  nobody: 'No provider is set up: messages are logged as skipped.',
}

export function SenderLine(props: { link?: boolean }) {
  const sender = useChannel('notifications.settings', {}).data?.sender
  if (!sender) return null
  return (
    <p className={`sender-line sender-${sender}`}>
      {SENDER_TEXT[sender]}
      {props.link !== false && sender === 'nobody' && (
        <>
          {' '}
          <a href={href('/settings', { tab: 'notifications' })}>Set up email or SMS</a>
        </>
      )}
    </p>
  )
}
