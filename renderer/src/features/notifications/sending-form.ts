import type { Path } from 'react-hook-form'
import { contract } from '../../../../shared/contract'
import type { NotificationSettings } from '../../../../shared/contract/notifications'
import { useContractForm } from '../../api/forms'

/**
 * The sending settings' form: what it holds (text as typed, each provider on or off)
 * and how that becomes `notifications.updateSettings`' input.
 */
export interface SendingValues {
  reminderLeadHours: string
  sendingHours: { start: string; end: string }
  emailOn: boolean
  email: {
    host: string
    port: string
    secure: boolean
    user: string
    password: string
    forgetPassword: boolean
    from: string
  }
  smsOn: boolean
  sms: { accountSid: string; token: string; from: string; baseUrl: string }
}

export function toValues(s: NotificationSettings): SendingValues {
  return {
    reminderLeadHours: String(Math.round((s.reminderLeadMinutes / 60) * 100) / 100),
    sendingHours: { ...s.sendingHours },
    emailOn: !!s.email,
    email: {
      host: s.email?.host ?? '',
      port: String(s.email?.port ?? 587),
      secure: s.email?.secure ?? false,
      user: s.email?.user ?? '',
      password: '',
      forgetPassword: false,
      from: s.email?.from ?? '',
    },
    smsOn: !!s.sms,
    sms: {
      accountSid: s.sms?.accountSid ?? '',
      token: '',
      from: s.sms?.from ?? '',
      baseUrl: s.sms?.baseUrl ?? '',
    },
  }
}

/**
 * The channel's input from what is typed: a secret left empty keeps the saved one. The
 * providers only from an admin (`providers`): anyone else saves the timing alone.
 */
function toInput(v: SendingValues, providers: boolean) {
  const hours = v.reminderLeadHours.trim()
  const e = v.email
  const s = v.sms
  const timing = {
    reminderLeadMinutes: hours === '' ? Number.NaN : Math.round(Number(hours) * 60),
    sendingHours: v.sendingHours,
  }
  if (!providers) return timing
  return {
    ...timing,
    email: v.emailOn
      ? {
          host: e.host,
          port: e.port.trim() === '' ? Number.NaN : Number(e.port),
          secure: e.secure,
          user: e.user.trim() || null,
          ...(e.password ? { password: e.password } : e.forgetPassword ? { password: '' } : {}),
          from: e.from,
        }
      : null,
    sms: v.smsOn
      ? {
          accountSid: s.accountSid,
          ...(s.token ? { token: s.token } : {}),
          from: s.from,
          baseUrl: s.baseUrl.trim() || null,
        }
      : null,
  }
}

export function useSendingForm(settings: NotificationSettings, providers: boolean) {
  return useContractForm({
    schema: contract['notifications.updateSettings'].input,
    defaultValues: toValues(settings),
    toInput: (v: SendingValues) => toInput(v, providers),
  })
}
export type SendingForm = ReturnType<typeof useSendingForm>

/** The message of a field at `path` ("email.host"), for <Field error=…>. */
export const errorAt = (form: SendingForm, path: Path<SendingValues>) =>
  form.getFieldState(path, form.formState).error?.message
