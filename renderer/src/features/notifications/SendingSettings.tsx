import { useEffect, useState } from 'react'
import type { Path } from 'react-hook-form'
import type { NotificationSettings } from '../../../../shared/contract/notifications'
import { may } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { href } from '../../app/router'
import { Dialog } from '../../components/Dialog'
import { Field } from '../../components/Field'
import { LoadError, Loading } from '../../components/States'
import { UnsavedDialog, useUnsavedChanges } from '../../components/UnsavedChanges'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { EmailProviderFields, SmsProviderFields } from './ProviderFields'
import { SENDER_TEXT } from './SenderLine'
import {
  errorAt,
  type SendingForm,
  type SendingValues,
  toValues,
  useSendingForm,
} from './sending-form'

/** Settings → Notifications: who sends, the business's sender details, timing, providers. */
export function SendingSettings() {
  const { data, error, refetch } = useChannel('notifications.settings', {})
  if (error) return <LoadError error={error} retry={() => void refetch()} />
  if (!data) return <Loading />
  return <SendingSettingsForm settings={data} />
}

function SendingSettingsForm({ settings }: { settings: NotificationSettings }) {
  const role = useSession((s) => s.role)
  // The providers' saved secrets go wherever they point: an admin sets them up.
  const admin = !!role && may(role, 'providers.write')
  const form = useSendingForm(settings, admin)
  // A change made elsewhere (another window, a pull) shows unless something is typed here.
  const { isDirty } = form.formState
  useEffect(() => {
    if (!isDirty) form.reset(toValues(settings))
  }, [settings, isDirty, form])
  const unsaved = useUnsavedChanges(isDirty, () => form.reset(toValues(settings)))

  type Input = Parameters<typeof write<'notifications.updateSettings'>>[1]
  // A provider turned off loses its settings and secret: asked first, never silently.
  const [removing, setRemoving] = useState<{ input: Input; what: string } | null>(null)
  const store = async (input: Input) => {
    try {
      const saved = await write('notifications.updateSettings', input)
      form.reset(toValues(saved))
      toast.success('Notification settings saved')
    } catch (err) {
      placeRefusal(form, err)
    }
  }
  const save = form.handleSubmit(async (input) => {
    const gone = [
      settings.email && 'email' in input && input.email === null ? 'email' : null,
      settings.sms && 'sms' in input && input.sms === null ? 'SMS' : null,
    ].filter((w): w is string => w !== null)
    if (gone.length) return setRemoving({ input, what: gone.join(' and ') })
    await store(input)
  })
  /** Not removed after all: the provider is on again in the form, as saved. */
  const keep = () => {
    if (removing?.what.includes('email')) form.setValue('emailOn', true)
    if (removing?.what.includes('SMS')) form.setValue('smsOn', true)
    setRemoving(null)
  }
  // The channel counts minutes; the form asks for hours.
  const leadError =
    form.getFieldState('reminderLeadMinutes' as Path<SendingValues>, form.formState).error &&
    'must be a number of hours from 0 to 168 (a week)'
  const problem = (form.formState.errors.root as { server?: { message?: string } } | undefined)
    ?.server?.message
  const providers = !admin ? (
    <ProvidersSummary settings={settings} />
  ) : (
    <>
      <EmailProviderFields form={form} settings={settings} />
      <SmsProviderFields form={form} settings={settings} />
      <p className="muted small secret-store">
        {settings.secretStore === 'os'
          ? 'Passwords and tokens are kept sealed by the system’s keychain, never shown again.'
          : 'Passwords and tokens are kept sealed with a key file in the data folder, never shown again.'}
      </p>
    </>
  )
  return (
    <section className="card sending-settings" aria-labelledby="sending">
      <h2 id="sending">Sending</h2>
      <p className={`sender-line sender-${settings.sender}`} role="status">
        {SENDER_TEXT[settings.sender]}
      </p>
      <form className="form-grid" aria-label="Sending" noValidate onSubmit={(e) => void save(e)}>
        {problem && (
          <p role="alert" className="form-error">
            {problem}
          </p>
        )}
        <p className="muted small signature">
          {signature(settings)} (<a href={href('/settings', { tab: 'business' })}>Business</a>).
        </p>
        <Field label="Reminder, hours before the visit" error={leadError}>
          <input
            type="number"
            min={0}
            max={168}
            step={0.5}
            {...form.register('reminderLeadHours', {
              onChange: () => form.clearErrors('reminderLeadMinutes' as Path<SendingValues>),
            })}
          />
        </Field>
        <div className="sending-hours">
          <Field label="Send from" error={errorAt(form, 'sendingHours.start')}>
            <input type="time" {...form.register('sendingHours.start')} />
          </Field>
          <Field label="Send until" error={errorAt(form, 'sendingHours.end')}>
            <input type="time" {...form.register('sendingHours.end')} />
          </Field>
        </div>
        {settings.sender === 'server' ? (
          // Unused while the server sends: out of the way, still there for the day it stops.
          <details className="own-providers">
            <summary>This laptop's own email and SMS, used only if it stops syncing</summary>
            <p className="muted small">
              While it syncs, the server sends every message with the providers set where it runs.
            </p>
            <div className="own-provider-fields">{providers}</div>
          </details>
        ) : (
          providers
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
            Save sending settings
          </button>
        </div>
      </form>
      <UnsavedDialog guard={unsaved} what="the sending settings" />
      <Dialog
        title={`Remove the ${removing?.what ?? ''} settings?`}
        open={removing !== null}
        onClose={keep}
        role="alertdialog"
      >
        <p>
          The {removing?.what} settings and their saved password or token are removed: sending by{' '}
          {removing?.what} again means typing them again. Meanwhile those messages are logged as
          skipped.
        </p>
        <div className="form-actions">
          <button type="button" onClick={keep}>
            Keep them
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              const input = removing?.input
              setRemoving(null)
              if (input) void store(input)
            }}
          >
            Remove them
          </button>
        </div>
      </Dialog>
    </section>
  )
}

