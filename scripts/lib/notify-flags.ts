import type { ChannelSender } from '../../notify/channels'
import { emailSender, parseEmailSettings } from '../../notify/email'
import { parseSmsSettings, smsSender } from '../../notify/sms'
import type { Channel } from '../../shared/notifications/kinds'
import { type FlagSpec, UsageError } from './cli'

/**
 * The notification worker's providers, for `npm run server` and `npm run worker`: SMTP
 * for email, Twilio for SMS, from flags or the environment (secrets belong in the
 * environment). A channel left unset sends nothing: its messages are logged as skipped
 * with the reason.
 */
export const NOTIFY_FLAGS = {
  'smtp-url': {
    type: 'string',
    env: 'SMTP_URL',
    help: 'the mail server, smtp://[user:pass@]host:port (STARTTLS) or smtps://host:465',
  },
  'smtp-from': {
    type: 'string',
    env: 'SMTP_FROM',
    help: 'the sender of emails, "Business name <office@example.com>"',
  },
  'sms-base-url': {
    type: 'string',
    env: 'SMS_BASE_URL',
    help: "Twilio's API address (default https://api.twilio.com)",
  },
  'sms-account': { type: 'string', env: 'SMS_ACCOUNT_SID', help: 'the Twilio account SID (AC...)' },
  'sms-token': { type: 'string', env: 'SMS_AUTH_TOKEN', help: 'the Twilio auth token' },
  'sms-from': {
    type: 'string',
    env: 'SMS_FROM',
    help: 'the SMS sender: an E.164 number or a Messaging Service SID (MG...)',
  },
} as const satisfies Record<string, FlagSpec>

type NotifyFlags = { [K in keyof typeof NOTIFY_FLAGS]: string | undefined }

export function sendersFromFlags(f: NotifyFlags): Partial<Record<Channel, ChannelSender>> {
  const senders: Partial<Record<Channel, ChannelSender>> = {}
  try {
    if (f['smtp-url'] || f['smtp-from']) {
      if (!f['smtp-url'] || !f['smtp-from'])
        throw new TypeError('--smtp-url and --smtp-from go together')
      senders.email = emailSender(parseEmailSettings(f['smtp-url'], f['smtp-from']))
    }
    const sms = [f['sms-account'], f['sms-token'], f['sms-from']]
    if (sms.some(Boolean) || f['sms-base-url']) {
      if (!sms.every(Boolean))
        throw new TypeError('--sms-account, --sms-token and --sms-from go together')
      senders.sms = smsSender(
        parseSmsSettings({
          accountSid: f['sms-account'] as string,
          authToken: f['sms-token'] as string,
          from: f['sms-from'] as string,
          ...(f['sms-base-url'] ? { baseUrl: f['sms-base-url'] } : {}),
        }),
      )
    }
  } catch (e) {
    throw e instanceof TypeError ? new UsageError(e.message) : e
  }
  return senders
}
