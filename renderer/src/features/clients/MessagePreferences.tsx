import type { UseFormRegister, UseFormWatch } from 'react-hook-form'
import { CHANNELS, LOCALES, NOTIFICATION_KINDS } from '../../../../shared/notifications/kinds'
import { smsNumberProblem } from '../../../../shared/notifications/preferences'
import { Field } from '../../components/Field'
import { LOCALE_LABELS, overrideLabel } from '../notifications/labels'
import '../notifications/notifications.css'

/** What the client dialog's form holds about messages. */
export interface PreferenceValues {
  phone: string
  email: string
  notifyEmail: boolean
  notifySms: boolean
  notifyOff: string[]
  locale: string
}

/**
 * A client's wishes about messages: email unless they opt out, SMS only when they opted
 * in, either turned off for one kind ("No SMS reminders"), and the language of the
 * templates they get. The same rules decide at sending time (shared/notifications).
 */
export function MessagePreferences<V extends PreferenceValues>(props: {
  register: UseFormRegister<V>
  watch: UseFormWatch<V>
}) {
  // The form's own type is wider than these fields; the names below are all in it.
  const register = props.register as unknown as UseFormRegister<PreferenceValues>
  const watch = props.watch as unknown as UseFormWatch<PreferenceValues>
  const [email, phone, notifyEmail, notifySms] = watch([
    'email',
    'phone',
    'notifyEmail',
    'notifySms',
  ])
  const smsProblem = smsNumberProblem({ phone, notifySms })
  return (
    <fieldset className="message-prefs">
      <legend>Messages to this client</legend>
      <div className="prefs-channels">
        <label className="check">
          <input type="checkbox" {...register('notifyEmail')} />
          Send email
        </label>
        <label className="check">
          <input type="checkbox" {...register('notifySms')} />
          Send texts (SMS): the client agreed to them
        </label>
        <Field label="Language">
          <select {...register('locale')}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_LABELS[l] ?? l}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {notifyEmail && !email && (
        <p className="hint">Email is on, but the client has no email address yet.</p>
      )}
      {smsProblem && <p className="hint">The phone number {smsProblem}.</p>}
      <p className="prefs-caption">Turn off one kind only:</p>
      <div className="prefs-overrides">
        {CHANNELS.map((channel) => (
          // Kept when a channel is off (a disabled box would drop its value on save), only
          // shown as not mattering.
          <div
            key={channel}
            className={
              (channel === 'email' ? notifyEmail : notifySms) ? 'prefs-column' : 'prefs-column off'
            }
          >
            {NOTIFICATION_KINDS.map((kind) => (
              <label key={kind} className="check">
                <input type="checkbox" value={`${kind}:${channel}`} {...register('notifyOff')} />
                {overrideLabel(kind, channel)}
              </label>
            ))}
          </div>
        ))}
      </div>
    </fieldset>
  )
}