/** How messages are signed, in words: the business's name and phone, set under Business. */
function signature(s: NotificationSettings): string {
  if (!s.businessName) return 'Messages are signed with the business’s name once it is set'
  const phone = s.businessPhone ? `, with ${s.businessPhone} to call back` : ''
  return `Messages are signed “${s.businessName}”${phone}`
}

/** A refused save: each issue on its field ("email.host", "sms.token"), the rest on top. */
function placeRefusal(form: SendingForm, err: unknown) {
  const issues = err instanceof ApiError ? (err.error.issues ?? []) : []
  const values = form.getValues() as unknown as Record<string, unknown>
  const known = (path: string) =>
    path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        values,
      ) !== undefined
  const rest: string[] = []
  for (const issue of issues) {
    if (known(issue.path))
      form.setError(issue.path as Path<SendingValues>, { message: issue.message })
    else rest.push(issue.path ? `${issue.path} ${issue.message}` : issue.message)
  }
  if (issues.length && !rest.length) return
  const message = rest.join('; ') || (err instanceof Error ? err.message : 'not saved')
  form.setError('root.server', { message })
  toast.error(message)
}

/** The providers as an office manager sees them: what is set up, for an admin to change. */
function ProvidersSummary({ settings }: { settings: NotificationSettings }) {
  const email = settings.email
  const sms = settings.sms
  return (
    <dl className="providers-summary">
      <dt>Email</dt>
      <dd>{email ? `through ${email.host}, from ${email.from}` : 'not set up'}</dd>
      <dt>SMS</dt>
      <dd>{sms ? `through Twilio, from ${sms.from}` : 'not set up'}</dd>
      <dd className="muted small">An admin sets up the email and SMS providers.</dd>
    </dl>
  )
}
