import { z } from 'zod'
import {
  CHANNELS,
  LOCALES,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
} from '../notifications/kinds'
import { MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH } from '../notifications/templates'
import { PLAIN_HTTP_REFUSAL, plainHttpRefusal } from '../sync/server-address'
import { id, idInput, page, pageInput, phone, storableText } from './common'

/** Messages to clients: the send log, templates and the sending settings. */
export const notification = z.object({
  id,
  kind: z.enum(NOTIFICATION_KINDS),
  channel: z.enum(CHANNELS),
  clientId: id,
  clientName: z.string(),
  appointmentId: id.nullable(),
  recipient: z.string().nullable(),
  visitAt: z.string().nullable(),
  dueAt: z.string(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int(),
  providerId: z.string().nullable(),
  reason: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
})
export type Notification = z.infer<typeof notification>

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 08:00')
export const sendingHours = z
  .object({ start: clock, end: clock })
  .refine((h) => h.start < h.end, { message: 'must end after it starts', path: ['end'] })

export const templateKey = {
  kind: z.enum(NOTIFICATION_KINDS),
  channel: z.enum(CHANNELS),
  locale: z.enum(LOCALES),
}

export const template = z.object({
  ...templateKey,
  version: z.number().int(),
  subject: z.string(),
  body: z.string(),
  /** True while the built-in template applies (no saved one). */
  builtIn: z.boolean(),
})
export type Template = z.infer<typeof template>

const templateText = {
  subject: storableText().max(MAX_SUBJECT_LENGTH, `is too long (${MAX_SUBJECT_LENGTH} at most)`),
  body: storableText().max(MAX_BODY_LENGTH, `is too long (${MAX_BODY_LENGTH} at most)`),
}

const host = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name such as smtp.example.com')
const port = z.number().int().min(1, 'must be a port number').max(65535, 'must be a port number')
const sender = z
  .string()
  .trim()
  .min(3, 'is required')
  .max(254)
  .regex(
    /^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/,
    'must be an address such as office@example.com',
  )

/** The email and SMS providers as the screen shows them: secrets only as set or not. */
export const notificationSettings = z.object({
  businessName: z.string().nullable(),
  businessPhone: z.string().nullable(),
  reminderLeadMinutes: z.number().int(),
  sendingHours,
  email: z
    .object({
      host: z.string(),
      port: z.number().int(),
      secure: z.boolean(),
      user: z.string().nullable(),
      from: z.string(),
      passwordSet: z.boolean(),
    })
    .nullable(),
  sms: z
    .object({
      accountSid: z.string(),
      from: z.string(),
      baseUrl: z.string().nullable(),
      tokenSet: z.boolean(),
    })
    .nullable(),
  /**
   * Who sends: `server` while this laptop syncs with a server (its worker sends, never
   * this laptop), `laptop` when this laptop sends itself, `nobody` without a provider.
   */
  sender: z.enum(['server', 'laptop', 'nobody']),
  /**
   * Messages still to go that this laptop left to the sync server it was disconnected
   * from (its worker sends them): not sent from here unless the office takes them over.
   */
  leftToServer: z.number().int(),
  /** How secrets are kept: the system's keychain, or a key file in the data folder. */
  secretStore: z.enum(['os', 'file']),
})
export type NotificationSettings = z.infer<typeof notificationSettings>

export const notificationsContract = {
  'notifications.list': {
    input: z.strictObject({
      ...pageInput,
      status: z.array(z.enum(NOTIFICATION_STATUSES)).max(7).default([]),
      kind: z.enum(NOTIFICATION_KINDS).optional(),
      channel: z.enum(CHANNELS).optional(),
      clientId: id.optional(),
      appointmentId: id.optional(),
    }),
    output: page(notification),
  },
  'notifications.retry': { input: idInput, output: notification },
  /**
   * A message still to go, written as it would be now (its template, visit and client as
   * they are): what the office reads before it goes. Written again when it is sent.
   */
  'notifications.draft': {
    input: idInput,
    output: z.object({ subject: z.string(), text: z.string() }),
  },
  /** Sends from this laptop the messages it left to the server it left (the server is gone). */
  'notifications.sendLeft': { input: z.strictObject({}), output: notificationSettings },
  'notifications.templates': {
    input: z.strictObject({}),
    output: z.object({ templates: z.array(template) }),
  },
  'notifications.saveTemplate': {
    input: z.strictObject({ ...templateKey, ...templateText }),
    output: template,
  },
  'notifications.preview': {
    input: z.strictObject({
      kind: templateKey.kind,
      channel: templateKey.channel,
      /** The template's language: its dates are written in it (English when not said). */
      locale: templateKey.locale.optional(),
      ...templateText,
      /** Written for this visit; the sample values without one. */
      appointmentId: id.optional(),
    }),
    output: z.object({
      issues: z.array(z.object({ path: z.enum(['subject', 'body']), message: z.string() })),
      subject: z.string(),
      text: z.string(),
      html: z.string().nullable(),
    }),
  },
  'notifications.settings': { input: z.strictObject({}), output: notificationSettings },
  'notifications.updateSettings': {
    input: z.strictObject({
      businessName: storableText()
        .trim()
        .min(1, 'is required')
        .max(200, 'is too long (200 at most)')
        .nullable()
        .optional(),
      businessPhone: phone.optional(),
      reminderLeadMinutes: z
        .number()
        .int()
        .min(0, 'must be 0 or more')
        .max(10_080, 'must be at most a week (10,080 minutes)')
        .optional(),
      sendingHours: sendingHours.optional(),
      email: z
        .strictObject({
          host,
          port,
          secure: z.boolean(),
          user: storableText().trim().max(254).nullable(),
          /** Left out: the saved one stays. */
          password: storableText().max(500).optional(),
          from: sender,
        })
        .nullable()
        .optional(),
      sms: z
        .strictObject({
          accountSid: z
            .string()
            .trim()
            .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hexadecimal digits'),
          // Pasted from the console: the spaces around it are not part of it.
          token: storableText().trim().min(1).max(500).optional(),
          from: z
            .string()
            .trim()
            .regex(
              /^\+[1-9]\d{7,14}$|^MG[0-9a-fA-F]{32}$/,
              'must be a number such as +14155550100 or a Messaging Service SID',
            ),
          baseUrl: z
            .url({ protocol: /^https?$/ })
            .refine((u) => plainHttpRefusal(u) === null, PLAIN_HTTP_REFUSAL)
            .nullable(),
        })
        .nullable()
        .optional(),
    }),
    output: notificationSettings,
  },
} as const
