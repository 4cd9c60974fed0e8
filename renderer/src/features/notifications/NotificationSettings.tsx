import { SendingSettings } from './SendingSettings'
import { TemplateEditor } from './TemplateEditor'
import './notifications.css'

/** Settings → Notifications: how messages to clients go out, and what they say. */
export function NotificationSettingsTab() {
  return (
    <div className="notification-settings">
      <SendingSettings />
      <TemplateEditor />
    </div>
  )
}
