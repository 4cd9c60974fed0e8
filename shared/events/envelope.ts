import { z } from 'zod'
import { EVENT_DATA, type EventData, type EventType, isEventType } from './types'

/**
 * The CloudEvents 1.0 envelope (structured JSON mode) every domain event travels in:
 * in the outbox, on the pg-boss queues, in the admin feed and on NATS JetStream.
 * `correlationid` is an extension attribute: CloudEvents names extensions with lowercase
 * letters and digits only (at most 20 recommended), which is why it is not `correlationId`.
 */
export const SPEC_VERSION = '1.0'
export const DATA_CONTENT_TYPE = 'application/json'
/** CloudEvents' rule for extension attribute names. */
export const EXTENSION_NAME = /^[a-z0-9]{1,20}$/
export const CORRELATION_ID_EXTENSION = 'correlationid'

/** The envelope with its data not yet checked against its type. */
export const envelopeSchema = z.object({
  specversion: z.literal(SPEC_VERSION),
  id: z.string().min(1).max(200),
  /** A URI-reference naming where the change came from (the device or the API). */
  source: z.string().min(1).max(500),
  type: z.string().min(1).max(200),
  subject: z.string().min(1).max(500),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal(DATA_CONTENT_TYPE),
  correlationid: z.string().min(1).max(200),
  data: z.unknown(),
})
export type RawEnvelope = z.infer<typeof envelopeSchema>

/** An envelope whose data matches its type's schema. */
export type Envelope<T extends EventType = EventType> = {
  [K in T]: Omit<RawEnvelope, 'type' | 'data'> & { type: K; data: EventData<K> }
}[T]

export class EventParseError extends Error {
  override name = 'EventParseError'
}

/**
 * Reads an envelope from the wire: the envelope's attributes, then its data against the
 * schema its type names. An unknown type (a `v3` this build has never heard of) is an
 * error, so a subscriber can say so instead of guessing at the data.
 */
export function parseEnvelope(value: unknown): Envelope {
  const raw = envelopeSchema.safeParse(value)
  if (!raw.success) throw new EventParseError(`not a CloudEvents 1.0 envelope: ${first(raw.error)}`)
  if (!isEventType(raw.data.type)) throw new EventParseError(`unknown event type ${raw.data.type}`)
  const data = EVENT_DATA[raw.data.type].safeParse(raw.data.data)
  if (!data.success)
    throw new EventParseError(`the data of a ${raw.data.type} event: ${first(data.error)}`)
  return { ...raw.data, data: data.data } as Envelope
}

const first = (error: z.ZodError) => {
  const issue = error.issues[0]
  return issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'invalid'
}

/** Builds an envelope, checking its data against its type's schema. */
export function makeEnvelope<T extends EventType>(input: {
  id: string
  source: string
  type: T
  subject: string
  time: string
  correlationId: string
  data: EventData<T>
}): Envelope<T> {
  return parseEnvelope({
    specversion: SPEC_VERSION,
    id: input.id,
    source: input.source,
    type: input.type,
    subject: input.subject,
    time: input.time,
    datacontenttype: DATA_CONTENT_TYPE,
    [CORRELATION_ID_EXTENSION]: input.correlationId,
    data: input.data,
  }) as Envelope<T>
}
