import type { NotificationSettings } from '../../../../shared/contract/notifications'
import { Field } from '../../components/Field'
import { errorAt, type SendingForm } from './sending-form'

/**
 * The mail server this laptop sends through. The password is written, never read back:
 * the screen only knows whether one is saved, and an empty field keeps it.
 */
export function EmailProviderFields(props: { form: SendingForm; settings: NotificationSettings }) {
  const { form } = props
  const on = form.watch('emailOn')
  const passwordSet = props.settings.email?.passwordSet ?? false
  const forget = form.watch('email.forgetPassword')
  return (
    <fieldset className="provider" aria-label="Email provider">
      <legend>Email</legend>
      <label className="check">
        <input type="checkbox" {...form.register('emailOn')} />
        Send email through a mail server (SMTP)
      </label>
      {on && (
        <div className="provider-fields">
          <Field
            label="Mail server"
            error={errorAt(form, 'email.host')}
            hint="Such as smtp.example.com"
          >
            <input {...form.register('email.host')} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="Port" error={errorAt(form, 'email.port')}>
            <input type="number" min={1} max={65535} {...form.register('email.port')} />
          </Field>
          <label className="check wide-check">
            <input type="checkbox" {...form.register('email.secure')} />
            TLS from the start (port 465); otherwise the connection is encrypted (STARTTLS) before
            the password is sent, and a server that cannot is refused
          </label>
          <Field label="User name" error={errorAt(form, 'email.user')}>
            <input {...form.register('email.user')} autoComplete="off" spellCheck={false} />
          </Field>
          <Field
            label="Password"
            error={errorAt(form, 'email.password')}
            hint={
              passwordSet
                ? forget
                  ? 'The saved password will be removed.'
                  : 'Saved. Leave empty to keep it, or type a new one.'
                : 'None saved.'
            }
          >
            <input
              type="password"
              autoComplete="new-password"
              placeholder={passwordSet ? '•••••••• (saved)' : ''}
              {...form.register('email.password')}
            />
          </Field>
          {passwordSet && (
            <label className="check wide-check">
              <input type="checkbox" {...form.register('email.forgetPassword')} />
              Remove the saved password
            </label>
          )}
          <Field
            label="Sender address"
            error={errorAt(form, 'email.from')}
            hint="Such as Greenway Gardens <office@example.com>"
          >
            <input {...form.register('email.from')} autoComplete="off" spellCheck={false} />
          </Field>
        </div>
      )}
    </fieldset>
  )
}

/** The SMS provider (Twilio, or a service speaking its API). The token is write-only. */
export function SmsProviderFields(props: { form: SendingForm; settings: NotificationSettings }) {
  const { form } = props
  const on = form.watch('smsOn')
  const tokenSet = props.settings.sms?.tokenSet ?? false
  return (
    <fieldset className="provider" aria-label="SMS provider">
      <legend>SMS</legend>
      <label className="check">
        <input type="checkbox" {...form.register('smsOn')} />
        Send texts through Twilio
      </label>
      {on && (
        <div className="provider-fields">
          <Field
            label="Account SID"
            error={errorAt(form, 'sms.accountSid')}
            hint="AC followed by 32 hexadecimal digits (0–9, a–f), from the Twilio console"
          >
            <input {...form.register('sms.accountSid')} autoComplete="off" spellCheck={false} />
          </Field>
          <Field
            label="Auth token"
            error={errorAt(form, 'sms.token')}
            hint={tokenSet ? 'Saved. Leave empty to keep it, or type a new one.' : 'None saved.'}
          >
            <input
              type="password"
              autoComplete="new-password"
              placeholder={tokenSet ? '•••••••• (saved)' : ''}
              {...form.register('sms.token')}
            />
          </Field>
          <Field
            label="Sender"
            error={errorAt(form, 'sms.from')}
            hint="A number such as +14155550100, or a Messaging Service SID"
          >
            <input {...form.register('sms.from')} autoComplete="off" spellCheck={false} />
          </Field>
          <Field
            label="API address"
            error={errorAt(form, 'sms.baseUrl')}
            hint="Leave empty for Twilio’s own (https://api.twilio.com)"
          >
            <input
              type="url"
              {...form.register('sms.baseUrl')}
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
        </div>
      )}
    </fieldset>
  )
}
